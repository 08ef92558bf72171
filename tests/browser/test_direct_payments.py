"""Dafydd accounts for his direct payment on a phone, in Welsh and in English: his
account from "Your charges", a period's return with a receipt uploaded, a mistake
shown and put right, and the return on "Requests". axe-core on every page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from portal.sandbox.backoffice.documents import pdf
from tests.browser.conftest import PHONE, assert_accessible, open_page, started_stack
from tests.browser.people import sign_in_linked

pytestmark = pytest.mark.browser

WORDS = {
    "cy": {"account": "Gweld y cyfrif taliadau uniongyrchol ac anfon ffurflen wariant",
           "period": "Anfon ffurflen wariant ar gyfer y cyfnod hwn",
           "assistants": "Cynorthwywyr personol", "receipt": "Derbynneb, slip cyflog",
           "declare": "Rwy'n cadarnhau", "send": "Anfon y ffurflen",
           "wrong": "Rhowch beth a wariwyd ar gynorthwywyr personol mewn punnoedd",
           "sent": "Ffurflen wedi'i hanfon",
           "requests": "Ffurflenni gwariant taliadau uniongyrchol",
           "again": "Dim byd ar hyn o bryd"},
    "en": {"account": "See the direct payment account and send a return",
           "period": "Send a return for this period", "assistants": "Personal assistants",
           "receipt": "A receipt, payslip", "declare": "I confirm", "send": "Send return",
           "wrong": "Enter what you spent on personal assistants in pounds",
           "sent": "Return sent", "requests": "Direct payment returns",
           "again": "Nothing at the moment"},
}


@pytest.fixture
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A stack of its own for each language: a period accounted for is not due again."""
    with started_stack(tmp_path_factory) as started:
        yield started.url


@pytest.mark.parametrize("language", ["cy", "en"])
def test_dafydd_sends_a_return_with_a_receipt(browser: Browser, portal_url: str,
                                              language: str) -> None:
    w = WORDS[language]
    page = open_page(browser)
    page.set_viewport_size(PHONE)
    sign_in_linked(page, portal_url, "Dafydd Hughes", language)
    page.goto(f"{portal_url}/language/{language}?next=/your-charges")
    page.get_by_role("link", name=w["account"]).click()
    assert_accessible(page)
    page.get_by_role("button", name=w["period"]).click()
    page.get_by_label(w["assistants"], exact=True).fill("four thousand")
    page.get_by_label(w["declare"]).check()
    page.get_by_role("button", name=w["send"]).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(w["wrong"])
    assert_accessible(page)
    page.get_by_label(w["assistants"], exact=True).fill("4,520.00")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=w["receipt"]).click()
    chooser.value.set_files(files=[{"name": "payslips.pdf", "mimeType": "application/pdf",
                                    "buffer": pdf(["Payslips"])}])
    page.get_by_role("button", name=w["send"]).click()
    expect(page.locator(".govuk-panel")).to_contain_text(w["sent"])
    expect(page.locator("main")).to_contain_text("payslips.pdf")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    page.goto(f"{portal_url}/your-requests")
    expect(page.locator("main")).to_contain_text(w["requests"])
    page.goto(f"{portal_url}/your-charges/direct-payments")
    expect(page.locator("main")).to_contain_text(w["again"])
    page.context.close()
