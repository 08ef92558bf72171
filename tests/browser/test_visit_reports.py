"""Eleri reports her missed visit from "Your visits", in Welsh and in English, and
finds the report on Your requests. axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import assert_accessible, open_page
from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"visits": "Eich ymweliadau", "report": "Rhoi gwybod am yr ymweliad hwn",
           "continue": "Parhau", "problem": "Mae problem wedi codi", "nobody": "Ddaeth neb",
           "no": "Nac oes", "details": "Oes unrhyw beth arall y dylai'r cyngor ei wybod?",
           "send": "Anfon yr adroddiad", "sent": "Adroddiad wedi'i anfon",
           "requests": "Eich ceisiadau"},
    "en": {"visits": "Your visits", "report": "Report this visit", "continue": "Continue",
           "problem": "There is a problem", "nobody": "Nobody came", "no": "No",
           "details": "Is there anything else the council should know?",
           "send": "Send report", "sent": "Report sent", "requests": "Your requests"},
}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_eleri_reports_her_missed_visit(browser: Browser, portal_url: str,
                                        language: str) -> None:
    w = WORDS[language]
    eleri = open_page(browser)
    sign_in_linked(eleri, portal_url, "Eleri Price", language)
    eleri.goto(f"{portal_url}/language/{language}?next=/your-care/visits")
    eleri.get_by_role("link", name=w["report"]).first.click()
    eleri.get_by_role("button", name=w["continue"]).click()
    expect(eleri.locator(".govuk-error-summary")).to_contain_text(w["problem"])
    assert_accessible(eleri)
    eleri.get_by_label(w["nobody"]).check()
    eleri.get_by_role("button", name=w["continue"]).click()
    assert_accessible(eleri)
    eleri.get_by_label(w["no"], exact=True).check()
    eleri.get_by_role("button", name=w["continue"]).click()
    assert_accessible(eleri)
    eleri.get_by_label(w["details"]).fill("Arhosais tan 2pm." if language == "cy"
                                          else "I waited until 2pm.")
    eleri.get_by_role("button", name=w["continue"]).click()
    assert_accessible(eleri)
    eleri.get_by_role("button", name=w["send"]).click()
    expect(eleri.locator(".govuk-panel")).to_contain_text(w["sent"])
    reference = eleri.locator(".portal-reference").inner_text().strip()
    assert_accessible(eleri)
    eleri.goto(f"{portal_url}/your-requests")
    expect(eleri.locator(".govuk-summary-card", has_text=reference)).to_be_visible()
    assert_accessible(eleri)
    eleri.context.close()
