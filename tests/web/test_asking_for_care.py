"""Asking the council for an assessment of care and support needs: for yourself, for
someone else (with their agreement, or saying why it cannot be had), or as their
advocate; signed in or not; someone at risk now shown who to phone first; sent once
through the outbox, confirmed in the language chosen, and followed to the
council's answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.clock import utcnow
from portal.store.models import AssessmentRequest, OutboxMessage
from tests.conftest import page_of, sign_in, visible_text
from tests.support.journeys import deliver, post

START = "/ask-for-care-and-support"


@pytest.fixture
def council(running_sandboxes: Any) -> dict[str, dict[str, Any]]:
    """The sandbox back office's requests for an assessment."""
    held: dict[str, dict[str, Any]] = running_sandboxes.back_office().assessment_requests
    return held


NERYS_FOR_IDRIS = [
    ("/urgent", {"urgency": "soon"}),
    ("/who", {"relation": "someone-else"}),
    ("/their-agreement", {"agreement": "agreed"}),
    ("/about", {"name": "Idris Roberts", "birth_date-day": "3", "birth_date-month": "4",
                "birth_date-year": "1938", "address": "2 Stryd y Capel\nCaernarfon",
                "postcode": "ll55 1aa"}),
    ("/what-matters", {"what_matters": "Aros yn ei gartref, a mynd i'r capel ar y Sul"}),
    ("/what-is-hard", {"what_is_hard": "Codi o'r gwely, a choginio"}),
    ("/who-helps", {"who_helps": "Fi, bob bore"}),
    ("/advocate", {"advocate": "not-sure"}),
    ("/contact", {"name": "Nerys Pritchard", "relationship": "Cymydog",
                  "contact_by": "email", "email": "nerys.pritchard@example.com",
                  "language": "cy", "assessment_language": "cy"}),
]
FOR_MYSELF = [
    ("/urgent", {"urgency": "not-urgent"}),
    ("/who", {"relation": "self"}),
    ("/about", {"name": "Megan Owen", "address": "5 Ffordd y Môr\nAberystwyth",
                "postcode": "SY23 1AB", "phone": ""}),
    ("/what-matters", {"what_matters": "Byw ar fy mhen fy hun"}),
    ("/what-is-hard", {"what_is_hard": "Y grisiau"}),
    ("/who-helps", {"who_helps": ""}),
    ("/advocate", {"advocate": "not-wanted"}),
    ("/contact", {"contact_by": "phone", "phone": "07700 900 982", "language": "cy"}),
]


def answer(client: FlaskClient, steps: list[tuple[str, dict[str, str]]],
           council: str | None = "W06000002") -> None:
    for path, answers in steps:
        answered = post(client, START + path, answers)
        assert answered.status_code == 302, (path, answered.text)
        if path == "/about" and client.get(START + "/council").status_code == 200:
            chosen = post(client, START + "/council", {"council": council})
            assert chosen.status_code == 302, chosen.text


def send(client: FlaskClient) -> tuple[str, str]:
    """Send from check your answers: the reference, and the confirmation's address."""
    sent = post(client, START + "/check", {})
    assert sent.status_code == 302, sent.text
    where = sent.headers["Location"]
    confirmation = page_of(client.get(where))
    return confirmation.find(class_="portal-reference").get_text(strip=True), where


def test_nerys_asks_for_her_neighbour_and_is_told_in_welsh(
        app: Flask, notify: Any, council: dict[str, Any]) -> None:
    nerys = app.test_client()
    sign_in(nerys, "Nerys", "cy", link=False)
    answer(nerys, NERYS_FOR_IDRIS)
    check = visible_text(page_of(nerys.get(START + "/check")))
    assert "Idris Roberts" in check and "LL55 1AA" in check and "3 Ebrill 1938" in check
    reference, _ = send(nerys)
    assert reference.startswith("AS-")
    # Kept here, not yet with the council: the write waits in the outbox.
    assert not [r for r in council.values() if r["portal_reference"] == reference]
    deliver(app)
    held = [r for r in council.values() if r["portal_reference"] == reference]
    assert len(held) == 1 and held[0]["priority"] == "urgent"
    asked = held[0]["asked"]
    assert asked["agreement"] == "agreed" and asked["advocate"] == "not-sure"
    assert asked["subject"] == {
        "name": "Idris Roberts", "birth_date": "1938-04-03",
        "address": "2 Stryd y Capel\nCaernarfon", "postal_code": "LL55 1AA", "phone": None,
        "preferred_language": "cy"}
    assert asked["asked_by"]["relation"] == "someone-else"
    assert asked["asked_by"]["relationship"] == "Cymydog"
    to_nerys = [n for n in notify.sent if n.get("email_address") == "nerys.pritchard@example.com"]
    assert [n["subject"] for n in to_nerys] == [
        "Brys: mae gan y cyngor y cais am asesiad o anghenion gofal a chymorth"]
    assert reference in to_nerys[0]["body"] and "Idris Roberts" in to_nerys[0]["body"]
    area = visible_text(page_of(nerys.get(START)))
    assert reference in area and "Wedi'i gael gan y cyngor" in area


def test_someone_not_signed_in_asks_for_themselves_in_welsh_and_gets_a_text(
        app: Flask, notify: Any, council: dict[str, Any]) -> None:
    megan = app.test_client()
    megan.get("/language/cy?next=/")
    start = page_of(megan.get(START))
    assert start.h1.get_text(strip=True) == "Gofyn am ofal a chymorth"
    answer(megan, FOR_MYSELF, council="W06000008")
    reference, confirmation = send(megan)
    # The confirmation is this browser's alone.
    assert app.test_client().get(confirmation).status_code == 404
    deliver(app)
    held = next(r for r in council.values() if r["portal_reference"] == reference)
    assert held["priority"] == "routine"
    assert held["asked"]["agreement"] == "own-request"
    assert held["asked"]["asked_by"]["name"] == "Megan Owen"
    texts = [n for n in notify.sent if n.get("phone_number") == "07700 900 982"]
    assert len(texts) == 1 and reference in texts[0]["body"]
    assert texts[0]["body"].startswith("Mae gan y cyngor y cais")
