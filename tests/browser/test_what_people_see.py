"""What three people meet, in Welsh and in English, in a real browser: Eleri's
missed and late visits first, Siân choosing the person she holds a power of
attorney for (and told the real reason when it does not cover a page), and Owen,
who has no plan and nothing to pay. axe-core and the 320 px check on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Stack, assert_accessible, open_page
from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {
        "home": "Eich gofal", "visits": "Eich ymweliadau",
        "see_missed": "Gweld yr ymweliadau a fethwyd neu a oedd yn hwyr, a beth allwch chi "
                      "ei wneud",
        "missed": "Ymweliadau a fethwyd neu a oedd yn hwyr", "later": "Ymweliadau diweddarach",
        "people": "Pobl rydych chi'n eu helpu",
        "lpa": "Atwrneiaeth arhosol ar gyfer iechyd a lles",
        "see_gwen": "Gweld gofal Gwen Morgan", "refused": "Ni allwch weld y dudalen hon",
        "not_covered": "Nid yw'r atwrneiaeth arhosol ar gyfer iechyd a lles sydd gennych chi "
                       "ar gyfer Gwen Morgan yn cynnwys y rhan hon o'u gofal.",
        "no_plan": "Nid oes gennych chi gynllun gofal a chymorth eto.",
        "no_review": "Does dim cynllun i'w adolygu eto", "book": "Trefnu adolygiad",
        "nothing_to_pay": "Nid ydych chi'n talu dim tuag at eich gofal a chymorth ar hyn o "
                          "bryd.",
    },
    "en": {
        "home": "Your care", "visits": "Your visits",
        "see_missed": "See the missed and late visits, and what you can do",
        "missed": "Missed and late visits", "later": "Later visits",
        "people": "People you help",
        "lpa": "Lasting power of attorney for health and welfare",
        "see_gwen": "See the care of Gwen Morgan", "refused": "You cannot see this page",
        "not_covered": "The lasting power of attorney for health and welfare that you hold "
                       "for Gwen Morgan does not cover this part of their care.",
        "no_plan": "You do not have a care and support plan yet.",
        "no_review": "There is no plan to review yet", "book": "Book a review",
        "nothing_to_pay": "You do not pay anything towards your care and support at the "
                          "moment.",
    },
}
def signed_in(browser: Browser, url: str, who: str, language: str) -> Page:
    page = open_page(browser)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_linked(page, url, who, language)
    # A language saved on their account wins at sign-in; the link changes this visit.
    page.goto(f"{url}/language/{language}?next=/your-care")
    expect(page.locator("h1")).to_have_text(WORDS[language]["home"])
    return page


@pytest.mark.parametrize("language", ["cy", "en"])
def test_eleri_sees_her_missed_and_late_visits_first_and_a_week_at_a_time(
        browser: Browser, stack: Stack, language: str) -> None:
    w = WORDS[language]
    eleri = signed_in(browser, stack.url, "Eleri Price", language)
    assert_accessible(eleri)
    eleri.get_by_role("link", name=w["see_missed"]).click()
    expect(eleri.locator("h1")).to_have_text(w["visits"])
    expect(eleri.locator("main h2").first).to_have_text(w["missed"])
    expect(eleri.locator("#missed-and-late + p + dl .govuk-tag")).to_have_count(2)
    assert_accessible(eleri)
    eleri.get_by_role("link", name=w["later"]).click()
    expect(eleri.locator("#week")).to_be_in_viewport()
    assert_accessible(eleri)
    eleri.context.close()


@pytest.mark.parametrize("language", ["cy", "en"])
def test_an_attorney_chooses_the_person_she_helps_and_is_told_what_her_power_covers(
        browser: Browser, stack: Stack, language: str) -> None:
    w = WORDS[language]
    sian = signed_in(browser, stack.url, "Siân Morgan", language)
    sian.get_by_role("link", name=w["people"], exact=True).first.click()
    expect(sian.locator(".govuk-summary-card")).to_contain_text(w["lpa"])
    assert_accessible(sian)
    sian.get_by_role("button", name=w["see_gwen"]).click()
    assert_accessible(sian)
    rows = {round(box["y"]) for box in (item.bounding_box() for item in sian.locator(
        ".govuk-service-navigation__item").all()) if box}
    assert len(rows) == 1, rows  # the navigation fits one row at 1280 px
    sian.goto(f"{stack.url}/your-charges")
    expect(sian.locator("h1")).to_have_text(w["refused"])
    expect(sian.locator("main")).to_contain_text(w["not_covered"])
    assert_accessible(sian)
    sian.context.close()


@pytest.mark.parametrize("language", ["cy", "en"])
def test_owen_is_told_he_has_no_plan_yet_and_nothing_to_pay(
        browser: Browser, stack: Stack, language: str) -> None:
    w = WORDS[language]
    owen = signed_in(browser, stack.url, "Owen Jenkins", language)
    expect(owen.locator("main")).to_contain_text(w["no_plan"])
    expect(owen.get_by_role("link", name=w["book"], exact=True)).to_have_count(0)
    assert_accessible(owen)
    owen.goto(f"{stack.url}/book-a-review")
    expect(owen.locator("h1")).to_have_text(w["no_review"])
    assert_accessible(owen)
    owen.goto(f"{stack.url}/your-charges")
    expect(owen.locator("main")).to_contain_text(w["nothing_to_pay"])
    assert_accessible(owen)
    owen.context.close()
