"""A carer in her own right: Nerys, who looks after her neighbour and has no care
record, says she is a carer and asks for a carer's needs assessment (in Welsh she
says she cannot carry on; in English that she can, with more support), then
follows it; Siân asks to help Gwen, and Gwen lets her do some of what she asked;
Siân reads her own support plan as a carer. axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import assert_accessible, open_page
from tests.browser.people import (
    COUNCILS,
    council_name,
    link_record_of,
    sign_in,
    sign_in_linked,
)

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {
        "area": "Cymorth i ofalwyr", "area_h1": "Cymorth i chi fel gofalwr",
        "i_care": "Rydw i'n gofalu am rywun",
        "ask": "Gofyn am asesiad o anghenion gofalwr", "continue": "Parhau",
        "problem": "Mae problem wedi codi", "name": "Eu henw llawn",
        "relationship": "Sut rydych chi'n perthyn iddyn nhw?", "live_no": "Nac ydw",
        "care_no": "Nac ydyn", "task": "Siopa a negeseuon", "hours": "20 i 34 awr",
        "carry_on": "Na, alla i ddim neu dydw i ddim eisiau dal ati i ofalu",
        "matters": "Cwsg", "your_name": "Eich enw llawn", "by_email": "Drwy e-bost",
        "email": "Cyfeiriad e-bost", "language": "Cymraeg",
        "urgent": "Byddwn ni'n dweud wrth y cyngor fod hyn yn fater brys",
        "send": "Anfon y cais", "sent": "Cais wedi'i anfon", "status": "Yn anfon at y cyngor",
        "plan_h1": "Eich cynllun cymorth fel gofalwr",
        "plan_link": "Gweld eich cynllun cymorth fel gofalwr",
        "plan_text": "Gofal seibiant",
    },
    "en": {
        "area": "Support for carers", "area_h1": "Support for you as a carer",
        "i_care": "I look after someone", "ask": "Ask for a carer's needs assessment",
        "continue": "Continue", "problem": "There is a problem", "name": "Their full name",
        "relationship": "How are you related to them?", "live_no": "No", "care_no": "No",
        "task": "Shopping and errands", "hours": "20 to 34 hours",
        "carry_on": "Yes, but only with more support", "matters": "Sleep",
        "your_name": "Your full name", "by_email": "By email", "email": "Email address",
        "language": "English", "urgent": None, "send": "Send request", "sent": "Request sent",
        "status": "Sending to the council", "plan_h1": "Your support plan as a carer",
        "plan_link": "See your support plan as a carer", "plan_text": "Gofal seibiant",
    },
}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_carer_with_no_care_record_asks_for_an_assessment(
        browser: Browser, portal_url: str, language: str) -> None:
    w = WORDS[language]
    nerys = open_page(browser)
    sign_in(nerys, portal_url, "Nerys Pritchard", language)
    nerys.goto(f"{portal_url}/language/{language}?next=/people-you-help")
    nerys.get_by_role("link", name=w["area"], exact=True).first.click()
    expect(nerys.locator("h1")).to_have_text(w["area_h1"])
    assert_accessible(nerys)
    if nerys.get_by_role("button", name=w["i_care"]).count():
        nerys.get_by_role("button", name=w["i_care"]).click()
    assert_accessible(nerys)
    nerys.get_by_role("button", name=w["ask"]).click()
    nerys.get_by_role("button", name=w["continue"]).click()
    expect(nerys.locator(".govuk-error-summary")).to_contain_text(w["problem"])
    assert_accessible(nerys)
    nerys.get_by_label(w["name"]).fill("Idris Roberts")
    # Her neighbour lives in Merthyr Tudful: the council of the area he lives in is asked.
    nerys.get_by_label(council_name("W06000024", language), exact=True).check()
    nerys.get_by_role("button", name=w["continue"]).click()
    assert_accessible(nerys)
    nerys.get_by_label(w["relationship"]).fill("Cymydog")
    nerys.get_by_role("group").nth(0).get_by_label(w["live_no"], exact=True).check()
    nerys.get_by_role("group").nth(1).get_by_label(w["care_no"], exact=True).check()
    nerys.get_by_role("button", name=w["continue"]).click()
    assert_accessible(nerys)
    nerys.get_by_label(w["task"]).check()
    nerys.get_by_label(w["hours"]).check()
    nerys.get_by_role("button", name=w["continue"]).click()
    assert_accessible(nerys)
    nerys.get_by_label(w["carry_on"]).check()
    nerys.get_by_role("button", name=w["continue"]).click()
    assert_accessible(nerys)
    nerys.get_by_label(w["matters"], exact=True).check()
    nerys.get_by_role("button", name=w["continue"]).click()
    assert_accessible(nerys)
    nerys.get_by_label(w["your_name"]).fill("Nerys Pritchard")
    nerys.get_by_label(w["by_email"]).check()
    nerys.get_by_label(w["email"]).fill("nerys.pritchard@example.com")
    nerys.get_by_label(w["language"]).check()
    nerys.get_by_role("button", name=w["continue"]).click()
    assert_accessible(nerys)
    if w["urgent"]:
        expect(nerys.locator(".govuk-warning-text")).to_contain_text(w["urgent"])
    expect(nerys.locator(".govuk-summary-list")).to_contain_text(
        council_name("W06000024", language))
    nerys.get_by_role("button", name=w["send"]).click()
    expect(nerys.locator(".govuk-panel")).to_contain_text(w["sent"])
    reference = nerys.locator(".portal-reference").inner_text().strip()
    assert_accessible(nerys)
    nerys.goto(f"{portal_url}/support-for-carers")
    card = nerys.locator(".govuk-summary-card", has_text=reference)
    expect(card).to_be_visible()
    assert_accessible(nerys)
    card.get_by_role("link").click()
    expect(nerys.locator("h1")).to_contain_text(reference)
    assert_accessible(nerys)
    nerys.context.close()


ASKING = {
    "cy": {"ask": "Gofyn i rywun adael i chi eu helpu",
           "their_reference": "Eu rhif cyfeirnod cyngor",
           "your_name": "Eich enw llawn", "knows": "Sut maen nhw'n eich adnabod chi?",
           "plan": "Gweld y cynllun gofal a chymorth a'r ymweliadau",
           "reviews": "Trefnu a newid adolygiadau", "money": "Gweld a thalu taliadau am ofal",
           "send_ask": "Gofyn iddyn nhw", "asked": "Rydyn ni wedi gofyn iddyn nhw",
           "answer": "Ateb", "yes": "Ydw, gallan nhw weithredu ar fy rhan",
           "person_money": "Gweld a thalu eich taliadau am ofal",
           "send_answer": "Anfon eich ateb",
           "done": "Gall Siân Morgan weithredu ar eich rhan nawr."},
    "en": {"ask": "Ask someone to let you help them",
           "their_reference": "Their council reference number", "your_name": "Your full name",
           "knows": "How do they know you?", "plan": "See the care and support plan and visits",
           "reviews": "Book and change reviews", "money": "See and pay care charges",
           "send_ask": "Ask them", "asked": "We have asked them", "answer": "Answer",
           "yes": "Yes, they can act for me", "person_money": "See and pay your care charges",
           "send_answer": "Send your answer", "done": "Siân Morgan can now act for you."},
}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_carer_asks_to_help_gwen_and_gwen_lets_her_do_some_of_it(
        browser: Browser, portal_url: str, language: str) -> None:
    a = ASKING[language]
    gwen = open_page(browser)
    sign_in_linked(gwen, portal_url, "Gwen Morgan", language)
    sian = open_page(browser)
    sign_in(sian, portal_url, "Siân Morgan", language)
    sian.goto(f"{portal_url}/language/{language}?next=/people-you-help")
    sian.get_by_role("link", name=a["ask"]).click()
    assert_accessible(sian)
    sian.get_by_role("button", name=a["send_ask"]).click()
    expect(sian.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(sian)
    sian.get_by_label(council_name(COUNCILS["Gwen Morgan"], language), exact=True).check()
    sian.get_by_label(a["their_reference"]).fill("C104233")
    sian.locator("#birth_date-day").fill("14")
    sian.locator("#birth_date-month").fill("3")
    sian.locator("#birth_date-year").fill("1941")
    sian.get_by_label(a["your_name"]).fill("Siân Morgan")
    sian.get_by_label(a["knows"]).fill("Merch")
    for scope in ("plan", "reviews", "money"):
        sian.get_by_label(a[scope]).check()
    sian.get_by_role("button", name=a["send_ask"]).click()
    expect(sian.locator("h1")).to_have_text(a["asked"])
    assert_accessible(sian)

    gwen.goto(f"{portal_url}/language/{language}?next=/who-can-act-for-you")
    assert_accessible(gwen)
    gwen.get_by_role("link", name=a["answer"]).first.click()
    assert_accessible(gwen)
    gwen.get_by_label(a["yes"]).check()
    gwen.get_by_label(a["person_money"]).uncheck()
    gwen.get_by_role("button", name=a["send_answer"]).click()
    expect(gwen.locator(".govuk-notification-banner")).to_contain_text(a["done"])
    assert_accessible(gwen)
    sian.context.close()
    gwen.context.close()


@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_carer_reads_her_own_support_plan(browser: Browser, portal_url: str,
                                           language: str) -> None:
    w = WORDS[language]
    sian = open_page(browser)
    sign_in(sian, portal_url, "Siân Morgan", language)
    sian.goto(f"{portal_url}/language/{language}?next=/link-your-record")
    if sian.url.endswith("/link-your-record"):  # the first run links her record
        link_record_of(sian, "Siân Morgan", language)
    sian.goto(f"{portal_url}/language/{language}?next=/support-for-carers")
    if sian.get_by_role("button", name=w["i_care"]).count():
        sian.get_by_role("button", name=w["i_care"]).click()
    sian.get_by_role("link", name=w["plan_link"]).click()
    expect(sian.locator("h1")).to_have_text(w["plan_h1"])
    expect(sian.locator("main")).to_contain_text(w["plan_text"])
    assert_accessible(sian)
    sian.context.close()
