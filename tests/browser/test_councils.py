"""A portal serving two councils, on a phone, in Welsh and English: linking asks
which council holds the record (and says so when it is not answered), and the pages
then speak for that council."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from portal import config
from tests.browser.conftest import PHONE, Stack, assert_accessible, started_stack
from tests.browser.people import LINKING, RECORDS, link, sign_in
from tests.support.settings import council_table

GWYNEDD, CEREDIGION = ("W06000002", "01766 771000"), ("W06000008", "01545 570881")
WORDS = {
    "cy": {"question": "Gyda pha gyngor mae eich cofnod gofal?",
           "missing": "Dewiswch y cyngor mae eich cofnod gofal gydag ef",
           "ceredigion": "Cyngor Sir Ceredigion", "contact": "Cysylltu â ni"},
    "en": {"question": "Which council is your care record with?",
           "missing": "Select the council your care record is with",
           "ceredigion": "Ceredigion County Council", "contact": "Contact us"},
}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    councils_file = tmp_path_factory.mktemp("councils") / "councils.toml"

    def two_councils(ports: dict[str, int]) -> dict[str, str]:
        # Both councils' records in the one sandbox back office, each its own contact.
        councils_file.write_text("".join(council_table(
            code, f"http://127.0.0.1:{ports['backoffice']}", phone, "gofal@example.gov.wales",
            "DEMO") for code, phone in (GWYNEDD, CEREDIGION)), encoding="utf-8")
        return {"COUNCILS_FILE": str(councils_file),
                "DEMO_BACKOFFICE_KEY": "sandbox-backoffice-key",
                "DEMO_PAY_KEY": config.SANDBOX_PAY_KEY, "DEMO_PAY_WEBHOOK_SECRET": "demo"}

    with started_stack(tmp_path_factory, two_councils) as started:
        yield started


@pytest.mark.parametrize("language, who", [("cy", "Gwen Morgan"), ("en", "Owen Jenkins")])
def test_linking_asks_which_council_and_the_pages_speak_for_it(
        page: Page, portal_url: str, language: str, who: str) -> None:
    words = WORDS[language]
    page.set_viewport_size(PHONE)
    sign_in(page, portal_url, who, language)
    assert page.url.endswith("/link-your-record")
    assert page.locator("legend").first.inner_text().strip() == words["question"]
    assert_accessible(page)

    link(page, *RECORDS[who], LINKING[language])  # every answer but the council
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_role("link", name=words["missing"]).is_visible()
    assert_accessible(page)
    summary.get_by_role("link", name=words["missing"]).click()
    assert page.evaluate("document.activeElement.name") == "council"

    page.get_by_label(words["ceredigion"]).check()
    link(page, *RECORDS[who], LINKING[language])
    assert page.url.endswith("/your-care")
    assert_accessible(page)

    page.goto(f"{portal_url}/contact")
    assert CEREDIGION[1] in page.inner_text("main")
    assert GWYNEDD[1] not in page.inner_text("main")
    assert_accessible(page)

