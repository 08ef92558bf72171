"""With the back office's answers kept (BACKOFFICE_CACHE_URL), someone acting for a
person reads a page again without a single call to the back office, the audit
still records the look, and a write for the person is seen at once; the first page
for someone acted for is one back-office round, as the person's own; a conversation
kept shows what is sent and what the care team answers."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from portal import config, create_app, sandboxes
from portal.clock import local_date, utcnow
from portal.worker import follower
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.databases import database_url
from tests.support.journeys import deliver
from tests.support.pages import CheckedClient
from tests.web.test_messages import GWENS


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
    calls = running_sandboxes.back_office().request_ids
    attorney = cached_app.test_client()
    sign_in(attorney, "Sian")
    attorney.post("/people-you-help", data={
        "csrf_token": csrf_token(attorney, "/people-you-help"), "person_id": "W06000002:p-1001"})
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
    calls = running_sandboxes.back_office().request_ids
    gwen = cached_app.test_client()
    sign_in(gwen, "Gwen")
    assert gwen.get("/your-care").status_code == 200
    calls.clear()
    deps.backoffice.forget("W06000002:p-1001")  # what every write for her does
    assert gwen.get("/your-care").status_code == 200
    assert len(calls) >= 3  # her record, plan and visits, read afresh


# Every page for someone acted for that reads the back office: Siân holds Gwen's
# health and welfare LPA.
PAGES_READING_THE_BACK_OFFICE = ["/your-care", "/your-care/plan", "/your-care/visits",
                                 "/your-care/visits/v-p-1001-{yesterday}-0",
                                 "/your-requests", "/your-care/letters", "/messages",
                                 f"/messages/{GWENS}"]


@pytest.mark.parametrize("path", PAGES_READING_THE_BACK_OFFICE)
def test_a_page_for_someone_acted_for_is_one_back_office_round_with_nothing_kept(
        cached_app: Flask, running_sandboxes: sandboxes.Running, path: str) -> None:
    faults = running_sandboxes.back_office().faults
    attorney = cached_app.test_client()
    sign_in(attorney, "Sian")
    attorney.post("/people-you-help", data={
        "csrf_token": csrf_token(attorney, "/people-you-help"), "person_id": "W06000002:p-1001"})
    cached_app.extensions["portal"].backoffice.cache.clear()  # her access too
    faults.set(latency_seconds=0.2)  # so that reads made at once overlap
    try:
        since = time.monotonic()
        page = attorney.get(path.format(yesterday=local_date(utcnow()) - timedelta(days=1)))
    finally:
        faults.set()
    assert page.status_code == 200
    rounds = faults.rounds_since(since)
    # Who Siân may act for, and the page's own reads of Gwen's record, at once.
    assert len(rounds) == 1, rounds
    assert any("/authorities-held" in p for p in rounds[0]) and \
        any("/p-1001/" in p for p in rounds[0])


def test_a_kept_conversation_shows_a_reply_sent_at_once_and_the_care_teams_answer(
        cached_app: Flask, base_settings: config.Config) -> None:
    gwen = cached_app.test_client()
    sign_in(gwen, "Gwen")
    assert gwen.get(f"/messages/{GWENS}").status_code == 200  # now kept
    words = f"Diolch, neges {uuid.uuid4().hex[:8]}"
    sent = gwen.post(f"/messages/{GWENS}", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(gwen, f"/messages/{GWENS}"), "body": words})
    assert sent.status_code == 302
    assert visible_text(page_of(gwen.get(f"/messages/{GWENS}"))).count(words) == 1
    deliver(cached_app)  # the council has it: read from the back office now, once
    assert visible_text(page_of(gwen.get(f"/messages/{GWENS}"))).count(words) == 1
    answer = f"Croeso, ateb {uuid.uuid4().hex[:8]}"
    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/people/p-1001/conversations/"
                  f"{GWENS}/reply", json={"body": answer, "language": "cy"}, timeout=5)
    follower(cached_app.extensions["portal"], "W06000002")()  # the worker reads the council's feed
    assert answer in visible_text(page_of(gwen.get(f"/messages/{GWENS}")))


@pytest.mark.parametrize("who", ["Gwen", "Dafydd"])
def test_the_persons_own_charges_are_one_back_office_round(
        cached_app: Flask, running_sandboxes: sandboxes.Running, who: str) -> None:
    """The charges and the direct-payment account (none, for Gwen) are read at once."""
    faults = running_sandboxes.back_office().faults
    client = cached_app.test_client()
    sign_in(client, who)
    cached_app.extensions["portal"].backoffice.cache.clear()
    faults.set(latency_seconds=0.2)  # so that reads made at once overlap
    try:
        since = time.monotonic()
        page = client.get("/your-charges")
    finally:
        faults.set()
    assert page.status_code == 200
    rounds = faults.rounds_since(since)
    assert len(rounds) == 1, rounds
    assert any("/direct-payment-account" in p for p in rounds[0])
