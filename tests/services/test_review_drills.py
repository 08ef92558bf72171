"""Drills: the back office, then Notify, failing for a while. Once they recover,
every review is booked once and every message is sent once: counted, not assumed."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.clients.backoffice import BackOfficeClient
from portal.clock import utcnow
from portal.sandbox.backoffice import state as backoffice_state
from portal.sandbox.notify import state as notify_state
from portal.services import outbox, reviews
from portal.store.models import Account, OutboxMessage, ReviewRequest
from portal.worker import senders
from tests.conftest import sign_in
from tests.support.settings import back_offices

GWEN = "W06000002:p-1001"
DAFYDD = "W06000002:p-1002"
ELERI = "W06000002:p-1003"
OWEN = "W06000002:p-1004"
NOW = outbox.RetryPolicy(first_delay=timedelta(0), lease=timedelta(0))
PEOPLE = {"Gwen": GWEN, "Dafydd": DAFYDD, "Eleri": ELERI, "Owen": OWEN}


@pytest.fixture
def sandboxes(running_sandboxes: Any) -> Any:
    notify = running_sandboxes.servers["notify"].app
    backoffice = running_sandboxes.servers["backoffice"].app
    notify_state.of(notify).first.sent.clear()
    yield notify, backoffice
    notify.extensions["sandbox_faults"].set()
    backoffice.extensions["sandbox_faults"].set()


def request_and_move_a_review_for_each(app: Flask) -> dict[str, str]:
    """Each demo person signs in (so they have an account to hear on), then asks for a
    review and moves it before the council has it. Returns reference -> slot asked."""
    deps = app.extensions["portal"]
    asked = {}
    for who, person_id in PEOPLE.items():
        sign_in(app.test_client(), who, "cy" if who == "Gwen" else "en")
        with deps.store.transaction() as db:
            account_id = db.scalar(select(Account.id).where(Account.person_id == person_id))
        days = reviews.free_slots(deps.backoffice, person_id, "phone", utcnow())
        first, second = days[0][1][0], days[1][1][0]
        made = reviews.request_review(
            deps.store, person_id, who, account_id, who,
            reviews.Answers("plan-due", None, "phone", None, None, "none", None), first, utcnow())
        reviews.request_move(deps.store, person_id, made.id, second, who, utcnow())
        asked[made.reference] = second.id
    return asked


def deliver_until_done(app: Flask, deps: Any = None, rounds: int = 30) -> int:
    deps = deps or app.extensions["portal"]
    for done in range(1, rounds + 1):
        outbox.deliver_due(deps.store, senders(deps), policy=NOW)
        if not due(app):
            return done
    raise AssertionError("the outbox did not empty")


def due(app: Flask) -> int:
    with app.extensions["portal"].store.transaction() as db:
        return int(db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= utcnow())) or 0)


def outbox_counts(app: Flask) -> Counter[tuple[str, str]]:
    with app.extensions["portal"].store.transaction() as db:
        return Counter((m.channel, m.status) for m in db.scalars(select(OutboxMessage)))


def assert_booked_once_each(app: Flask, council: Any, asked: dict[str, str]) -> None:
    bookings = backoffice_state.of(council).bookings.values()
    for reference, slot in asked.items():
        mine = [b for b in bookings if b["portal_reference"] == reference]
        assert len(mine) == 1, reference          # not lost, not twice
        assert mine[0]["slot_id"] == slot         # where it was moved to
        assert mine[0]["status"] == "booked"
    with app.extensions["portal"].store.transaction() as db:
        assert {r.status for r in db.scalars(select(ReviewRequest))} == {"booked"}


def assert_told_once_each(notify: Any) -> None:
    sent = notify_state.of(notify).first.sent
    booked = Counter(n["email_address"] for n in sent
                     if n["subject"].startswith(("Review booked", "Adolygiad wedi'i drefnu")))
    assert sorted(booked.values()) == [1] * len(PEOPLE)   # one each: nobody missed or twice
    references = [n["reference"] for n in sent]
    assert len(references) == len(set(references))


@pytest.mark.any_hour
def test_back_office_failing_for_a_while_loses_no_booking_and_books_none_twice(
        app: Flask, sandboxes: Any) -> None:
    notify, council = sandboxes
    asked = request_and_move_a_review_for_each(app)
    council.extensions["sandbox_faults"].set(fail_status=503, fail_count=12)
    rounds = deliver_until_done(app)
    assert rounds > 1  # it had to wait for the back office
    assert_booked_once_each(app, council, asked)
    assert_told_once_each(notify)
    counts = outbox_counts(app)
    assert counts[("backoffice", "sent")] == 2 * len(PEOPLE)  # a write per change, all done
    assert counts[("email", "failed")] == counts[("letter", "failed")] == \
        counts[("backoffice", "failed")] == 0


def test_back_office_answers_lost_to_timeouts_do_not_book_twice(
        app: Flask, sandboxes: Any, base_settings: Any) -> None:
    notify, council = sandboxes
    asked = request_and_move_a_review_for_each(app)
    impatient = replace(app.extensions["portal"], backoffice=BackOfficeClient(
        back_offices(base_settings), read_timeout=0.3))
    council.extensions["sandbox_faults"].set(latency_seconds=0.6)  # it books after we give up
    outbox.deliver_due(impatient.store, senders(impatient), policy=NOW)
    council.extensions["sandbox_faults"].set()
    time.sleep(0.7)
    got_through = [b for b in backoffice_state.of(council).bookings.values()
                   if b["portal_reference"] in asked]
    assert got_through  # the council has bookings whose answers we never heard
    deliver_until_done(app, impatient)
    assert_booked_once_each(app, council, asked)
    assert_told_once_each(notify)


def test_notify_failing_for_a_while_loses_no_message_and_sends_none_twice(
        app: Flask, sandboxes: Any) -> None:
    notify, council = sandboxes
    asked = request_and_move_a_review_for_each(app)
    notify.extensions["sandbox_faults"].set(fail_status=500, fail_count=6)
    rounds = deliver_until_done(app)
    assert rounds > 2
    assert_booked_once_each(app, council, asked)
    assert_told_once_each(notify)
    counts = outbox_counts(app)
    by_post = 1  # Owen asked the council for letters
    assert counts[("email", "sent")] == len(PEOPLE) - by_post
    assert counts[("letter", "sent")] == by_post
    # The reminders, the day before.
    assert counts[("email", "pending")] == len(PEOPLE) - by_post
    assert counts[("letter", "pending")] == by_post


@pytest.mark.any_hour
def test_a_review_cancelled_after_its_booking_answer_was_lost_is_cancelled_at_the_council(
        app: Flask, sandboxes: Any, base_settings: Any) -> None:
    _, council = sandboxes
    deps = app.extensions["portal"]
    sign_in(app.test_client(), "Dafydd")
    with deps.store.transaction() as db:
        account_id = db.scalar(select(Account.id).where(Account.person_id == DAFYDD))
    slot = reviews.free_slots(deps.backoffice, DAFYDD, "home", utcnow())[2][1][0]
    made = reviews.request_review(
        deps.store, DAFYDD, "Dafydd Hughes", account_id, "Dafydd Hughes",
        reviews.Answers("plan-due", None, "home", None, None, "none", None), slot, utcnow())
    impatient = replace(deps, backoffice=BackOfficeClient(
        back_offices(base_settings), read_timeout=0.3))
    council.extensions["sandbox_faults"].set(latency_seconds=0.6)
    outbox.deliver_due(impatient.store, senders(impatient), policy=NOW)  # booked; answer lost
    council.extensions["sandbox_faults"].set()
    time.sleep(0.7)
    reviews.request_cancel(deps.store, DAFYDD, made.id, "Dafydd Hughes", utcnow())
    deliver_until_done(app)
    mine = [b for b in backoffice_state.of(council).bookings.values()
            if b["portal_reference"] == made.reference]
    assert [b["status"] for b in mine] == ["cancelled"]
