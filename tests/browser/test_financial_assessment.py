"""Eleri asks Merthyr Tudful for a financial assessment on a phone, in Welsh and in
English: from "Your charges" to the estimate, its answers carried over, her home,
a pension letter uploaded, the declaration, and her request on "Requests"; then,
once the council has decided, she asks it to look at its decision again and reads
what it decides. axe-core on every page."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from portal.sandbox.backoffice.documents import pdf
from tests.browser.conftest import PHONE, Stack, assert_accessible, open_page, started_stack
from tests.browser.people import back_office_of, sign_in_linked
from tests.browser.test_estimate import WORDS as ESTIMATE

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"ask": "Gofyn am asesiad ariannol", "start": "Dechrau gyda'r amcangyfrif",
           "owns": "Nac ydw", "partner": "Ydych chi'n byw gyda gŵr, gwraig neu bartner?",
           "letter": "Llythyr am eich pensiwn neu eich budd-daliadau (dewisol)",
           "declare": "Rwy'n cadarnhau", "send": "Anfon y cais", "sent": "Cais wedi'i anfon",
           "requests": "Asesiadau ariannol", "error": "Mae problem wedi codi",
           "no_declaration": "Cadarnhewch fod yr hyn rydych chi wedi'i ddweud wrthyn ni yn wir",
           "look_again": "Gofyn i'r cyngor edrych arno eto",
           "why": "Pam rydych chi'n meddwl bod y penderfyniad yn anghywir?",
           "no_reasons": "Rhowch pam rydych chi'n meddwl bod y penderfyniad yn anghywir",
           "send_it": "Anfon", "decided": "£65.00 yr wythnos", "looked": "£40.00 yr wythnos"},
    "en": {"ask": "Ask for a financial assessment", "start": "Start with the estimate",
           "owns": "No", "partner": "Do you live with a husband, wife or partner?",
           "letter": "A letter about your pension or benefits (optional)",
           "declare": "I confirm", "send": "Send request", "sent": "Request sent",
           "requests": "Financial assessments", "error": "There is a problem",
           "no_declaration": "Confirm that what you have told us is true",
           "look_again": "Ask the council to look at it again",
           "why": "Why do you think the decision is wrong?",
           "no_reasons": "Enter why you think the decision is wrong",
           "send_it": "Send", "decided": "£65.00 a week", "looked": "£40.00 a week"},
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The portal keeping the council's answers a second, not half a minute: what the
    council decides shows as soon as she opens the page again."""
    with started_stack(tmp_path_factory, lambda _ports: {"BACKOFFICE_CACHE_SECONDS": "1"}
                       ) as started:
        yield started


@pytest.mark.parametrize("language", ["cy", "en"])
def test_eleri_asks_for_a_financial_assessment_with_her_pension_letter(
        browser: Browser, stack: Stack, language: str) -> None:
    w, e, portal_url = WORDS[language], ESTIMATE[language], stack.url
    page = open_page(browser)
    page.set_viewport_size(PHONE)
    sign_in_linked(page, portal_url, "Eleri Price", language)
    # (the language she chose last time here, whichever run was first)
    page.goto(f"{portal_url}/language/{language}?next=/your-charges")
    page.get_by_role("link", name=w["ask"]).click()
    assert_accessible(page)
    page.get_by_role("button", name=w["start"]).click()
    page.get_by_role("radio", name=e["council"]).check()
    page.get_by_role("button", name=e["continue"]).click()
    page.get_by_role("radio", name=e["yes"], exact=True).check()
    page.get_by_role("button", name=e["continue"]).click()
    page.get_by_role("radio", name=e["aa"]).check()
    page.get_by_role("button", name=e["continue"]).click()
    page.get_by_label(e["state_pension"], exact=True).fill("180.00")
    page.get_by_label(e["pension_credit"], exact=True).fill("144.05")
    page.get_by_role("button", name=e["continue"]).click()
    page.get_by_label(e["savings"]).fill("3000")
    page.get_by_role("button", name=e["continue"]).click()
    page.get_by_label(e["extra"]).fill("10")
    page.get_by_role("button", name=e["continue"]).click()
    page.get_by_role("radio", name=e["night"], exact=True).check()
    page.get_by_role("button", name=e["continue"]).click()
    expect(page.locator("main")).to_contain_text(e["charge"])
    page.get_by_role("button", name=w["ask"]).click()
    # Her home: both questions.
    assert_accessible(page)
    page.locator("input[name=owns_home][value=no]").check()
    page.get_by_role("group", name=w["partner"]).get_by_label(w["owns"], exact=True).check()
    page.get_by_role("button", name=e["continue"]).click()
    # Check your answers: sent without the declaration, then with it and her letter.
    assert_accessible(page)
    page.get_by_role("button", name=w["send"]).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(w["no_declaration"])
    assert_accessible(page)
    # The file upload as GOV.UK Frontend makes it: a button that opens the file chooser.
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=w["letter"]).click()
    chooser.value.set_files(files=[{"name": "pension-letter.pdf", "mimeType": "application/pdf",
                                    "buffer": pdf(["State Pension 2026"])}])
    page.get_by_label(w["declare"]).check()
    page.get_by_role("button", name=w["send"]).click()
    expect(page.locator(".govuk-panel")).to_contain_text(w["sent"])
    expect(page.locator("main")).to_contain_text("pension-letter.pdf")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    reference = page.locator(".portal-reference").inner_text().strip()
    assessment = page.url.split("?")[0]
    page.goto(f"{portal_url}/your-requests")
    expect(page.locator("main")).to_contain_text(w["requests"])
    assert_accessible(page)

    # The council decides; she thinks it wrong and asks it to look again, on her phone.
    page.set_viewport_size(PHONE)
    council = back_office_of(stack.backoffice_url, "Eleri Price")
    answer(council, "financial-assessments", reference, 6500)
    opened(page, assessment, w["decided"])
    page.get_by_role("button", name=w["look_again"]).click()
    assert_accessible(page)
    page.get_by_role("button", name=w["send_it"], exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(w["no_reasons"])
    assert_accessible(page)
    page.get_by_label(w["why"]).fill("My rent went up in April.")
    page.get_by_role("button", name=w["send_it"], exact=True).click()
    expect(page.locator(".govuk-panel")).to_contain_text(w["sent"])
    assert_accessible(page)
    looked_again = page.locator(".portal-reference").inner_text().strip()
    answer(council, "charging-reviews", looked_again, 4000)
    opened(page, assessment, w["looked"])
    expect(page.get_by_role("button", name=w["look_again"])).to_have_count(0)
    assert_accessible(page)
    page.context.close()


def answer(council: str, kind: str, reference: str, weekly_charge_pence: int) -> None:
    """The council decides, as its staff would, once the worker has given it the request."""
    held: list[dict[str, Any]] = []
    for _ in range(60):
        listed = requests.get(f"{council}/_sandbox/{kind}", timeout=5).json()[
            kind.replace("-", "_")]
        held = [t for t in listed if t["portal_reference"] == reference]
        if held:
            break
        time.sleep(0.5)
    assert held, f"the council never had {reference}"
    requests.post(f"{council}/_sandbox/{kind}/{held[0]['id']}/answer", timeout=5, json={
        "answer": "We have counted your rent.", "language": "en",
        "weekly_charge_pence": weekly_charge_pence}).raise_for_status()


def opened(page: Page, address: str, showing: str) -> None:
    """The page, once it shows what the council decided (read from the council, kept
    briefly)."""
    for _ in range(80):
        page.goto(address)
        if page.get_by_text(showing).count():
            return
        time.sleep(0.5)
    expect(page.locator("main")).to_contain_text(showing)
