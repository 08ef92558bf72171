"""Start page -> sign in -> link (one wrong try first) -> home -> plan -> visits ->
switch language and back -> account -> sign out, for two people, one in Welsh."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible
from tests.browser.people import COUNCILS, council_name

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Journey:
    language: str
    who: str
    reference: str
    birth: tuple[str, str, str]
    words: dict[str, str]


WELSH = Journey("cy", "Gwen Morgan", "C104233", ("14", "3", "1941"), {
    "start": "Dechrau nawr", "continue": "Parhau", "reference": "Rhif cyfeirnod y cyngor",
    "day": "Diwrnod", "month": "Mis", "year": "Blwyddyn", "problem": "Mae problem wedi codi",
    "home": "Eich gofal", "plan": "Darllen eich cynllun gofal a chymorth",
    "plan_h1": "Eich cynllun gofal a chymorth",
    "visits": "Eich ymweliadau", "account": "Eich cyfrif", "sign_out": "Allgofnodi ym mhobman",
    "signed_out": "Rydych chi wedi allgofnodi", "other": "English", "other_h1": "Your visits",
    "contact": "Dewis sut rydym yn anfon newyddion am eich gofal atoch",
    "both": "Drwy e-bost a neges destun", "mobile": "Rhif ffôn symudol yn y DU", "save": "Cadw",
})
ENGLISH = Journey("en", "Dafydd Hughes", "C208871", ("2", "7", "1958"), {
    "start": "Start now", "continue": "Continue", "reference": "Council reference number",
    "day": "Day", "month": "Month", "year": "Year", "problem": "There is a problem",
    "home": "Your care", "plan": "Read your care and support plan",
    "plan_h1": "Your care and support plan",
    "visits": "Your visits", "account": "Your account", "sign_out": "Sign out everywhere",
    "signed_out": "You have signed out", "other": "Cymraeg", "other_h1": "Eich ymweliadau",
    "contact": "Choose how we send you updates about your care",
    "both": "By email and text message", "mobile": "UK mobile number", "save": "Save",
})


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text().strip()


@pytest.mark.parametrize("journey", [WELSH, ENGLISH], ids=["welsh", "english"])
def test_a_person_signs_in_links_and_reads_their_care(page: Page, portal_url: str,
                                                      journey: Journey) -> None:
    w = journey.words
    page.goto(portal_url + "/")
    if journey.language == "cy":
        page.get_by_role("link", name="Cymraeg").click()
        expect(page).to_have_url(portal_url + "/")
    assert page.locator("html").get_attribute("lang") == journey.language
    assert_accessible(page)

    page.get_by_role("button", name=w["start"]).click()
    assert page.locator("html").get_attribute("lang") == journey.language  # ui_locales
    assert_accessible(page)
    page.get_by_label(journey.who).check()
    page.get_by_role("button", name=w["continue"]).click()

    day, month, year = journey.birth
    their_council = page.get_by_label(council_name(COUNCILS[journey.who], journey.language),
                                      exact=True)
    their_council.check()
    page.get_by_label(w["reference"]).fill(journey.reference)
    page.get_by_label(w["day"]).fill(day)
    page.get_by_label(w["month"]).fill(month)
    page.get_by_label(w["year"]).fill(str(int(year) - 1))
    page.get_by_role("button", name=w["continue"]).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(w["problem"])
    expect(page.get_by_label(w["day"])).to_have_value(day)
    expect(their_council).to_be_checked()
    assert_accessible(page)
    page.get_by_label(w["year"]).fill(year)
    page.get_by_role("button", name=w["continue"]).click()

    assert heading(page) == w["home"]
    assert_accessible(page)
    page.get_by_role("link", name=w["plan"], exact=True).click()
    assert heading(page) == w["plan_h1"]
    assert_accessible(page)
    page.get_by_role("link", name=w["visits"], exact=True).click()
    assert heading(page) == w["visits"]
    assert_accessible(page)

    page.get_by_role("link", name=w["other"]).click()
    expect(page).to_have_url(portal_url + "/your-care/visits")
    assert heading(page) == w["other_h1"]
    assert_accessible(page)
    page.locator("a[hreflang]").click()
    assert heading(page) == w["visits"]

    page.get_by_role("link", name=w["account"], exact=True).click()
    assert heading(page) == w["account"]
    assert_accessible(page)
    page.get_by_role("link", name=w["contact"]).click()
    page.get_by_label(w["both"]).check()
    page.get_by_label(w["mobile"]).fill("12")
    page.get_by_role("button", name=w["save"]).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(w["problem"])
    assert_accessible(page)
    page.get_by_role("link", name=w["account"], exact=True).click()
    page.locator("main").get_by_role("button", name=w["sign_out"], exact=True).click()
    assert heading(page) == w["signed_out"]
    assert_accessible(page)
    page.goto(portal_url + "/your-care")
    assert "/your-care" not in page.url  # signed out for real: sent to sign in


def test_every_information_and_error_page_is_accessible_in_both_languages(
        page: Page, portal_url: str) -> None:
    for language in ("en", "cy"):
        page.goto(f"{portal_url}/language/{language}?next=/")
        for path in ("/cookies", "/accessibility", "/privacy", "/help", "/contact",
                     "/no-such-page"):
            page.goto(portal_url + path)
            assert page.locator("html").get_attribute("lang") == language
            assert_accessible(page)
