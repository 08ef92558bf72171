"""A person adds their daughter as a carer; she takes up the code and reads her
mother's care, and what care workers wrote until the person keeps that from her; the
person sees each read and stops her access, which takes effect on the carer's next
page. Run twice, each side in each language; axe-core on
every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import assert_accessible, open_page
from tests.browser.people import sign_in, sign_in_linked

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {
        "reference": "Rhif cyfeirnod y cyngor", "day": "Diwrnod", "month": "Mis",
        "year": "Blwyddyn", "continue": "Parhau",
        "add": "Ychwanegu rhywun", "add_and_code": "Eu hychwanegu a chael cod",
        "problem": "Mae problem wedi codi", "name": "Eu henw llawn",
        "contact": "Eu cyfeiriad e-bost neu eu rhif ffôn symudol",
        "relationship": "Sut maen nhw'n eich adnabod chi?",
        "plan_scope": "Gweld eich cynllun gofal a chymorth a'ch ymweliadau",
        "enter_code": "Rhowch y cod a roddon nhw i chi", "your_code": "Eich cod",
        "see_care": "Gweld gofal Gwen Morgan",
        "banner": "Rydych chi'n edrych ar ofal Gwen Morgan, gan weithredu ar eu rhan.",
        "plan": "Cynllun", "plan_h1": "Cynllun gofal a chymorth",
        "acting_for_you": "Siân Morgan, yn gweithredu ar eich rhan", "stop": "Atal mynediad",
        "stopped": "Ni all Siân Morgan weithredu ar eich rhan mwyach.",
        "refused": "Ni allwch weld y dudalen hon",
        "refused_why": "Mae Gwen Morgan wedi atal eich mynediad at eu gofal.",
        "visits": "Ymweliadau", "what_was_done": "Beth a wnaed", "change": "Newid",
        "withhold": "Na chânt, cadwch nhw rhagddynt", "save": "Cadw",
        "not_shared": "Nid yw Gwen Morgan yn rhannu'r hyn mae gweithwyr gofal yn ei ysgrifennu",
    },
    "en": {
        "reference": "Council reference number", "day": "Day", "month": "Month", "year": "Year",
        "continue": "Continue", "add": "Add someone",
        "add_and_code": "Add them and get a code", "problem": "There is a problem",
        "name": "Their full name", "contact": "Their email address or mobile number",
        "relationship": "How do they know you?",
        "plan_scope": "See your care and support plan and your visits",
        "enter_code": "Enter the code they gave you", "your_code": "Your code",
        "see_care": "See the care of Gwen Morgan",
        "banner": "You are looking at the care of Gwen Morgan, acting for them.",
        "plan": "Plan", "plan_h1": "Care and support plan",
        "acting_for_you": "Siân Morgan, acting for you", "stop": "Stop access",
        "stopped": "Siân Morgan can no longer act for you.",
        "refused": "You cannot see this page",
        "refused_why": "Gwen Morgan has stopped your access to their care.",
        "visits": "Visits", "what_was_done": "What was done", "change": "Change",
        "withhold": "No, keep them from them", "save": "Save",
        "not_shared": "Gwen Morgan does not share what care workers write",
    },
}


@pytest.mark.parametrize("person_language, carer_language", [("cy", "en"), ("en", "cy")],
                         ids=["person-in-welsh", "person-in-english"])
def test_a_person_adds_a_carer_sees_her_reads_and_stops_her_access(
        browser: Browser, portal_url: str, person_language: str, carer_language: str) -> None:
    p, c = WORDS[person_language], WORDS[carer_language]
    gwen = open_page(browser)
    sign_in_linked(gwen, portal_url, "Gwen Morgan", person_language)
    # A saved language wins at sign-in; the language link changes it for this visit.
    gwen.goto(f"{portal_url}/language/{person_language}?next=/who-can-act-for-you")
    assert_accessible(gwen)
    gwen.get_by_role("button", name=p["add"]).click()
    gwen.get_by_role("button", name=p["add_and_code"]).click()
    expect(gwen.locator(".govuk-error-summary")).to_contain_text(p["problem"])
    assert_accessible(gwen)
    gwen.get_by_label(p["name"]).fill("Siân Morgan")
    gwen.get_by_label(p["contact"]).fill("07700 900 105")
    gwen.get_by_label(p["relationship"]).fill("Merch")
    gwen.get_by_label(p["plan_scope"]).check()
    gwen.get_by_role("button", name=p["add_and_code"]).click()
    code = gwen.locator(".portal-code").inner_text().strip()
    assert_accessible(gwen)

    sian = open_page(browser)
    sign_in(sian, portal_url, "Siân Morgan", carer_language)
    sian.goto(f"{portal_url}/language/{carer_language}?next=/link-your-record")
    assert_accessible(sian)
    sian.get_by_role("link", name=c["enter_code"]).click()
    assert_accessible(sian)
    sian.get_by_label(c["your_code"]).fill(code)
    sian.get_by_role("button", name=c["continue"]).click()
    assert_accessible(sian)
    sian.get_by_role("button", name=c["see_care"]).click()
    expect(sian.locator(".govuk-notification-banner")).to_contain_text(c["banner"])
    assert_accessible(sian)
    sian.get_by_role("link", name=c["plan"], exact=True).click()
    expect(sian.locator("h1")).to_have_text(c["plan_h1"])
    assert_accessible(sian)

    # What care workers wrote after a visit, in the language they wrote it (Welsh)...
    sian.get_by_role("link", name=c["visits"], exact=True).click()
    sian.get_by_role("link", name=c["what_was_done"]).first.click()
    expect(sian.locator("main [lang=cy]").first).to_contain_text("Help i ymolchi a gwisgo")
    assert_accessible(sian)
    # ...until Gwen keeps them from her.
    gwen.goto(f"{portal_url}/who-can-act-for-you")
    gwen.get_by_role("link", name=p["change"]).first.click()
    gwen.get_by_label(p["withhold"]).check()
    assert_accessible(gwen)
    gwen.get_by_role("button", name=p["save"]).click()
    sian.reload()
    expect(sian.locator("main")).to_contain_text(c["not_shared"])
    expect(sian.locator("main")).not_to_contain_text("Help i ymolchi a gwisgo")
    assert_accessible(sian)
    sian.get_by_role("link", name=c["plan"], exact=True).click()

    gwen.goto(f"{portal_url}/who-has-looked-at-your-record")
    # Newest first: her reads (the plan again, a visit twice, the visits, the plan,
    # home) top the log.
    for row in (0, 1):
        look = gwen.locator(".portal-access-log .govuk-summary-list__row").nth(row)
        expect(look).to_contain_text(p["acting_for_you"])
    assert_accessible(gwen)
    gwen.goto(f"{portal_url}/who-can-act-for-you")
    gwen.get_by_role("link", name=p["stop"]).first.click()
    assert_accessible(gwen)
    gwen.get_by_role("button", name=p["stop"]).click()
    expect(gwen.locator(".govuk-notification-banner")).to_contain_text(p["stopped"])
    assert_accessible(gwen)

    sian.reload()
    expect(sian.locator("h1")).to_have_text(c["refused"])
    expect(sian.locator("main")).to_contain_text(c["refused_why"])
    assert_accessible(sian)
    gwen.context.close()
    sian.context.close()
