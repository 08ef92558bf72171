"""The language link is in the same place on every page and at every width, never
inside the menu; the navigation fits on one row on a desktop, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_acting_for import link, sign_in
from tests.browser.test_timeout_warning import WELSH

pytestmark = pytest.mark.browser
ENGLISH = {"reference": "Council reference number", "day": "Day", "month": "Month",
           "year": "Year", "continue": "Continue"}


@pytest.mark.parametrize("language, other, who, record", [
    ("cy", "English", "Gwen Morgan", ("C104233", "14", "3", "1941")),
    ("en", "Cymraeg", "Dafydd Hughes", ("C208871", "2", "7", "1958")),
])
def test_the_language_link_is_in_sight_at_320_and_the_navigation_is_one_row_at_1280(
        browser: Browser, portal_url: str, language: str, other: str, who: str,
        record: tuple[str, str, str, str]) -> None:
    for width in (320, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(f"{portal_url}/language/{language}?next=/")
        expect(page.get_by_role("link", name=other, exact=True)).to_be_visible()
        sign_in(page, portal_url, who, language)
        if page.url.endswith("/link-your-record"):
            link(page, *record, WELSH if language == "cy" else ENGLISH)
        expect(page.locator("h1")).to_have_text("Eich gofal" if language == "cy" else "Your care")
        switch = page.get_by_role("link", name=other, exact=True)
        expect(switch).to_be_visible()  # without opening the menu
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if width == 1280:
            rows = {round(box["y"]) for box in (item.bounding_box() for item in page.locator(
                ".govuk-service-navigation__item").all()) if box}
            assert len(rows) == 1, rows
        switch.click()
        expect(page.locator("html")).to_have_attribute("lang", "en" if language == "cy" else "cy")
        context.close()
