"""Gwen chooses post, in Welsh, and the council's news reaches her as a letter in
Welsh at the address it holds. axe-core on the page where she chooses."""

from __future__ import annotations

import time

import pytest
import requests
from playwright.sync_api import Browser, expect

from tests.browser.conftest import Stack, assert_accessible, open_page
from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser


def test_gwen_chooses_post_and_gets_a_letter_in_welsh(browser: Browser, stack: Stack) -> None:
    url = stack.url
    gwen = open_page(browser)
    sign_in_linked(gwen, url, "Gwen Morgan", "cy")
    gwen.goto(f"{url}/account/contact")
    expect(gwen.locator("main")).to_contain_text("7 Stryd y Plas")
    gwen.get_by_label("Drwy'r post").check()
    assert_accessible(gwen)
    gwen.get_by_role("button", name="Cadw").click()
    expect(gwen.locator(".govuk-notification-banner")).to_be_visible()

    gwen.goto(f"{url}/your-care/tell-us-about-a-change")
    gwen.get_by_label("Rhif ffôn newydd").check()
    gwen.get_by_role("button", name="Parhau").click()
    gwen.get_by_label("Beth yw'r rhif ffôn newydd?").fill("01286 960 123")
    gwen.get_by_role("button", name="Parhau").click()
    gwen.get_by_role("button", name="Parhau").click()
    gwen.get_by_role("button", name="Dweud wrth y cyngor").click()
    reference = gwen.locator(".portal-reference").inner_text().strip()

    letters: list[dict[str, str]] = []
    for _ in range(40):  # the outbox worker sends it within a second or two
        sent = requests.get(f"{stack.notify_url}/_sandbox/notifications", timeout=5).json()
        letters = [n for n in sent if n["type"] == "letter" and reference in n["body"]]
        if letters:
            break
        time.sleep(0.25)
    assert len(letters) == 1
    assert letters[0]["subject"].startswith("Mae'r cyngor wedi cael")
    assert letters[0]["line_1"] == "Gwen Morgan" and letters[0]["postcode"] == "LL55 1RR"
    gwen.context.close()
