"""Eleri's day on a phone, in Welsh and in English: a visit runs late with a new
expected time, then the care worker arrives; the open visits page says each as it
happens, without a reload, and tells a screen reader that the visits changed. Having
chosen alerts, she is told by email, in her language, when one of today's visits has
not started, and again when it starts."""

from __future__ import annotations

import time as time_module
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Any

import pytest
import requests
from playwright.sync_api import Page, expect

from portal.clock import LONDON
from tests.browser.conftest import PHONE, Stack, assert_accessible, started_stack
from tests.browser.people import sign_in_linked
from tests.support.clock import DEFAULT

TOMORROW = DEFAULT.date() + timedelta(days=1)  # the stack's clock starts at DEFAULT
WORDS = {
    "cy": {"late": "Disgwylir am 8:40am bellach.", "arrived": "Wedi cyrraedd am 8:38am.",
           "news": "Mae'r ymweliadau wedi newid.",
           "contact": "Dewis sut rydym yn anfon newyddion am eich gofal atoch",
           "alert": "Rhybuddion pan nad yw ymweliad wedi dechrau ar amser, a phan fydd yn "
                    "dechrau", "save": "Cadw",
           "late_email": "Nid yw ymweliad wedi dechrau",
           "started_email": "Mae'r ymweliad wedi dechrau"},
    "en": {"late": "Now expected at 1:10pm.", "arrived": "Arrived at 1:05pm.",
           "news": "The visits have changed.",
           "contact": "Choose how we send you updates",
           "alert": "Alerts when a visit has not started on time, and when it starts",
           "save": "Save", "late_email": "A visit has not started",
           "started_email": "The visit has started"},
}
# The visit each language follows: tomorrow's first (8am), then its second (12:30pm).
VISITS = {"cy": (0, time(8, 40), time(8, 38)), "en": (1, time(13, 10), time(13, 5))}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Back-office answers kept a second, so that a minute's refresh sees the news."""
    with started_stack(tmp_path_factory, lambda _: {"BACKOFFICE_CACHE_SECONDS": "1"}) as found:
        yield found


def say(stack: Stack, visit_id: str, **news: Any) -> None:
    """What the provider's call monitoring tells Merthyr Tudful's back office."""
    told = requests.post(f"{stack.backoffice_url}/W06000024/_sandbox/people/p-1003/visits/"
                         f"{visit_id}", json=news, timeout=5)
    assert told.status_code == 201, told.text


def a_minute_on(page: Page) -> None:
    page.wait_for_timeout(1_200)  # the back office's answer kept a second
    page.clock.run_for(61_000)


@pytest.mark.parametrize("language", ["cy", "en"])
def test_a_late_visit_then_its_arrival_show_on_the_open_page(
        page: Page, stack: Stack, language: str) -> None:
    words = WORDS[language]
    index, expected, arrived = VISITS[language]
    visit_id = f"v-p-1003-{TOMORROW}-{index}"
    page.set_viewport_size(PHONE)
    page.clock.install()
    sign_in_linked(page, stack.url, "Eleri Price", language)
    page.goto(f"{stack.url}/language/{language}?next=/your-care/visits")
    news = page.locator("#visits-news")
    expect(news).to_have_text("")
    assert_accessible(page)

    say(stack, visit_id, status="late",
        expected_start=datetime.combine(TOMORROW, expected, LONDON).isoformat())
    a_minute_on(page)
    expect(page.get_by_text(words["late"])).to_be_visible()
    expect(news).to_have_text(words["news"])
    assert_accessible(page)

    say(stack, visit_id, status="in-progress", actual={
        "start": datetime.combine(TOMORROW, arrived, LONDON).isoformat(), "end": None})
    a_minute_on(page)
    expect(page.get_by_text(words["arrived"])).to_be_visible()
    assert page.get_by_text(words["late"]).count() == 0
    assert_accessible(page)

    # She chooses alerts; one of today's visits runs late, then starts: each alert
    # reaches Notify, in her language.
    page.goto(f"{stack.url}/account")
    page.get_by_label("Cymraeg" if language == "cy" else "English", exact=True).check()
    page.get_by_role("button", name=words["save"], exact=True).click()  # what we send in
    page.get_by_role("link", name=words["contact"]).click()
    page.get_by_label(words["alert"]).check()
    assert_accessible(page)
    page.get_by_role("button", name=words["save"]).click()
    today = f"v-p-1003-{DEFAULT.date()}-{index + 2}"
    say(stack, today, status="late")
    assert sent_to_notify(stack, words["late_email"])
    say(stack, today, status="in-progress", actual={
        "start": datetime.combine(DEFAULT.date(), time(22, 10), LONDON).isoformat(),
        "end": None})
    assert sent_to_notify(stack, words["started_email"])


def sent_to_notify(stack: Stack, subject: str) -> bool:
    """Whether an email with this subject reaches the sandbox Notify within seconds
    (the worker follows the council's feed every second in these stacks)."""
    for _ in range(60):
        sent = requests.get(f"{stack.notify_url}/_sandbox/notifications", timeout=5).json()
        if any(n.get("subject") == subject for n in sent):
            return True
        time_module.sleep(0.25)
    return False
