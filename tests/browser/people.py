"""The demo people as the browser tests sign them in: with the sandbox sign-in
provider, then, the first time in a stack, linking their care record the way they
would, in the language of the test."""

from __future__ import annotations

from playwright.sync_api import Page

# Each demo person's council reference and date of birth (day, month, year).
RECORDS = {"Gwen Morgan": ("C104233", "14", "3", "1941"),
           "Dafydd Hughes": ("C208871", "2", "7", "1958"),
           "Eleri Price": ("C315502", "20", "11", "1949"),
           "Owen Jenkins": ("C420019", "9", "1", "1962"),
           "Siân Morgan": ("C104988", "30", "5", "1968")}
LINKING = {
    "cy": {"reference": "Rhif cyfeirnod y cyngor", "day": "Diwrnod", "month": "Mis",
           "year": "Blwyddyn", "continue": "Parhau"},
    "en": {"reference": "Council reference number", "day": "Day", "month": "Month",
           "year": "Year", "continue": "Continue"},
}


def sign_in(page: Page, portal_url: str, who: str, language: str) -> None:
    page.goto(f"{portal_url}/language/{language}?next=/")
    page.goto(f"{portal_url}/sign-in")
    page.get_by_label(who).check()
    page.locator(".govuk-button").first.click()


def link(page: Page, reference: str, day: str, month: str, year: str, words: dict[str, str]
         ) -> None:
    page.get_by_label(words["reference"]).fill(reference)
    page.get_by_label(words["day"]).fill(day)
    page.get_by_label(words["month"]).fill(month)
    page.get_by_label(words["year"]).fill(year)
    page.get_by_role("button", name=words["continue"]).click()


def sign_in_linked(page: Page, portal_url: str, who: str, language: str) -> None:
    """Signed in, with their record linked if this is their first time here."""
    sign_in(page, portal_url, who, language)
    if page.url.endswith("/link-your-record"):
        link(page, *RECORDS[who], LINKING[language])
