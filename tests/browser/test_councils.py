"""Embedded mode serves three councils, on a phone, in Welsh and English: linking asks
which council holds the record (and says so when it is not answered), the pages then
speak for that council, and an advocate acts for people in two councils, each page
speaking for the council of the person in hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, assert_accessible, started_stack
from tests.browser.people import (
    COUNCILS,
    LINKING,
    RECORDS,
    council_name,
    link,
    sign_in,
    sign_in_linked,
)
from tests.support.settings import council_table

# Each council's phone number as embedded mode gives it.
PHONES = {"W06000002": "0300 123 4567", "W06000008": "01632 960 800",
          "W06000024": "01632 960 900"}
WORDS = {
    "cy": {"question": "Gyda pha gyngor mae eich cofnod gofal?",
           "missing": "Dewiswch y cyngor mae eich cofnod gofal gydag ef",
           "their_council": "Eu cyngor", "see": "Gweld gofal {}",
           "people": "Pobl rydych chi'n eu helpu"},
    "en": {"question": "Which council is your care record with?",
           "missing": "Select the council your care record is with",
           "their_council": "Their council", "see": "See the care of {}",
           "people": "People you help"},
}


def contact_speaks_for(page: Page, portal_url: str, code: str) -> None:
    page.goto(f"{portal_url}/contact")
    main = page.inner_text("main")
    assert PHONES[code] in main
    assert not [phone for other, phone in PHONES.items() if other != code and phone in main]


@pytest.mark.parametrize("language, who", [("cy", "Gwen Morgan"), ("en", "Dafydd Hughes")])
def test_linking_asks_which_council_and_the_pages_speak_for_it(
        page: Page, portal_url: str, language: str, who: str) -> None:
    words = WORDS[language]
    page.set_viewport_size(PHONE)
    sign_in(page, portal_url, who, language)
    assert page.url.endswith("/link-your-record")
    assert page.locator("legend").first.inner_text().strip() == words["question"]
    assert page.locator("input[name=council]").count() == 3
    assert_accessible(page)

    link(page, *RECORDS[who], LINKING[language])  # every answer but the council
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name=words["missing"]).is_visible()
    assert page.get_by_label(LINKING[language]["reference"]).input_value() == RECORDS[who][0]
    assert_accessible(page)
    summary.get_by_role("link", name=words["missing"]).click()
    assert page.evaluate("document.activeElement.name") == "council"

    page.get_by_label(council_name(COUNCILS[who], language), exact=True).check()
    link(page, *RECORDS[who], LINKING[language])
    assert page.url.endswith("/your-care")
    assert_accessible(page)
    contact_speaks_for(page, portal_url, COUNCILS[who])
    assert council_name(COUNCILS[who], language) in page.inner_text("main")
    assert_accessible(page)


@pytest.mark.parametrize("language", ["cy", "en"])
def test_an_advocate_acts_for_people_in_two_councils(page: Page, portal_url: str,
                                                     language: str) -> None:
    words = WORDS[language]
    page.set_viewport_size(PHONE)
    sign_in_linked(page, portal_url, "Rhys Thomas", language)
    # Signing in takes up the language his account keeps: this test's, from here on.
    page.goto(f"{portal_url}/language/{language}?next=/people-you-help")
    assert page.locator("h1").inner_text() == words["people"]
    cards = page.locator(".govuk-summary-card")
    assert [cards.nth(i).locator("h2").inner_text() for i in range(cards.count())] == \
        ["Dafydd Hughes", "Eleri Price"]
    for i, who in enumerate(("Dafydd Hughes", "Eleri Price")):
        row = cards.nth(i).locator(".govuk-summary-list__row").first
        assert row.locator("dt").inner_text() == words["their_council"]
        assert row.locator("dd").inner_text() == council_name(COUNCILS[who], language)
    assert_accessible(page)

    for who in ("Dafydd Hughes", "Eleri Price"):
        page.goto(f"{portal_url}/people-you-help")
        page.get_by_role("button", name=words["see"].format(who)).click()
        assert page.url.endswith("/your-care")
        assert who in page.inner_text("main")
        page.goto(f"{portal_url}/your-care/plan")
        assert who in page.inner_text("main")
        assert_accessible(page)
        contact_speaks_for(page, portal_url, COUNCILS[who])
        assert_accessible(page)


# A portal serving eight councils, each with a back office of its own on the sandbox
# back office's port: too many to offer as radios, so linking offers a list that,
# where JavaScript runs, can be searched by typing.
EIGHT = ["W06000002", "W06000001", "W06000003", "W06000004", "W06000005", "W06000006",
         "W06000008", "W06000024"]


@pytest.fixture(scope="module")
def eight_councils(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("councils")

    def settings(ports: dict[str, int]) -> dict[str, str]:
        path = folder / "councils.toml"
        path.write_text("".join(council_table(
            code, f"http://127.0.0.1:{ports['backoffice']}/{code}", "01632 960 000",
            f"gofal@{code.lower()}.example.gov.wales", f"C{code}") for code in EIGHT))
        secrets = {f"C{code}_{name}": f"api_test_{name.lower()}_{code.lower()}_{'0' * 26}"
                   for code in EIGHT for name in ("BACKOFFICE_KEY", "PAY_KEY",
                                                  "PAY_WEBHOOK_SECRET")}
        return {"COUNCILS_FILE": str(path), **secrets}

    with started_stack(tmp_path_factory, settings) as stack:
        yield stack.url


@pytest.mark.parametrize("language, who, typed, chosen, part", [
    # By its name in the other language, with no accent typed.
    ("en", "Dafydd Hughes", "ynys mon", "Isle of Anglesey County Council", "cered"),
    ("cy", "Gwen Morgan", "Tydfil", "Cyngor Bwrdeistref Sirol Merthyr Tudful", "gwyn"),
])
def test_a_long_list_of_councils_is_searched_by_typing(
        page: Page, eight_councils: str, language: str, who: str, typed: str, chosen: str,
        part: str) -> None:
    words = WORDS[language]
    page.set_viewport_size(PHONE)
    sign_in(page, eight_councils, who, language)
    assert page.url.endswith("/link-your-record")
    box = page.get_by_role("combobox", name=words["question"])
    expect(box).to_be_visible()
    expect(page.locator("select[name=council]")).to_be_hidden()
    assert_accessible(page)

    box.fill(typed)
    expect(page.locator(".autocomplete__option")).to_have_text([chosen])
    assert_accessible(page)
    box.fill("Llundain")  # no council of Wales: said so, and nothing sent
    expect(page.locator(".autocomplete__option")).to_have_text([WORDS_AS_YOU_TYPE[language]])
    link(page, *RECORDS[who], LINKING[language])
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name=words["missing"]).is_visible()
    assert page.get_by_label(LINKING[language]["reference"]).input_value() == RECORDS[who][0]
    assert_accessible(page)

    # Their own council, found by a part of its name, then chosen from what is offered.
    page.get_by_role("combobox", name=words["question"]).fill(part)
    page.locator(".autocomplete__option", has_text=council_name(COUNCILS[who], language)).click()
    link(page, *RECORDS[who], LINKING[language])
    assert page.url.endswith("/your-care")
    page.goto(f"{eight_councils}/contact")
    assert council_name(COUNCILS[who], language) in page.inner_text("main")


WORDS_AS_YOU_TYPE = {"cy": "Heb ddod o hyd i gyngor", "en": "No council found"}
