"""Pay an invoice in a real browser, once in Welsh and once in English: the sandbox
Pay's pages in that language, a cancelled payment, a declined card, then a good
one and the receipt (and its email). axe-core on every page, Pay's included."""

from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Stack, assert_accessible, open_page
from tests.browser.people import sign_in_linked
from tests.browser.test_reviews import save_language

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"charges": "Eich taliadau", "pay": "Talu £96.40 nawr",
           "card_page": "Rhowch fanylion y cerdyn", "cancel": "Canslo'r taliad",
           "cancelled": "Cafodd eich taliad ei ganslo", "again": "Rhoi cynnig arall ar dalu",
           "continue": "Parhau", "declined_at_pay": "Mae eich taliad wedi'i wrthod",
           "back_to_service": "Mynd yn ôl i roi cynnig arall ar y taliad",
           "declined": "Cafodd eich taliad ei wrthod", "confirm": "Cadarnhau'r taliad",
           "received": "Taliad wedi'i dderbyn", "receipt_subject": "Derbynneb: taliad o £96.40"},
    "en": {"charges": "Your charges", "pay": "Pay £96.40 now",
           "card_page": "Enter card details", "cancel": "Cancel payment",
           "cancelled": "Your payment was cancelled", "again": "Try paying again",
           "continue": "Continue", "declined_at_pay": "Your payment has been declined",
           "back_to_service": "Go back to try the payment again",
           "declined": "Your payment was declined", "confirm": "Confirm payment",
           "received": "Payment received", "receipt_subject": "Receipt: payment of £96.40"},
}
# The Welsh run pays the overdue invoice, the English run the one due next.
INVOICES = {"cy": "INV-104233-02", "en": "INV-104233-03"}


def enter_card(page: Page, number: str, words: dict[str, str]) -> None:
    page.locator("#card_number").fill(number)
    page.locator("#expiry_month").fill("12")
    page.locator("#expiry_year").fill("2030")
    page.locator("#name").fill("Gwen Morgan")
    page.locator("#cvc").fill("123")
    page.get_by_role("button", name=words["continue"]).click()


def receipt_emails(stack: Stack, subject: str) -> list[dict[str, str]]:
    deadline = time.monotonic() + 20
    while True:
        sent = requests.get(f"{stack.notify_url}/_sandbox/notifications", timeout=5).json()
        found = [n for n in sent if (n["subject"] or "").startswith(subject)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


@pytest.mark.parametrize("language", ["cy", "en"])
def test_pay_an_invoice_after_a_cancelled_payment_and_a_declined_card(
        browser: Browser, stack: Stack, language: str) -> None:
    url, w = stack.url, WORDS[language]
    gwen = open_page(browser)
    sign_in_linked(gwen, url, "Gwen Morgan", language)
    save_language(gwen, url, language)

    gwen.goto(f"{url}/your-charges")
    expect(gwen.locator("h1")).to_have_text(w["charges"])
    assert_accessible(gwen)
    gwen.get_by_role("link", name=INVOICES[language]).click()
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["pay"]).click()

    expect(gwen.locator("h1")).to_have_text(w["card_page"])  # on Pay, in her language
    assert gwen.locator("html").get_attribute("lang") == language
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["cancel"]).click()
    expect(gwen.locator("h1")).to_have_text(w["cancelled"])
    assert_accessible(gwen)

    gwen.get_by_role("button", name=w["again"]).click()
    gwen.get_by_role("button", name=w["continue"]).click()  # nothing entered
    expect(gwen.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(gwen)
    enter_card(gwen, "4000000000000002", w)
    expect(gwen.locator("h1")).to_have_text(w["declined_at_pay"])
    assert_accessible(gwen)
    gwen.get_by_role("link", name=w["back_to_service"]).click()
    expect(gwen.locator("h1")).to_have_text(w["declined"])
    assert_accessible(gwen)

    gwen.get_by_role("button", name=w["again"]).click()
    enter_card(gwen, "4444333322221111", w)
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["confirm"]).click()
    expect(gwen.locator(".govuk-panel")).to_contain_text(w["received"])
    reference = gwen.locator(".portal-reference").inner_text().strip()
    assert re.fullmatch(r"PY-[A-Z2-9]{4}-[A-Z2-9]{4}", reference), reference
    assert_accessible(gwen)
    mine = [n for n in receipt_emails(stack, w["receipt_subject"])
            if INVOICES[language] in n["subject"]]
    assert len(mine) == 1 and mine[0]["email_address"] == "gwen.morgan@example.com"
    assert reference in mine[0]["body"]
    gwen.context.close()
