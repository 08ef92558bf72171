"""Stopping review reminders from the link in the email, in a real browser on a
phone: the page asks first, in the person's language, then says it is done; the
choice shows on "How we contact you". axe-core on every page."""

from __future__ import annotations

import sqlite3

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Stack, assert_accessible, open_page
from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser

SAID = {
    "cy": {"ask": "Stopio nodiadau atgoffa'r diwrnod cyn adolygiad?",
           "button": "Stopio'r negeseuon hyn", "done": "Negeseuon wedi'u stopio",
           "box": "Nodiadau atgoffa'r diwrnod cyn adolygiad"},
    "en": {"ask": "Stop reminders the day before a review?", "button": "Stop these messages",
           "done": "Messages stopped", "box": "Reminders the day before a review"},
}


@pytest.mark.parametrize("name, language", [("Gwen Morgan", "cy"), ("Dafydd Hughes", "en")])
def test_the_link_in_a_reminder_stops_reminders_after_asking(
        browser: Browser, stack: Stack, name: str, language: str) -> None:
    said = SAID[language]
    person = open_page(browser)
    sign_in_linked(person, stack.url, name, language)
    person.goto(f"{stack.url}/account/contact")
    expect(person.get_by_label(said["box"])).to_be_checked()
    assert_accessible(person)
    assert stack.database is not None
    with sqlite3.connect(stack.database) as db:
        [(token,)] = db.execute("SELECT stop_token FROM accounts WHERE email LIKE ?",
                                (name.split()[0].lower() + ".%",)).fetchall()
    mail = open_page(browser)  # the email, opened on another device
    mail.set_viewport_size({"width": 320, "height": 640})
    mail.goto(f"{stack.url}/stop-emails/{token}/review-reminder")
    expect(mail.locator("h1")).to_have_text(said["ask"])
    assert mail.locator("html").get_attribute("lang") == language
    assert_accessible(mail)
    mail.get_by_role("button", name=said["button"]).click()
    expect(mail.locator("h1")).to_have_text(said["done"])
    assert_accessible(mail)
    person.reload()
    expect(person.get_by_label(said["box"])).not_to_be_checked()
