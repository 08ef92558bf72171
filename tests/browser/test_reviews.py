"""Book, move and cancel a review in a real browser, once in Welsh and once in
English, with a carer who gets messages in the other language. The embedded
stack's own outbox worker sends them; the sandbox Notify must hold the right
messages for each. axe-core on every page."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Stack, assert_accessible, open_page
from tests.browser.people import sign_in, sign_in_linked
from tests.browser.test_acting_for import WORDS as SIGN_IN_WORDS

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {
        "notifications": "Cael e-byst neu negeseuon testun am eich gofal",
        "book": "Trefnu adolygiad", "continue": "Parhau", "problem": "Mae problem wedi codi",
        "changed": "Mae rhywbeth wedi newid", "what_changed": "Dywedwch fwy wrthym",
        "home": "Gartref", "welsh_worker": "Gweithiwr sy'n siarad Cymraeg",
        "book_it": "Trefnu'r adolygiad", "requested": "Gofynnwyd am adolygiad",
        "see_it": "Gweld y cais hwn", "move": "Symud yr adolygiad",
        "cancel": "Canslo'r adolygiad", "cancelled": "Wedi'i ganslo",
        "booked_subject": "Adolygiad wedi'i drefnu", "moved_subject": "Adolygiad wedi'i symud",
        "cancelled_subject": "Adolygiad wedi'i ganslo",
    },
    "en": {
        "notifications": "Get emails or texts about your care",
        "book": "Book a review", "continue": "Continue", "problem": "There is a problem",
        "changed": "Something has changed", "what_changed": "Tell us more",
        "home": "At home", "welsh_worker": "A Welsh-speaking worker",
        "book_it": "Book the review", "requested": "Review requested",
        "see_it": "See this request", "move": "Move the review",
        "cancel": "Cancel the review", "cancelled": "Cancelled",
        "booked_subject": "Review booked", "moved_subject": "Review moved",
        "cancelled_subject": "Review cancelled",
    },
}


def save_language(page: Page, url: str, language: str) -> None:
    """Record the language for everything sent to them, on Your account."""
    page.goto(f"{url}/account")
    page.get_by_label({"cy": "Cymraeg", "en": "English"}[language]).check()
    page.locator("form:has(input[name=language]) .govuk-button").click()


def add_carer_for_messages(gwen: Page, sian: Page, url: str, gwen_language: str,
                           sian_language: str) -> None:
    """Gwen gives Siân the notifications scope; Siân takes it up with the code."""
    g, s = SIGN_IN_WORDS[gwen_language], SIGN_IN_WORDS[sian_language]
    gwen.goto(f"{url}/who-can-act-for-you/invite")
    gwen.get_by_label(g["name"]).fill("Siân Morgan")
    gwen.get_by_label(g["contact"]).fill("sian.morgan@example.com")
    gwen.get_by_label(g["relationship"]).fill("Merch")
    gwen.get_by_label(WORDS[gwen_language]["notifications"]).check()
    gwen.get_by_role("button", name=g["add_and_code"]).click()
    code = gwen.locator(".portal-code").inner_text().strip()
    sign_in(sian, url, "Siân Morgan", sian_language)
    save_language(sian, url, sian_language)
    sian.goto(f"{url}/act-for-someone")
    sian.get_by_label(s["your_code"]).fill(code)
    sian.get_by_role("button", name=s["continue"]).click()


def choose_day_then_time(page: Page, words: dict[str, str]) -> None:
    """The first day offered, then the first time that day."""
    page.locator("input[name=day]").first.check()
    page.get_by_role("button", name=words["continue"]).click()
    assert_accessible(page)
    page.locator("input[name=slot]").first.check()
    page.get_by_role("button", name=words["continue"]).click()


def messages_about(stack: Stack, reference: str, subject: str, count: int) -> list[Any]:
    """Wait for the outbox worker to send `count` messages with this subject."""
    deadline = time.monotonic() + 20
    while True:
        sent = requests.get(f"{stack.notify_url}/_sandbox/notifications", timeout=5).json()
        found = [n for n in sent if reference in n["body"] and
                 (n["subject"] or "").startswith(subject)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.3)


def to(found: list[Any], address: str) -> list[Any]:
    return [n for n in found if n["email_address"] == address]


@pytest.mark.parametrize("person_language, carer_language", [("cy", "en"), ("en", "cy")],
                         ids=["person-in-welsh", "person-in-english"])
def test_book_move_and_cancel_a_review_and_everyone_hears_in_their_language(
        browser: Browser, stack: Stack, person_language: str, carer_language: str) -> None:
    url, w, c = stack.url, WORDS[person_language], WORDS[carer_language]
    gwen, sian = open_page(browser), open_page(browser)
    sign_in_linked(gwen, url, "Gwen Morgan", person_language)
    save_language(gwen, url, person_language)
    add_carer_for_messages(gwen, sian, url, person_language, carer_language)

    gwen.goto(f"{url}/your-care")
    gwen.get_by_role("link", name=w["book"], exact=True).click()
    gwen.get_by_role("button", name=w["continue"]).click()
    expect(gwen.locator(".govuk-error-summary")).to_contain_text(w["problem"])
    assert_accessible(gwen)
    gwen.get_by_label(w["changed"]).check()
    gwen.get_by_label(w["what_changed"]).fill("Rwy wedi cwympo yn y gegin")
    gwen.get_by_role("button", name=w["continue"]).click()
    gwen.get_by_label(w["home"]).check()
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["continue"]).click()
    assert_accessible(gwen)
    choose_day_then_time(gwen, w)
    gwen.get_by_label(w["welsh_worker"]).check()
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["continue"]).click()
    expect(gwen.locator("main")).to_contain_text("Rwy wedi cwympo yn y gegin")
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["book_it"]).click()
    expect(gwen.locator(".govuk-panel")).to_contain_text(w["requested"])
    reference = gwen.locator(".portal-reference").inner_text().strip()
    assert_accessible(gwen)

    booked = messages_about(stack, reference, "", 2)
    assert [n["subject"] for n in to(booked, "gwen.morgan@example.com")][0].startswith(
        w["booked_subject"])
    assert [n["subject"] for n in to(booked, "sian.morgan@example.com")][0].startswith(
        c["booked_subject"])

    gwen.get_by_role("link", name=w["see_it"]).click()
    assert_accessible(gwen)
    gwen.get_by_role("link", name=w["move"]).click()
    assert_accessible(gwen)
    choose_day_then_time(gwen, w)
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["move"]).click()
    expect(gwen.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_accessible(gwen)
    assert len(to(messages_about(stack, reference, w["moved_subject"], 1),
                  "gwen.morgan@example.com")) == 1
    assert len(to(messages_about(stack, reference, c["moved_subject"], 1),
                  "sian.morgan@example.com")) == 1

    gwen.get_by_role("link", name=w["cancel"]).click()
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["cancel"]).click()
    expect(gwen.locator(".govuk-notification-banner--success")).to_be_visible()
    assert len(to(messages_about(stack, reference, w["cancelled_subject"], 1),
                  "gwen.morgan@example.com")) == 1
    assert len(to(messages_about(stack, reference, c["cancelled_subject"], 1),
                  "sian.morgan@example.com")) == 1
    gwen.reload()
    expect(gwen.locator(".govuk-summary-list")).to_contain_text(w["cancelled"])
    assert_accessible(gwen)
    gwen.context.close()
    sian.context.close()
