"""What will I pay, as anyone uses it: not signed in, on a phone, in Welsh and in
English, with and without JavaScript: a pensioner on Pension Credit with Attendance
Allowance works out their charge, goes back, changes language without losing a
thing, and reads how it is worked out. axe-core on every page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, assert_accessible

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"link": "Cyfrifo faint y gallech ei dalu", "start": "Dechrau nawr",
           "continue": "Parhau", "back": "Yn ôl", "other": "English",
           "council": "Cyngor Bwrdeistref Sirol Merthyr Tudful", "yes": "Ydw",
           "aa": "Lwfans Gweini, y gyfradd uwch", "state_pension": "Pensiwn y Wladwriaeth",
           "pension_credit": "Credyd Pensiwn", "savings": "Faint sydd gennych",
           "extra": "Costau ychwanegol oherwydd salwch neu anabledd", "night": "Na fydd",
           "error": "Mae problem wedi codi", "estimate": "Eich amcangyfrif",
           "afford": "Yr hyn y gallwch ei fforddio", "sources": "O ble mae'r ffigurau'n dod",
           "charge": "Byddech chi'n talu tua £69.45 yr wythnos",
           "capped": "Dewis Cyngor Bwrdeistref Sirol Merthyr Tudful ei hun"},
    "en": {"link": "Work out what you might pay", "start": "Start now", "continue": "Continue",
           "back": "Back", "other": "Cymraeg", "council": "Merthyr Tydfil County Borough Council",
           "yes": "Yes", "aa": "Attendance Allowance, higher rate",
           "state_pension": "State Pension", "pension_credit": "Pension Credit",
           "savings": "How much do you have", "extra": "Extra costs because of illness or "
           "disability", "night": "No", "error": "There is a problem",
           "estimate": "Your estimate", "afford": "What you can afford",
           "sources": "Where the figures come from",
           "charge": "You would pay about £69.45 a week",
           "capped": "Merthyr Tydfil County Borough Council's own choice"},
}


def work_it_out(page: Page, portal_url: str, language: str,
                check: Callable[[Page], None] = assert_accessible) -> None:
    """The whole journey, with `check` on each kind of page."""
    w = WORDS[language]
    page.set_viewport_size(PHONE)
    page.goto(f"{portal_url}/language/{language}?next=/")
    page.get_by_role("link", name=w["link"]).click()
    check(page)
    page.get_by_role("button", name=w["start"]).click()
    # Which council's area: Merthyr Tudful, which charges no more than £80 a week.
    page.get_by_role("radio", name=w["council"]).check()
    page.get_by_role("button", name=w["continue"]).click()
    # Said nothing: the mistake, in the page's language, and the question again.
    page.get_by_role("button", name=w["continue"]).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(w["error"])
    check(page)
    page.get_by_role("radio", name=w["yes"], exact=True).check()
    page.get_by_role("button", name=w["continue"]).click()
    page.get_by_role("radio", name=w["aa"]).check()
    page.get_by_role("button", name=w["continue"]).click()
    page.get_by_label(w["state_pension"], exact=True).fill("180.00")
    page.get_by_label(w["pension_credit"], exact=True).fill("144.05")
    check(page)
    # Back, and on again: what was typed is still there.
    page.get_by_role("button", name=w["back"]).click()
    expect(page.get_by_role("radio", name=w["aa"])).to_be_checked()
    page.get_by_role("button", name=w["continue"]).click()
    expect(page.get_by_label(w["state_pension"], exact=True)).to_have_value("180.00")
    page.get_by_role("button", name=w["continue"]).click()
    page.get_by_label(w["savings"]).fill("3,000")
    page.get_by_role("button", name=w["continue"]).click()
    page.get_by_label(w["extra"]).fill("10")
    page.get_by_role("button", name=w["continue"]).click()
    page.get_by_role("radio", name=w["night"], exact=True).check()
    check(page)
    page.get_by_role("button", name=w["continue"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w["estimate"])
    expect(page.locator("main")).to_contain_text(w["charge"])
    expect(page.locator("table")).to_contain_text(w["afford"])
    page.get_by_text(w["sources"]).click()
    expect(page.locator("details")).to_contain_text(w["capped"])
    check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    check(page)


@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_pensioner_works_out_their_charge_on_a_phone(browser: Browser, portal_url: str,
                                                       language: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.csp_violations = []  # type: ignore[attr-defined]
    work_it_out(page, portal_url, language)
    # The estimate in the other language, nothing typed again.
    other = "en" if language == "cy" else "cy"
    page.get_by_role("button", name=WORDS[language]["other"]).click()
    expect(page.locator("html")).to_have_attribute("lang", other)
    expect(page.locator("main")).to_contain_text(WORDS[other]["charge"])
    context.close()


def test_it_works_without_javascript(browser: Browser, portal_url: str) -> None:
    """Every button is a form's: the journey needs no script. (axe runs as a script,
    so it checks these pages above, where scripts run.)"""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    work_it_out(page, portal_url, "cy", check=lambda page: None)
    context.close()
