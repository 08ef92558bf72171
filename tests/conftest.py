"""Fixtures: the sandboxes on loopback over real HTTP, an app per test with its
own database, and signing in through the real OpenID Connect flow."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
import time_machine
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from portal import config, create_app, sandboxes
from portal.messages import sandbox_template_ids
from portal.sandbox.identity.identities import IDENTITIES
from portal.sandbox.notify import state as notify_state
from portal.sandbox.pay import state as pay_state
from portal.store import Store
from tests.support.clock import DEFAULT, INSTANTS
from tests.support.databases import ENGINES, database_url, migrated_store
from tests.support.pages import CheckedClient

IDENTITY = {i.name.split()[0].replace("â", "a"): i for i in IDENTITIES}  # Gwen, Dafydd, Sian, ...
DEMO_RECORDS = {  # council, council reference and date of birth, as the README lists them
    "Gwen": ("W06000002", "C104233", "1941-03-14"),
    "Dafydd": ("W06000008", "C208871", "1958-07-02"),
    "Eleri": ("W06000024", "C315502", "1949-11-20"),
    "Owen": ("W06000024", "C420019", "1962-01-09"),
    "Sian": ("W06000002", "C104988", "1968-05-30"),
    "Rhys": ("W06000024", "A300117", "1985-09-04"),
    "Huw": ("W06000008", "C208990", "1961-02-17"),
}
BASE_URL = "http://portal.test"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked any_hour runs at every instant in tests/support/clock.py."""
    if metafunc.definition.get_closest_marker("any_hour"):
        metafunc.parametrize("instant", list(INSTANTS.values()), ids=list(INSTANTS),
                             indirect=True)


@pytest.fixture(autouse=True)
def instant(request: pytest.FixtureRequest) -> Iterator[datetime]:
    """Every test runs at a chosen instant, never at the real time of day: the
    portal, the sandboxes and every library read this clock, ticking on from it."""
    at: datetime = getattr(request, "param", DEFAULT)
    with time_machine.travel(at, tick=True):
        yield at


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def sandbox_ports() -> dict[str, int]:
    return {name: free_port() for name in config.SANDBOX_PORTS}


@pytest.fixture(scope="session")
def base_settings(tmp_path_factory: pytest.TempPathFactory,
                  sandbox_ports: dict[str, int]) -> config.Config:
    key = tmp_path_factory.mktemp("keys")
    config.INSTANCE_DIR = key
    return config.Config(
        MODE="test", SECRET_KEY="test-secret", DATABASE_URL="sqlite://",
        BASE_URL=BASE_URL,
        BACKOFFICE_URL=f"http://127.0.0.1:{sandbox_ports['backoffice']}",
        BACKOFFICE_API_KEY="test-backoffice-key", BACKOFFICE_CONNECT_TIMEOUT=1,
        BACKOFFICE_READ_TIMEOUT=1,
        IDENTITY_ISSUER=f"http://127.0.0.1:{sandbox_ports['identity']}/",
        IDENTITY_CLIENT_ID="care-portal-test",
        IDENTITY_PRIVATE_KEY_PEM=config.embedded_private_key(),
        SESSION_COOKIE_SECURE=False,
        NOTIFY_API_KEY=config.SANDBOX_NOTIFY_KEY,
        NOTIFY_BASE_URL=f"http://127.0.0.1:{sandbox_ports['notify']}",
        NOTIFY_TEMPLATE_IDS=sandbox_template_ids(),
        NOTIFY_CALLBACK_TOKEN="test-callback-token",
        PAY_API_KEY=config.SANDBOX_PAY_KEY,
        PAY_BASE_URL=f"http://127.0.0.1:{sandbox_ports['pay']}",
        PAY_PAGES_URL=f"http://127.0.0.1:{sandbox_ports['pay']}",
        PAY_WEBHOOK_SECRET="test-webhook-secret",
    )


@pytest.fixture(scope="session")
def running_sandboxes(base_settings: config.Config,
                      sandbox_ports: dict[str, int]) -> Iterator[sandboxes.Running]:
    running = sandboxes.start(base_settings, sandbox_ports)
    # The portal under test is not listening: tests hand Pay's webhooks to it themselves
    # (in order, out of order, twice, or not at all).
    pay_state.of(running.servers["pay"].app).first.deliver_webhooks = False
    # Nor does it take Notify's receipts: the sandbox's tries again are over in moments.
    notify_state.of(running.servers["notify"].app).first.receipts.scale = 0.001
    yield running
    running.stop()


@pytest.fixture
def news_forgotten(running_sandboxes: sandboxes.Running) -> Iterator[None]:
    """What a test had providers' call monitoring say of visits is gone after it (the
    sandbox back office is every test's)."""
    yield
    running_sandboxes.back_office().visit_news.clear()
    running_sandboxes.back_office().visit_events.clear()


@pytest.fixture
def backoffice_faults(running_sandboxes: sandboxes.Running) -> Iterator[object]:
    faults = running_sandboxes.back_office().faults
    yield faults
    faults.set()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The database engine a test runs on: each test that needs a database runs
    on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set."""
    return str(request.param)


@pytest.fixture
def store(engine: str, tmp_path: Path) -> Iterator[Store]:
    with migrated_store(engine, tmp_path) as store:
        yield store


@pytest.fixture
def app(base_settings: config.Config, running_sandboxes: sandboxes.Running,
        engine: str, tmp_path: Path) -> Iterator[Flask]:
    with database_url(engine, tmp_path) as url:
        app = create_app(replace(base_settings, DATABASE_URL=url))
        app.config["TESTING"] = True
        app.test_client_class = CheckedClient  # every page a test renders is checked
        store = app.extensions["portal"].store
        store.migrate()
        yield app
        store.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def sign_in(client: FlaskClient, who: str, language: str = "en", link: bool = True) -> str:
    """Sign in as a demo identity through the sandbox provider, over HTTP;
    return where the portal sent the browser next."""
    client.get(f"/language/{language}")
    start = client.get("/sign-in")
    assert start.status_code == 302
    authorize = start.headers["Location"]
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    assert query["ui_locales"] == language
    answer = requests.post(authorize.split("?")[0], data={**query, "sub": IDENTITY[who].sub},
                           allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    landed = client.get(f"{back.path}?{back.query}")
    assert landed.status_code == 302
    if link and landed.headers["Location"].endswith("/link-your-record"):
        linked = link_record(client, "/link-your-record", *DEMO_RECORDS[who])
        assert linked.status_code == 302, linked.text
        return str(linked.headers["Location"])
    return str(landed.headers["Location"])


def link_record(client: FlaskClient, path: str, council: str, reference: str, born: str
                ) -> Any:
    """Give a record's council, reference and date of birth (YYYY-MM-DD) on the page
    that links one: "Find your care record", or "Link your record with your new
    council" (/account/moved)."""
    year, month, day = born.split("-")
    return client.post(path, data={
        "csrf_token": csrf_token(client, path), "council": council,
        "council_reference": reference, "birth_date-day": day, "birth_date-month": month,
        "birth_date-year": year})


def sign_out(client: FlaskClient) -> Any:
    """Press "Sign out" in the navigation: a form sent with its token."""
    return client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})


@pytest.fixture
def signed_in_as(client: FlaskClient) -> Callable[..., FlaskClient]:
    def _sign_in(who: str, language: str = "en", link: bool = True) -> FlaskClient:
        sign_in(client, who, language, link)
        return client
    return _sign_in


def csrf_token(client: FlaskClient, path: str) -> str:
    page = page_of(client.get(path))
    field = page.find("input", {"name": "csrf_token"})
    assert field is not None, f"no form on {path}"
    return str(field["value"])


def page_of(response: object) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")  # type: ignore[attr-defined]


def visible_text(page: BeautifulSoup) -> str:
    for hidden in page(["script", "style", "template"]):
        hidden.decompose()
    return " ".join(page.get_text(" ").split())


# The longest modules, started first: `make test` hands whole modules to its processes
# in the order collected (--no-loadscope-reorder: not the modules with most tests
# first), so one started last would run alone at the end. The release before, run
# against the new schema, is the longest, in one test; then the browser journeys.
LONGEST_FIRST = ("tests/store/test_previous_release.py", "tests/browser/")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def started(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return next((n for n, first in enumerate(LONGEST_FIRST) if path.startswith(first)),
                    len(LONGEST_FIRST))
    items.sort(key=started)  # stable: each module's tests stay in their order


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a worker process (make test runs several), hand its matrix cells back."""
    from tests.web.test_access import MATRIX_CELLS

    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["matrix_cells"] = dict(MATRIX_CELLS)


def pytest_testnodedown(node: Any, error: Any) -> None:
    """In the process that ran the workers, add up the cells each checked."""
    from tests.web.test_access import MATRIX_CELLS

    for role, cells in getattr(node, "workeroutput", {}).get("matrix_cells", {}).items():
        MATRIX_CELLS[role] = MATRIX_CELLS.get(role, 0) + cells


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report the size of the authorization matrix, when it ran."""
    from tests.web.test_access import MATRIX_CELLS

    if MATRIX_CELLS:
        terminalreporter.write_line(
            f"authorization matrix: {sum(MATRIX_CELLS.values())} cells checked "
            f"({len(MATRIX_CELLS)} roles x every route)")


GOOD_CARD, DECLINED_CARD = "4444333322221111", "4000000000000002"


def pay_at_sandbox(next_url: str, card: str = GOOD_CARD, cancel: bool = False) -> str:
    """Do what a person does on the sandbox Pay's pages, over HTTP: enter the card,
    confirm (or cancel). Returns the address Pay sends them back to."""
    browser = requests.Session()
    card_page = browser.get(next_url, allow_redirects=True, timeout=5)
    assert card_page.status_code == 200, card_page.text
    if cancel:
        answer = browser.post(card_page.url + "/cancel", allow_redirects=False, timeout=5)
        return str(answer.headers["Location"])
    answer = browser.post(card_page.url, data={
        "card_number": card, "expiry_month": "12", "expiry_year": "2030", "name": "G Morgan",
        "cvc": "123", "email": "gwen.morgan@example.com"}, allow_redirects=False, timeout=5)
    if answer.status_code == 200:  # declined: Pay's page links back to the service
        return str(BeautifulSoup(answer.text, "html.parser").find("a", class_="govuk-link")["href"])
    assert answer.status_code == 302, answer.text
    confirmed = browser.post(urljoin(card_page.url, answer.headers["Location"]),
                             allow_redirects=False, timeout=5)
    assert confirmed.status_code == 302, confirmed.text
    return str(confirmed.headers["Location"])
