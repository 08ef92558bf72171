"""Moving home, on a phone: Eleri tells the portal in Welsh that she has moved to
Ceredigion and links the record its council opened for her; her pages then speak for
Ceredigion, and her record with Merthyr Tudful opens again from her account, saying
whose it is. Then, in English, she moves back, and the record she left is the earlier
one."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import PHONE, assert_accessible, assert_fits_a_phone
from tests.browser.people import LINKING, RECORDS, council_name, link, sign_in_linked

CEREDIGION, MERTHYR = "W06000008", "W06000024"
NEW_RECORD = ("C209310", "20", "11", "1949")  # Ceredigion's record for Eleri
WORDS = {
    "cy": {"moved": "Rhoi gwybod i ni eich bod wedi symud i ardal cyngor arall",
           "button": "Cysylltu'r cofnod hwn", "records": "Eich cofnodion gofal, nawr a chynt",
           "see": "Gweld y cofnod hwn", "back": "Mynd yn ôl at eich cofnod gofal presennol",
           "already": "Dyma'r cofnod gofal rydych wedi'i gysylltu yn barod.",
           "banner": "Eich cofnod gofal blaenorol", "account": "Eich cyfrif"},
    "en": {"moved": "Tell us you have moved to another council's area",
           "button": "Link this record", "records": "Your care records, now and before",
           "see": "See this record", "back": "Go back to your care record now",
           "already": "This is the care record you have linked already.",
           "banner": "Your earlier care record", "account": "Your account"},
}


def move(page: Page, portal_url: str, to: str, record: tuple[str, ...], language: str
         ) -> None:
    words = WORDS[language]
    page.goto(f"{portal_url}/account")
    page.get_by_role("link", name=words["moved"]).click()
    page.get_by_label(council_name(to, language), exact=True).check()
    link(page, *record, {**LINKING[language], "continue": words["button"]})


def test_eleri_moves_to_ceredigion_and_back(page: Page, portal_url: str) -> None:
    page.set_viewport_size(PHONE)
    sign_in_linked(page, portal_url, "Eleri Price", "cy")
    page.goto(f"{portal_url}/language/cy?next=/account")
    words = WORDS["cy"]

    # Her current record's details: said to be hers already, and nothing changes.
    move(page, portal_url, MERTHYR, RECORDS["Eleri Price"], "cy")
    assert words["already"] in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    assert_fits_a_phone(page)

    move(page, portal_url, CEREDIGION, NEW_RECORD, "cy")
    assert page.url.endswith("/your-care")
    assert council_name(CEREDIGION, "cy") in page.locator(".govuk-notification-banner").inner_text()
    page.goto(f"{portal_url}/contact")
    assert "01632 960 800" in page.inner_text("main")  # Ceredigion's number

    page.goto(f"{portal_url}/account")
    page.get_by_role("link", name=words["records"]).click()
    assert_accessible(page)
    assert_fits_a_phone(page)
    page.get_by_role("button", name=words["see"]).click()
    banner = page.locator(".govuk-notification-banner")
    assert words["banner"] in banner.inner_text()
    assert council_name(MERTHYR, "cy") in banner.inner_text()
    page.goto(f"{portal_url}/your-charges")
    assert "INV-315502-01" in page.inner_text("main")  # what she owes Merthyr Tudful
    assert_accessible(page)
    assert_fits_a_phone(page)
    page.get_by_role("link", name=words["back"]).click()
    page.get_by_role("button").filter(has_text="Gweld eich gofal").click()
    assert page.locator(".govuk-notification-banner").count() == 0

    # In English, back to Merthyr Tudful: the Ceredigion record is now the earlier one.
    page.goto(f"{portal_url}/language/en?next=/account")
    move(page, portal_url, MERTHYR, RECORDS["Eleri Price"], "en")
    assert page.url.endswith("/your-care")
    page.goto(f"{portal_url}/account/care-records")
    cards = page.locator(".govuk-summary-card")
    assert council_name(MERTHYR, "en") in cards.nth(0).inner_text()
    assert council_name(CEREDIGION, "en") in cards.nth(1).inner_text()
    assert_accessible(page)
