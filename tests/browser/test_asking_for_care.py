"""The front door, on a phone: Nerys asks the council for care and support for her
neighbour, in Welsh and in English; someone not signed in asks for themselves in
Welsh, after being shown who to phone; Huw writes his emergency plan, changes it and
downloads it. At 320 px, axe-core on every page, the messages Notify sends read in
the language chosen."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, Stack, assert_accessible, open_page
from tests.browser.people import council_name, sign_in, sign_in_linked

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"start_link": "Gofyn am ofal a chymorth", "start": "Dechrau nawr",
           "continue": "Parhau", "problem": "Mae problem wedi codi",
           "soon": "Nac oes, ond mae angen help yn ystod y dyddiau nesaf",
           "not_urgent": "Nac oes, dydy e ddim yn fater brys",
           "at_risk": "Oes, mae rhywun mewn perygl neu mewn perygl o niwed nawr",
           "get_help": "Cael help nawr", "carry_on": "Dal ati i ofyn",
           "someone_else": "Rhywun arall: perthynas, ffrind neu gymydog", "self": "Fi fy hun",
           "agreed": "Ydyn, maen nhw'n cytuno", "their_name": "Eu henw llawn",
           "your_name": "Eich enw llawn", "their_address": "Eu cyfeiriad",
           "your_address": "Eich cyfeiriad", "postcode": "Cod post", "day": "Diwrnod",
           "month": "Mis", "year": "Blwyddyn",
           "matters_them": "Beth sy'n bwysig iddyn nhw?",
           "matters_you": "Beth sy'n bwysig i chi?",
           "hard_them": "Beth sy'n anodd iddyn nhw nawr?",
           "hard_you": "Beth sy'n anodd i chi nawr?",
           "advocate": "Ddim yn siŵr", "no_advocate": "Na fyddai, does dim angen eiriolwr",
           "knows": "Sut rydych chi'n eu hadnabod?", "by_email": "Drwy e-bost",
           "by_phone": "Dros y ffôn", "email": "Cyfeiriad e-bost", "phone": "Rhif ffôn",
           "send": "Anfon y cais", "sent": "Cais wedi'i anfon",
           "subject": "Brys: mae gan y cyngor y cais am asesiad o anghenion gofal a chymorth",
           "received": "Wedi'i gael gan y cyngor"},
    "en": {"start_link": "Ask for care and support", "start": "Start now",
           "continue": "Continue", "problem": "There is a problem",
           "soon": "No, but help is needed in the next few days",
           "not_urgent": "No, it is not urgent",
           "at_risk": "Yes, someone is in danger or at risk of harm now",
           "get_help": "Get help now", "carry_on": "Carry on asking",
           "someone_else": "Someone else: a relative, friend or neighbour", "self": "I do",
           "agreed": "Yes, they agree", "their_name": "Their full name",
           "your_name": "Your full name", "their_address": "Their address",
           "your_address": "Your address", "postcode": "Postcode", "day": "Day",
           "month": "Month", "year": "Year",
           "matters_them": "What matters to them?", "matters_you": "What matters to you?",
           "hard_them": "What is hard for them now?", "hard_you": "What is hard for you now?",
           "advocate": "Not sure", "no_advocate": "No, an advocate is not needed",
           "knows": "How do you know them?", "by_email": "By email", "by_phone": "By phone",
           "email": "Email address", "phone": "Phone number", "send": "Send request",
           "sent": "Request sent",
           "subject": "Urgent: the council has the request for an assessment of care and "
                      "support needs",
           "received": "Received by the council"},
}


def carry_on(page: Page, w: dict[str, str]) -> None:
    """On to the next question, once this page is found accessible."""
    assert_accessible(page)
    page.get_by_role("button", name=w["continue"]).click()


def sent_to(stack: Stack, reference: str) -> list[dict[str, Any]]:
    """What Notify was asked to send about this request, once the worker sends it."""
    found: list[dict[str, Any]] = []
    for _ in range(60):
        sent = requests.get(f"{stack.notify_url}/_sandbox/notifications", timeout=5).json()
        found = [n for n in sent if reference in n["body"]]
        if found:
            break
        time.sleep(0.25)
    return found


@pytest.mark.parametrize("language", ["cy", "en"])
def test_nerys_asks_for_help_for_her_neighbour(browser: Browser, stack: Stack,
                                               language: str) -> None:
    w = WORDS[language]
    nerys = open_page(browser, PHONE)
    sign_in(nerys, stack.url, "Nerys Pritchard", language)
    nerys.goto(f"{stack.url}/language/{language}?next=/ask-for-care-and-support")
    expect(nerys.locator("h1")).to_have_text(w["start_link"])
    expect(nerys.locator(".govuk-warning-text")).to_contain_text("999")
    assert_accessible(nerys)
    nerys.get_by_role("button", name=w["start"]).click()
    nerys.get_by_role("button", name=w["continue"]).click()
    expect(nerys.locator(".govuk-error-summary")).to_contain_text(w["problem"])
    assert_accessible(nerys)
    nerys.get_by_label(w["soon"]).check()
    carry_on(nerys, w)
    nerys.get_by_label(w["someone_else"]).check()
    carry_on(nerys, w)
    nerys.get_by_label(w["agreed"]).check()
    carry_on(nerys, w)
    nerys.get_by_label(w["their_name"]).fill("Idris Roberts")
    nerys.get_by_label(w["day"]).fill("3")
    nerys.get_by_label(w["month"]).fill("4")
    nerys.get_by_label(w["year"]).fill("1938")
    nerys.get_by_label(w["their_address"]).fill("2 Stryd y Capel\nMerthyr Tudful")
    nerys.get_by_label(w["postcode"], exact=True).fill("cf47 8bb")
    carry_on(nerys, w)
    # The postcode is in Merthyr Tudful's area: that council is chosen, to confirm.
    merthyr = nerys.get_by_label(council_name("W06000024", language), exact=True)
    expect(merthyr).to_be_checked()
    carry_on(nerys, w)
    nerys.get_by_label(w["matters_them"]).fill("Aros yn ei gartref, a mynd i'r capel")
    carry_on(nerys, w)
    nerys.get_by_label(w["hard_them"]).fill("Codi o'r gwely, a choginio")
    carry_on(nerys, w)
    carry_on(nerys, w)  # who helps them: nothing to add
    nerys.get_by_label(w["advocate"]).check()
    carry_on(nerys, w)
    nerys.get_by_label(w["your_name"]).fill("Nerys Pritchard")
    nerys.get_by_label(w["knows"]).fill("Cymydog")
    nerys.get_by_label(w["by_email"]).check()
    nerys.get_by_label(w["email"]).fill("nerys.pritchard@example.com")
    carry_on(nerys, w)
    expect(nerys.locator(".govuk-summary-list")).to_contain_text("CF47 8BB")
    expect(nerys.locator(".govuk-summary-list")).to_contain_text(
        council_name("W06000024", language))
    assert_accessible(nerys)
    nerys.get_by_role("button", name=w["send"]).click()
    expect(nerys.locator(".govuk-panel")).to_contain_text(w["sent"])
    reference = nerys.locator(".portal-reference").inner_text().strip()
    assert_accessible(nerys)
    told = sent_to(stack, reference)
    assert [n["subject"] for n in told] == [w["subject"]]
    assert told[0]["email_address"] == "nerys.pritchard@example.com"
    nerys.goto(f"{stack.url}/ask-for-care-and-support")
    card = nerys.locator(".govuk-summary-card", has_text=reference)
    expect(card).to_contain_text(w["received"])
    assert_accessible(nerys)
    card.get_by_role("link").click()
    expect(nerys.locator("h1")).to_contain_text(reference)
    assert_accessible(nerys)
    nerys.context.close()


def test_someone_not_signed_in_asks_for_themselves_in_welsh(browser: Browser,
                                                           stack: Stack) -> None:
    w = WORDS["cy"]
    megan = open_page(browser, PHONE)
    megan.goto(f"{stack.url}/language/cy?next=/")
    megan.get_by_role("link", name=w["start_link"], exact=True).first.click()
    expect(megan.locator("h1")).to_have_text(w["start_link"])
    assert_accessible(megan)
    megan.get_by_role("button", name=w["start"]).click()
    # Someone at risk now is shown who to phone before any other question.
    megan.get_by_label(w["at_risk"]).check()
    carry_on(megan, w)
    expect(megan.locator("h1")).to_have_text(w["get_help"])
    expect(megan.locator("main")).to_contain_text("999")
    assert_accessible(megan)
    megan.get_by_role("button", name=w["carry_on"]).click()
    megan.get_by_label(w["self"]).check()
    carry_on(megan, w)
    megan.get_by_label(w["your_name"]).fill("Megan Owen")
    megan.get_by_label(w["your_address"]).fill("5 Ffordd y Môr\nAberystwyth")
    megan.get_by_label(w["postcode"], exact=True).fill("SY23 1AB")
    carry_on(megan, w)
    expect(megan.get_by_label(council_name("W06000008", "cy"), exact=True)).to_be_checked()
    carry_on(megan, w)
    megan.get_by_label(w["matters_you"]).fill("Byw ar fy mhen fy hun, a gweld fy wyrion")
    carry_on(megan, w)
    megan.get_by_label(w["hard_you"]).fill("Y grisiau, a mynd i'r bath")
    carry_on(megan, w)
    carry_on(megan, w)
    megan.get_by_label(w["no_advocate"]).check()
    carry_on(megan, w)
    megan.get_by_label(w["by_phone"]).check()
    megan.get_by_label(w["phone"], exact=True).fill("07700 900 982")
    carry_on(megan, w)
    assert_accessible(megan)
    megan.get_by_role("button", name=w["send"]).click()
    expect(megan.locator(".govuk-panel")).to_contain_text(w["sent"])
    reference = megan.locator(".portal-reference").inner_text().strip()
    expect(megan.locator("main")).to_contain_text("07700 900 982")
    assert_accessible(megan)
    told = sent_to(stack, reference)
    assert len(told) == 1 and told[0]["phone_number"] == "07700 900 982"
    assert told[0]["body"].startswith("Mae gan y cyngor y cais brys")
    megan.context.close()


PLAN_WORDS = {
    "cy": {"area": "Cymorth i ofalwyr", "write": "Ysgrifennu cynllun argyfwng",
           "name": "Eu henw llawn",
           "contacts": "Pwy ddylai gael eu cysylltu os na allwch chi ofalu?",
           "daily": "Beth sydd ei angen arnyn nhw bob dydd?",
           "medicines": "Meddyginiaethau (dewisol)", "keys": "Allweddi (dewisol)",
           "step_in": "Pwy arall sy'n gallu camu i mewn?",
           "save": "Cadw ac anfon at y cyngor", "problem": "Mae problem wedi codi",
           "change": "Newid y cynllun", "download": "Ei lawrlwytho fel PDF i'w argraffu",
           "title": "Cynllun argyfwng: Dafydd Hughes", "has_it": "Mae'r fersiwn hon gan y cyngor"},
    "en": {"area": "Support for carers", "write": "Write an emergency plan",
           "name": "Their full name", "contacts": "Who should be contacted if you cannot care?",
           "daily": "What do they need each day?", "medicines": "Medicines (optional)",
           "keys": "Keys (optional)", "step_in": "Who else can step in?",
           "save": "Save and send to the council", "problem": "There is a problem",
           "change": "Change the plan", "download": "Download it as a PDF to print",
           "title": "Emergency plan: Dafydd Hughes", "has_it": "The council has this version"},
}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_huw_writes_his_emergency_plan(browser: Browser, stack: Stack, language: str) -> None:
    w = PLAN_WORDS[language]
    huw = open_page(browser, PHONE)
    sign_in_linked(huw, stack.url, "Huw Hughes", language)
    huw.goto(f"{stack.url}/language/{language}?next=/support-for-carers")
    if huw.locator("form[action$='/i-look-after-someone'] button").count():
        huw.locator("form[action$='/i-look-after-someone'] button").click()
    assert_accessible(huw)
    huw.get_by_role("button", name=w["write"]).click()
    huw.get_by_role("button", name=w["save"]).click()
    expect(huw.locator(".govuk-error-summary")).to_contain_text(w["problem"])
    assert_accessible(huw)
    huw.get_by_label(w["name"]).fill("Dafydd Hughes")
    huw.get_by_label(council_name("W06000008", language), exact=True).check()
    huw.get_by_label(w["contacts"]).fill("Fi, Huw: 07700 900 456\nY meddyg: 01970 960 111")
    huw.get_by_label(w["daily"]).fill("Help i godi a gwisgo am 8, a swper am 6")
    huw.get_by_label(w["medicines"]).fill("Inswlin cyn brecwast a swper, yn yr oergell")
    huw.get_by_label(w["keys"]).fill("Mae gan Mrs Evans drws nesaf allwedd")
    huw.get_by_label(w["step_in"]).fill("Ein chwaer Ffion, am ddiwrnod neu ddau")
    huw.get_by_role("button", name=w["save"]).click()
    expect(huw.locator("h1")).to_have_text(w["title"])
    expect(huw.locator("main")).to_contain_text("Inswlin cyn brecwast")
    assert_accessible(huw)
    huw.get_by_role("button", name=w["change"]).click()
    assert_accessible(huw)
    huw.get_by_label(w["step_in"]).fill("Ein chwaer Ffion, neu Mrs Evans drws nesaf")
    huw.get_by_role("button", name=w["save"]).click()
    expect(huw.locator("main")).to_contain_text("neu Mrs Evans drws nesaf")
    for _ in range(60):  # the outbox worker gives the council the new version
        huw.reload()
        if huw.get_by_text(w["has_it"]).count():
            break
        time.sleep(0.25)
    expect(huw.locator("main")).to_contain_text(w["has_it"])
    with huw.expect_download() as downloading:
        huw.get_by_role("link", name=w["download"]).click()
    assert downloading.value.suggested_filename.startswith("emergency-plan-EP-")
    assert_accessible(huw)
    huw.context.close()
