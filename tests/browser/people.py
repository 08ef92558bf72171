"""The demo people as the browser tests sign them in: with the sandbox sign-in
provider, then, the first time in a stack, linking their care record the way they
would, in the language of the test."""

from __future__ import annotations

from playwright.sync_api import Page

from portal.councils import WALES

# Each demo person's council reference and date of birth (day, month, year).
RECORDS = {"Gwen Morgan": ("C104233", "14", "3", "1941"),
           "Dafydd Hughes": ("C208871", "2", "7", "1958"),
           "Eleri Price": ("C315502", "20", "11", "1949"),
           "Owen Jenkins": ("C420019", "9", "1", "1962"),
           "Siân Morgan": ("C104988", "30", "5", "1968"),
           "Rhys Thomas": ("A300117", "4", "9", "1985"),
           "Huw Hughes": ("C208990", "17", "2", "1961")}
# The council that holds each one's record, as embedded mode serves them.
COUNCILS = {"Gwen Morgan": "W06000002", "Siân Morgan": "W06000002",
            "Dafydd Hughes": "W06000008", "Huw Hughes": "W06000008",
            "Eleri Price": "W06000024", "Owen Jenkins": "W06000024",
            "Rhys Thomas": "W06000024"}
LINKING = {
    "cy": {"reference": "Rhif cyfeirnod y cyngor", "day": "Diwrnod", "month": "Mis",
           "year": "Blwyddyn", "continue": "Parhau"},
    "en": {"reference": "Council reference number", "day": "Day", "month": "Month",
           "year": "Year", "continue": "Continue"},
}


def back_office_of(backoffice_url: str, who: str) -> str:
    """The address of the sandbox back office holding their record, in embedded mode:
    the first council's at the sandbox's own address, each other's under its code."""
    code = COUNCILS[who]
    return backoffice_url if code == "W06000002" else f"{backoffice_url}/{code}"


def council_name(code: str, language: str) -> str:
    """The council's name as the portal gives it in this language."""
    return WALES[code][0 if language == "cy" else 1]


def sign_in(page: Page, portal_url: str, who: str, language: str) -> None:
    """Signed in through the sandbox provider, back on the portal's page that follows:
    the click starts a chain of redirects, and the page is read only once it ends."""
    page.goto(f"{portal_url}/language/{language}?next=/")
    page.goto(f"{portal_url}/sign-in")
    page.get_by_label(who).check()
    page.locator(".govuk-button").first.click()
    page.wait_for_url(lambda url: url.startswith(portal_url) and "/sign-in" not in url)


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
        link_record_of(page, who, language)


def link_record_of(page: Page, who: str, language: str) -> None:
    """On "Find your care record": their council (where it is asked), then the rest."""
    if page.locator("input[name=council]").count():
        page.get_by_label(council_name(COUNCILS[who], language), exact=True).check()
    link(page, *RECORDS[who], LINKING[language])
