"""The timeout warning, in Welsh, by keyboard alone: it appears two minutes
before the idle limit, "stay signed in" keeps the session, doing nothing signs
the person out and says why."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser


def test_the_warning_keeps_or_ends_the_session(page: Page, portal_url: str) -> None:
    page.clock.install()
    sign_in_linked(page, portal_url, "Gwen Morgan", "cy")
    # The warning's timers start when the page's scripts have run: wait for that
    # page to load before moving the browser's clock, never for a fixed time.
    expect(page.locator("h1")).to_have_text("Eich gofal")
    page.wait_for_load_state("load")
    dialog = page.locator("#timeout-warning")
    expect(dialog).to_be_hidden()

    page.clock.run_for("28:01")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Rydych chi ar fin cael eich allgofnodi")
    expect(dialog).to_contain_text("byddwn yn eich allgofnodi ymhen 2 funud")
    assert_accessible(page)
    expect(page.get_by_role("button", name="Aros wedi mewngofnodi")).to_be_focused()
    with page.expect_response(lambda r: r.url.endswith("/session/keep-alive")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 204
    expect(dialog).to_be_hidden()

    page.clock.run_for("30:01")
    # Signing out goes to the sign-in provider and back: allow for a busy machine.
    expect(page.locator("h1")).to_have_text("Rydych chi wedi allgofnodi", timeout=20_000)
    expect(page.locator("main")).to_contain_text(
        "Fe wnaethon ni eich allgofnodi oherwydd nad oeddech chi wedi gwneud dim am 30 munud.")
    assert_accessible(page)
