"""Someone who signs out of the sign-in provider from another service is signed out
here too: the provider's back-channel logout ends their session, and their next
page asks them to sign in, in their language."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Page, expect

from portal.sandbox.identity.identities import IDENTITIES
from tests.browser.conftest import Stack, assert_accessible
from tests.browser.people import sign_in_linked

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
