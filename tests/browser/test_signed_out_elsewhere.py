"""Someone who signs out of the sign-in provider from another service is signed out
here too: the provider's back-channel logout ends their session, and their next
page asks them to sign in, in their language."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from portal.sandbox.identity.identities import IDENTITIES
from tests.browser.conftest import Stack, assert_accessible, open_page
from tests.browser.people import sign_in_linked
from tests.support.waiting import until

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language, who", [("cy", "Gwen Morgan"), ("en", "Dafydd Hughes")])
def test_signing_out_elsewhere_ends_the_session_here(
        page: Page, stack: Stack, language: str, who: str) -> None:
    sign_in_linked(page, stack.url, who, language)
    page.goto(f"{stack.url}/your-care")
    expect(page.locator("h1")).to_have_text("Eich gofal" if language == "cy" else "Your care")

    sub = next(i.sub for i in IDENTITIES if i.name == who)
    told = requests.post(f"{stack.identity_url}/_sandbox/sign-out", data={"sub": sub},
                         timeout=10).json()["told"]
    assert [t["status"] for t in told] == [200]

    page.goto(f"{stack.url}/your-care")
    assert "/your-care" not in page.url
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)


@pytest.mark.parametrize("language, who, button, said", [
    ("cy", "Gwen Morgan", "Allgofnodi ym mhobman", "Rydych chi wedi allgofnodi"),
    ("en", "Dafydd Hughes", "Sign out everywhere", "You have signed out of this service"),
])
def test_signing_out_here_signs_out_every_device_as_the_provider_tells_us(
        browser: Browser, stack: Stack, language: str, who: str, button: str,
        said: str) -> None:
    """The button says what it does; the provider tells this service too, once."""
    phone, laptop = open_page(browser), open_page(browser)
    try:
        for page in (phone, laptop):
            sign_in_linked(page, stack.url, who, language)
        before = len(requests.get(f"{stack.identity_url}/_sandbox/logouts", timeout=10)
                     .json()["told"])
        laptop.set_viewport_size({"width": 1280, "height": 900})
        laptop.locator(".portal-top-row").get_by_role("button", name=button, exact=True).click()
        expect(laptop.locator("main")).to_contain_text(said)
        assert_accessible(laptop)
        def told() -> list[tuple[int, int]]:
            found = requests.get(f"{stack.identity_url}/_sandbox/logouts", timeout=10).json()
            return [(t["status"], t["attempts"]) for t in found["told"][before:]]
        assert until(lambda: told() != [])
        assert told() == [(200, 1)]
        phone.goto(f"{stack.url}/your-care")
        assert "/your-care" not in phone.url
        expect(phone.locator("html")).to_have_attribute("lang", language)
    finally:
        phone.context.close()
        laptop.context.close()
