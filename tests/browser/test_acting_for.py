"""A person adds their daughter as a carer (in Welsh); she takes up the code and
reads her mother's care (in English); the person sees each read and stops her
access, which takes effect on the carer's next page. axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, open_page

pytestmark = pytest.mark.browser


def sign_in(page: Page, portal_url: str, who: str, language: str) -> None:
    page.goto(f"{portal_url}/language/{language}?next=/")
    page.goto(f"{portal_url}/sign-in")
    page.get_by_label(who).check()
    page.locator("button[type=submit], .govuk-button").first.click()


def link(page: Page, reference: str, day: str, month: str, year: str, words: dict[str, str]
         ) -> None:
    page.get_by_label(words["reference"]).fill(reference)
    page.get_by_label(words["day"]).fill(day)
    page.get_by_label(words["month"]).fill(month)
    page.get_by_label(words["year"]).fill(year)
    page.get_by_role("button", name=words["continue"]).click()


def test_a_person_adds_a_carer_sees_her_reads_and_stops_her_access(
        browser: Browser, portal_url: str) -> None:
    gwen = open_page(browser)
    sign_in(gwen, portal_url, "Gwen Morgan", "cy")
    link(gwen, "C104233", "14", "3", "1941", {"reference": "Rhif cyfeirnod y cyngor",
         "day": "Diwrnod", "month": "Mis", "year": "Blwyddyn", "continue": "Parhau"})
    gwen.get_by_role("link", name="Pwy sy'n gallu gweithredu ar eich rhan").click()
    assert_accessible(gwen)
    gwen.get_by_role("button", name="Ychwanegu rhywun").click()
    gwen.get_by_role("button", name="Eu hychwanegu a chael cod").click()
    expect(gwen.locator(".govuk-error-summary")).to_contain_text("Mae problem wedi codi")
    assert_accessible(gwen)
    gwen.get_by_label("Eu henw llawn").fill("Siân Morgan")
    gwen.get_by_label("Eu cyfeiriad e-bost neu eu rhif ffôn symudol").fill("07700 900 105")
    gwen.get_by_label("Sut maen nhw'n eich adnabod chi?").fill("Merch")
    gwen.get_by_label("Gweld eich cynllun gofal a chymorth a'ch ymweliadau").check()
    gwen.get_by_role("button", name="Eu hychwanegu a chael cod").click()
    code = gwen.locator(".portal-code").inner_text().strip()
    assert_accessible(gwen)

    sian = open_page(browser)
    sign_in(sian, portal_url, "Siân Morgan", "en")
    assert_accessible(sian)
    sian.get_by_role("link", name="Enter the code they gave you").click()
    sian.get_by_label("Your code").fill(code)
    sian.get_by_role("button", name="Continue").click()
    assert_accessible(sian)
    sian.get_by_role("button", name="See the care of Gwen Morgan").click()
    expect(sian.locator(".govuk-notification-banner")).to_contain_text(
        "You are looking at the care of Gwen Morgan, acting for them.")
    assert_accessible(sian)
    sian.get_by_role("link", name="Plan", exact=True).click()
    expect(sian.locator("h1")).to_have_text("Care and support plan")
    assert_accessible(sian)

    gwen.goto(f"{portal_url}/who-has-looked-at-your-record")
    expect(gwen.locator("tbody tr")).to_have_count(2)
    expect(gwen.locator("tbody")).to_contain_text("Siân Morgan, yn gweithredu ar eich rhan")
    assert_accessible(gwen)
    gwen.goto(f"{portal_url}/who-can-act-for-you")
    gwen.get_by_role("link", name="Atal mynediad").click()
    assert_accessible(gwen)
    gwen.get_by_role("button", name="Atal mynediad").click()
    expect(gwen.locator(".govuk-notification-banner")).to_contain_text(
        "Ni all Siân Morgan weithredu ar eich rhan mwyach.")
    assert_accessible(gwen)

    sian.reload()
    expect(sian.locator("h1")).to_have_text("You cannot see this page")
    expect(sian.locator("main")).to_contain_text("Gwen Morgan has stopped your access")
    assert_accessible(sian)
    gwen.context.close()
    sian.context.close()
