"""The language link is in the same place on every page and at every width, never
inside the menu; the navigation fits on one row on a desktop, in both languages."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser
@pytest.mark.parametrize("language, other, who", [
    ("cy", "English", "Gwen Morgan"), ("en", "Cymraeg", "Dafydd Hughes")])
def test_the_language_link_is_in_sight_at_320_and_the_navigation_is_one_row_at_1280(
        browser: Browser, portal_url: str, language: str, other: str, who: str) -> None:
    for width in (320, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(f"{portal_url}/language/{language}?next=/")
        expect(page.get_by_role("link", name=other, exact=True)).to_be_visible()
        sign_in_linked(page, portal_url, who, language)
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


# The layout shifts Chromium counted since the page began, once the page is still.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("width", [320, 1280])
def test_signed_in_pages_do_not_jump_as_they_load(browser: Browser, portal_url: str,
                                                  width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    sign_in_linked(page, portal_url, "Gwen Morgan", "en")
    # Scripts arrive after the page has been drawn, as on a slow phone connection.
    page.route("**/*.{js,mjs}", lambda route: (time.sleep(0.3), route.continue_()))
    for path in ("/your-care", "/your-care/plan", "/your-charges", "/account"):
        page.goto(portal_url + path)
        page.wait_for_load_state("load")
        shift = page.evaluate(LAYOUT_SHIFT)
        assert shift < 0.01, f"{path} at {width} px shifted {shift:.3f}"
        if width == 320:  # folded into the Menu button, which works
            expect(page.locator(".govuk-service-navigation__list")).to_be_hidden()
            page.locator(".govuk-service-navigation__toggle").click()
            expect(page.locator(".govuk-service-navigation__list")).to_be_visible()
    context.close()
