"""Gwen writes to her care team with a letter attached, in Welsh and in English, sees
the care team's reply arrive with the count of unread messages, and reads it.
axe-core on every page."""

from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from portal.sandbox.backoffice.documents import pdf
from tests.browser.conftest import PHONE, Stack, assert_accessible, open_page
from tests.browser.people import back_office_of, sign_in_linked

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"messages": "Negeseuon", "new": "Anfon neges newydd", "send": "Anfon y neges",
           "problem": "Mae problem wedi codi", "subject": "Pwnc", "message": "Neges",
           "file": "Atodi ffeil (dewisol)", "kind": "Rhaid i'r ffeil a ddewiswyd fod yn PDF",
           "choose": "Dewis ffeil", "none": "Dim ffeil wedi'i dewis",
           "on_its_way": "Mae eich neges ar ei ffordd", "fresh": "Newydd"},
    "en": {"messages": "Messages", "new": "Send a new message", "send": "Send message",
           "problem": "There is a problem", "subject": "Subject", "message": "Message",
           "file": "Attach a file (optional)", "kind": "The selected file must be a PDF",
           "choose": "Choose file", "none": "No file chosen",
           "on_its_way": "Your message is on its way", "fresh": "New"},
}


def attach(page: Page, words: dict[str, str], name: str, content: bytes) -> None:
    """Choose a file as a person does: the file upload's button, in the page's
    language, opens the browser's file chooser."""
    button = page.get_by_role("button", name=words["file"])
    expect(button).to_contain_text(words["none"])
    expect(button).to_contain_text(words["choose"])
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(files=[{"name": name, "mimeType": "application/pdf",
                                    "buffer": content}])
    expect(button).to_contain_text(name)


def until(page: Page, url: str, check: re.Pattern[str], seconds: float = 20) -> None:
    """Open the page again until its navigation says what is checked (the worker
    follows the care team's messages every second here)."""
    ends = time.monotonic() + seconds
    while True:
        page.goto(url)
        if check.search(page.locator(".govuk-service-navigation").inner_text()) or \
                time.monotonic() > ends:
            return
        time.sleep(0.5)


def once_taken(page: Page, subject: str) -> str:
    """The address of the conversation a new message began, once the council has it
    (the inbox links it then), opening the inbox again until it does."""
    opened = page.get_by_role("link", name=subject)
    for _ in range(40):
        if opened.count():
            break
        time.sleep(0.5)
        page.reload()
    conversation = opened.get_attribute("href")
    assert conversation is not None
    return conversation


@pytest.mark.parametrize("language", ["cy", "en"])
def test_gwen_writes_to_her_care_team_and_reads_the_reply(browser: Browser, stack: Stack,
                                                          language: str) -> None:
    w, url = WORDS[language], stack.url
    gwen = open_page(browser)
    sign_in_linked(gwen, url, "Gwen Morgan", language)
    # Her earlier conversation, read (its reply counts as unread until she does).
    gwen.goto(f"{url}/language/{language}?next=/messages/conv-p-1001-morning")
    assert_accessible(gwen)
    gwen.goto(f"{url}/messages")
    expect(gwen.locator(".govuk-service-navigation")).not_to_contain_text(re.compile(r"\d"))
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["new"]).click()
    gwen.get_by_label(w["subject"]).fill("Llythyr yr ysbyty" if language == "cy"
                                         else "The hospital's letter")
    gwen.get_by_label(w["message"], exact=True).fill("Dyma'r llythyr." if language == "cy"
                                                     else "Here is the letter.")
    attach(gwen, w, "letter.pdf", b"MZ not really a pdf")
    gwen.get_by_role("button", name=w["send"]).click()
    expect(gwen.locator(".govuk-error-summary")).to_contain_text(w["kind"])
    assert_accessible(gwen)
    attach(gwen, w, "letter.pdf", pdf(["Ysbyty Gwynedd"]))
    gwen.get_by_role("button", name=w["send"]).click()
    expect(gwen.locator(".govuk-notification-banner")).to_contain_text(w["on_its_way"])
    assert_accessible(gwen)

    # Once the council has it, the conversation opens; the care team replies.
    subject = "Llythyr yr ysbyty" if language == "cy" else "The hospital's letter"
    conversation = once_taken(gwen, subject)
    requests.post(f"{stack.backoffice_url}/_sandbox/people/p-1001/conversations/"
                  f"{conversation.rsplit('/', 1)[-1]}/reply",
                  json={"body": "Diolch, Gwen." if language == "cy" else "Thank you, Gwen.",
                        "language": language}, timeout=5)
    until(gwen, f"{url}/messages", re.compile(rf"{w['messages']}\s+1"))
    expect(gwen.locator(".govuk-service-navigation")).to_contain_text(re.compile(
        rf"{w['messages']}\s+1"))
    gwen.get_by_role("link", name=subject).click()
    expect(gwen.locator(".portal-message--council").last).to_contain_text(w["fresh"])
    expect(gwen.locator("main")).to_contain_text("letter.pdf")
    assert_accessible(gwen)
    gwen.reload()
    expect(gwen.locator(".govuk-service-navigation")).not_to_contain_text(re.compile(
        rf"{w['messages']}\s+1"))
    gwen.context.close()


PAGING = {
    "cy": {"subject": "Sgwrs hir", "first": "Tudalen 1 o 2.", "second": "Tudalen 2 o 2.",
           "earlier": "Negeseuon cynharach", "later": "Negeseuon diweddarach"},
    "en": {"subject": "A long conversation", "first": "Page 1 of 2.", "second": "Page 2 of 2.",
           "earlier": "Earlier messages", "later": "Later messages"},
}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_owen_pages_through_a_long_conversation_on_a_phone(browser: Browser, stack: Stack,
                                                           language: str) -> None:
    w, p, url = WORDS[language], PAGING[language], stack.url
    owen = open_page(browser)
    sign_in_linked(owen, url, "Owen Jenkins", language)
    owen.goto(f"{url}/language/{language}?next=/messages/new")
    owen.get_by_label(w["subject"]).fill(p["subject"])
    owen.get_by_label(w["message"], exact=True).fill("Helo.")
    owen.get_by_role("button", name=w["send"]).click()
    conversation = once_taken(owen, p["subject"])
    for n in range(24):
        requests.post(f"{back_office_of(stack.backoffice_url, 'Owen Jenkins')}"
                      f"/_sandbox/people/p-1004/conversations/"
                      f"{conversation.rsplit('/', 1)[-1]}/reply",
                      json={"body": f"Ateb {n + 1}", "language": "cy"}, timeout=5)
    owen.set_viewport_size(PHONE)
    messages = owen.locator(".portal-message")
    for _ in range(40):  # until the worker has read the council's replies in its feed
        owen.goto(f"{url}{conversation}")
        if owen.get_by_text("Ateb 24").count():
            break
        time.sleep(0.5)
    expect(messages).to_have_count(20)  # the newest twenty, the newest last
    expect(messages.last).to_contain_text("Ateb 24")
    expect(owen.locator("main")).to_contain_text(p["first"])
    assert_accessible(owen)
    owen.get_by_role("link", name=p["earlier"]).click()
    expect(owen.locator("main")).to_contain_text(p["second"])
    expect(messages).to_have_count(5)  # his own first message, and the first four replies
    expect(messages.first).to_contain_text("Helo.")
    assert_accessible(owen)
    owen.get_by_role("link", name=p["later"]).click()
    expect(messages.last).to_contain_text("Ateb 24")
    owen.context.close()
