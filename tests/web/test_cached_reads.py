"""With the back office's answers kept (BACKOFFICE_CACHE_URL), someone acting for a
person reads a page again without a single call to the back office, the audit
still records the look, and a write for the person is seen at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from portal import config, create_app, sandboxes
from tests.conftest import csrf_token, page_of, sign_in
from tests.support.databases import database_url
from tests.support.pages import CheckedClient


@pytest.fixture
def cached_app(base_settings: config.Config, running_sandboxes: sandboxes.Running,
               engine: str, tmp_path: Path) -> Iterator[Flask]:
    with database_url(engine, tmp_path) as url:
        app = create_app(replace(base_settings, DATABASE_URL=url,
                                 BACKOFFICE_CACHE_URL="memory://"))
        app.test_client_class = CheckedClient
        app.extensions["portal"].store.migrate()
        yield app
        app.extensions["portal"].store.engine.dispose()


def test_an_attorney_reads_a_page_again_with_no_back_office_call_and_is_still_logged(
        cached_app: Flask, running_sandboxes: sandboxes.Running) -> None:
    calls = running_sandboxes.servers["backoffice"].app.extensions["request_ids"]
    attorney = cached_app.test_client()
    sign_in(attorney, "Sian")
    attorney.post("/people-you-help", data={
        "csrf_token": csrf_token(attorney, "/people-you-help"), "person_id": "p-1001"})
    first = attorney.get("/your-care/plan")
    assert first.status_code == 200
    calls.clear()
    again = attorney.get("/your-care/plan")
    assert again.status_code == 200 and len(calls) == 0
    # The page is the same, down to when the council's information is from.
    assert page_of(again).find(class_="portal-as-of").get_text() == \
        page_of(first).find(class_="portal-as-of").get_text()
    gwen = cached_app.test_client()
    sign_in(gwen, "Gwen")
    log = page_of(gwen.get("/who-has-looked-at-your-record")).find_all(
        class_="govuk-summary-list__row")
    # Both looks are in the log, as one entry (a look repeated straight away is one look).
    assert len([row for row in log if "Looked at your care and support plan" in
                row.get_text()]) == 1


def test_a_write_for_the_person_is_seen_on_the_next_page(
        cached_app: Flask, running_sandboxes: Any) -> None:
    deps = cached_app.extensions["portal"]
    calls = running_sandboxes.servers["backoffice"].app.extensions["request_ids"]
    gwen = cached_app.test_client()
    sign_in(gwen, "Gwen")
    assert gwen.get("/your-care").status_code == 200
    calls.clear()
    deps.backoffice.forget("p-1001")  # what every write for her does
    assert gwen.get("/your-care").status_code == 200
    assert len(calls) >= 3  # her record, plan and visits, read afresh
