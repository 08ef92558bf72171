"""The whole embedded stack as a person meets it: `python -m portal.embedded` on
free ports with its clock at the tests' default instant, and Debian's Chromium
driven by Playwright. Every page a journey checks is checked with axe-core and at
320 px wide (assert_accessible)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from portal.config import PROJECT_ROOT
from tests.conftest import free_port
from tests.support.clock import DEFAULT
from tests.support.waiting import answers

CHROMIUM = "/usr/bin/chromium"
AXE = (PROJECT_ROOT / "node_modules/axe-core/axe.min.js").read_text()
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = {"width": 320, "height": 640}
# The origins of the portals running now: the language link is checked on their
# pages, not on the sandboxes' own (Pay's card pages, the sign-in provider's).
# A stopped portal's origin is forgotten: a sandbox started later may be given its port.
PORTAL_ORIGINS: set[str] = set()


@contextmanager
def running_portal(url: str) -> Iterator[None]:
    """While the block runs, pages at url are the portal's."""
    PORTAL_ORIGINS.add(url)
    try:
        yield
    finally:
        PORTAL_ORIGINS.discard(url)


@dataclass(frozen=True)
class Stack:
    url: str           # the portal
    notify_url: str    # its sandbox Notify, to read what was sent
    identity_url: str  # its sandbox sign-in provider, to sign someone out elsewhere
    # Its SQLite database, to read what only an email would carry (a stop link's secret).
    database: Path | None = None
    backoffice_url: str = ""  # its sandbox back office, to answer as the council would


# A fresh stack (and database) for each test module, so journeys do not meet
# each other's linked accounts.
@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with started_stack(tmp_path_factory) as started:
        yield started


@contextmanager
def started_stack(tmp_path_factory: pytest.TempPathFactory,
                  settings: Callable[[dict[str, int]], dict[str, str]] = lambda _: {}
                  ) -> Iterator[Stack]:
    """The portal in embedded mode with its sandboxes, in a process of its own;
    `settings(ports)` adds to its environment, knowing the sandboxes' ports."""
    names = ("portal", "notify", "identity", "backoffice", "pay")
    ports: dict[str, int] = {}
    while len(set(ports.values())) < len(names):  # each its own, never one port twice
        ports = {name: free_port() for name in names}
    env = {**os.environ, "PORT": str(ports["portal"]), "PORTAL_MODE": "embedded",
           "PORTAL_TEST_INSTANT": DEFAULT.isoformat(),
           "PORTAL_INSTANCE_DIR": str(tmp_path_factory.mktemp("instance")),
           **{f"SANDBOX_{name.upper()}_PORT": str(ports[name])
              for name in ("backoffice", "identity", "notify", "pay")},
           "MESSAGES_FOLLOW_SECONDS": "1", **settings(ports)}
    env.pop("DATABASE_URL", None)
    log = Path(env["PORTAL_INSTANCE_DIR"]) / "portal.log"
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "tests.support.run_at"], cwd=PROJECT_ROOT,
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
    url, at = f"http://127.0.0.1:{ports['portal']}", "http://127.0.0.1:{}".format
    if not answers(url, seconds=30):
        process.kill()
        raise RuntimeError(f"the portal did not start:\n{log.read_text()}")
    try:
        with running_portal(url):
            yield Stack(url, at(ports["notify"]), at(ports["identity"]),
                        Path(env["PORTAL_INSTANCE_DIR"]) / "portal.db", at(ports["backoffice"]))
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def portal_url(stack: Stack) -> str:
    return stack.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"])
        yield browser
        browser.close()


def open_page(browser: Browser, viewport: dict[str, int] | None = None) -> Page:
    """A page in a fresh browser context (its own cookies), noting CSP violations; on a
    screen of this size (`PHONE`, say), where the journey is tried on one."""
    page = browser.new_context(**({"viewport": viewport} if viewport else {})).new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    page.on("console", lambda message: "Content Security Policy" in message.text and
            page.csp_violations.append(message.text))  # type: ignore[attr-defined]
    return page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = open_page(browser)
    yield page
    page.context.close()


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.2 A or AA violation on the page as it stands, nothing
    outside a landmark, and the page fits a phone (assert_fits_a_phone)."""
    # A click that opens a page returns once it starts loading: check the page loaded.
    page.wait_for_load_state()
    assert_fits_a_phone(page)
    # evaluate() runs outside the page's CSP, so the page keeps its real policy.
    page.evaluate(AXE)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           WCAG_22_AA)
    # and, of axe's best practices, that all the page holds is inside a landmark
    outside = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', "
                            "values: ['region']}})")
    violations = [(v["id"], v["help"], [n["target"] for n in v["nodes"]])
                  for v in [*result["violations"], *outside["violations"]]]
    assert violations == [], f"{page.url}: {violations}"
    assert page.csp_violations == [], page.csp_violations  # type: ignore[attr-defined]


def assert_fits_a_phone(page: Page) -> None:
    """At 320 px wide nothing scrolls sideways (WCAG 1.4.10 reflow) and, on the
    portal's pages, the language link is in sight without opening a menu."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 320 px screen"
        origin = "/".join(page.url.split("/")[:3])
        if origin in PORTAL_ORIGINS:
            language = page.locator(".portal-language-nav a, .portal-language-nav button")
            assert language.is_visible(), f"{page.url}: no language link in sight at 320 px"
    finally:
        if size:
            page.set_viewport_size(size)
