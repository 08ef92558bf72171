"""Eleri finds her letters in Welsh and in English and downloads one as a file.
axe-core on the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import assert_accessible, open_page
from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser

WORDS = {"cy": {"letters": "Llythyrau a dogfennau gan y cyngor", "type": "Llythyr am daliadau"},
         "en": {"letters": "Letters and documents from the council",
                "type": "Charging letter"}}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_eleri_downloads_her_charging_letter(browser: Browser, portal_url: str,
                                             language: str) -> None:
    w = WORDS[language]
    eleri = open_page(browser)
    sign_in_linked(eleri, portal_url, "Eleri Price", language)
    eleri.goto(f"{portal_url}/language/{language}?next=/your-care")
    eleri.get_by_role("link", name=w["letters"]).click()
    expect(eleri.locator(".portal-documents")).to_contain_text(w["type"])
    assert_accessible(eleri)
    with eleri.expect_download() as arrived:
        eleri.get_by_role("link", name="Your charges from April").click()
    download = arrived.value
    assert download.suggested_filename == "your-charges-from-april.pdf"
    with open(download.path(), "rb") as saved:
        assert saved.read(5) == b"%PDF-"
    eleri.context.close()
