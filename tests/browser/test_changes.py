"""Gwen tells the council she is going into hospital, in Welsh and in English, from
Your care, and finds the change on Your requests. axe-core on every page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from portal.clock import today
from tests.browser.conftest import assert_accessible, open_page
from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"start": "Dweud wrth y cyngor am newid", "continue": "Parhau",
           "problem": "Mae problem wedi codi", "hospital": "Mynd i'r ysbyty",
           "real": "Rhaid i'r dyddiad fod yn ddyddiad go iawn", "day": "Diwrnod",
           "month": "Mis", "year": "Blwyddyn", "ward": "Pa ysbyty neu ward?",
           "urgent": "fater brys", "tell": "Dweud wrth y cyngor",
           "told": "Mae'r cyngor wedi cael gwybod", "requests": "Eich ceisiadau"},
    "en": {"start": "Tell the council about a change", "continue": "Continue",
           "problem": "There is a problem", "hospital": "Going into hospital",
           "real": "The date must be a real date", "day": "Day", "month": "Month",
           "year": "Year", "ward": "Which hospital or ward?", "urgent": "urgent",
           "tell": "Tell the council", "told": "The council has been told",
           "requests": "Your requests"},
}


@pytest.mark.parametrize("language", ["cy", "en"])
def test_gwen_tells_the_council_she_is_going_into_hospital(
        browser: Browser, portal_url: str, language: str) -> None:
    w = WORDS[language]
    gwen = open_page(browser)
    sign_in_linked(gwen, portal_url, "Gwen Morgan", language)
    gwen.goto(f"{portal_url}/language/{language}?next=/your-care")
    gwen.get_by_role("link", name=w["start"]).click()
    gwen.get_by_role("button", name=w["continue"]).click()
    expect(gwen.locator(".govuk-error-summary")).to_contain_text(w["problem"])
    assert_accessible(gwen)
    gwen.get_by_label(w["hospital"]).check()
    gwen.get_by_role("button", name=w["continue"]).click()

    gwen.get_by_label(w["day"]).fill("31")
    gwen.get_by_label(w["month"]).fill("2")
    gwen.get_by_label(w["year"]).fill(str(today().year + 1))
    gwen.get_by_role("button", name=w["continue"]).click()
    expect(gwen.locator(".govuk-error-summary")).to_contain_text(w["real"])
    assert_accessible(gwen)
    going_in = today() + timedelta(days=2)
    gwen.get_by_label(w["day"]).fill(str(going_in.day))
    gwen.get_by_label(w["month"]).fill(str(going_in.month))
    gwen.get_by_label(w["year"]).fill(str(going_in.year))
    gwen.get_by_role("button", name=w["continue"]).click()
    assert_accessible(gwen)
    gwen.get_by_label(w["ward"]).fill("Ysbyty Gwynedd, ward Alaw")
    gwen.get_by_role("button", name=w["continue"]).click()
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["continue"]).click()

    expect(gwen.locator("main")).to_contain_text("Ysbyty Gwynedd, ward Alaw")
    expect(gwen.locator("main")).to_contain_text(w["urgent"])
    assert_accessible(gwen)
    gwen.get_by_role("button", name=w["tell"]).click()
    expect(gwen.locator(".govuk-panel")).to_contain_text(w["told"])
    reference = gwen.locator(".portal-reference").inner_text().strip()
    assert reference.startswith("CH-")
    assert_accessible(gwen)
    gwen.goto(f"{portal_url}/your-requests")
    expect(gwen.locator(".govuk-summary-card", has_text=reference)).to_be_visible()
    assert_accessible(gwen)
    gwen.context.close()
