"""The outbox against the sandbox Notify over HTTP: nothing lost while Notify
fails, nothing sent twice when answers are lost."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from portal import config, worker
from portal.clients.notify import NotifyClient
from portal.messages import sandbox_template_ids
from portal.sandbox.notify import state as notify_state
from portal.services import outbox
from portal.store import Store
from portal.store.models import OutboxMessage
from tests.support.waiting import until

NOW_POLICY = outbox.RetryPolicy(first_delay=timedelta(0), lease=timedelta(0))
VALUES = {"person_name": "Gwen Morgan", "code": "ABCD-2345", "expires_cy": "30 Tachwedd 2026",
          "expires_en": "30 November 2026"}


@pytest.fixture
def sandbox(running_sandboxes: Any) -> Iterator[Any]:
    app = running_sandboxes.servers["notify"].app
    service = notify_state.of(app).first
    service.sent.clear()
    yield app
    app.extensions["sandbox_faults"].set()
    service.sent.clear()


def client(base_settings: Any, store: Store, timeout: float = 5.0) -> dict[str, outbox.Sender]:
    """The outbox's senders for messages, through a Notify client on the sandbox."""
    notify = NotifyClient(config.SANDBOX_NOTIFY_KEY, base_settings.NOTIFY_BASE_URL,
                          sandbox_template_ids(), timeout=timeout)
    send = outbox.via_notify(lambda _council: notify, store)
    return {"email": send, "sms": send}


def enqueue(store: Store, count: int) -> list[str]:
    with store.transaction() as db:
        return [outbox.enqueue(db, "email", "invitation-email-cy+en", f"p{n}@example.com",
                               VALUES) for n in range(count)]


def sent_references(sandbox: Any) -> list[str]:
    return [n["reference"] for n in notify_state.of(sandbox).first.sent]


def statuses(store: Store) -> dict[str, int]:
    with store.transaction() as db:
        rows = db.execute(select(OutboxMessage.status, func.count())
                          .group_by(OutboxMessage.status)).all()
    return {status: count for status, count in rows}


def test_a_message_is_written_with_its_cause_or_not_at_all(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as db:
        outbox.enqueue(db, "email", "invitation-email-cy+en", "a@example.com", VALUES)
        raise RuntimeError("the change that caused it failed")
    assert statuses(store) == {}


def test_notify_failing_for_a_while_loses_nothing_and_sends_nothing_twice(
        store: Store, sandbox: Any, base_settings: Any) -> None:
    ids = enqueue(store, 20)
    sandbox.extensions["sandbox_faults"].set(fail_status=503, fail_count=25)
    rounds = 0
    while statuses(store).get("pending") and rounds < 20:
        outbox.deliver_due(store, client(base_settings, store), policy=NOW_POLICY)
        rounds += 1
    assert statuses(store) == {"sent": 20}
    assert sorted(sent_references(sandbox)) == sorted(ids)  # each exactly once
    assert rounds > 1  # it really did have to try again


def test_answers_lost_to_timeouts_do_not_cause_duplicates(
        store: Store, sandbox: Any, base_settings: Any) -> None:
    ids = enqueue(store, 3)
    faults = sandbox.extensions["sandbox_faults"]
    faults.set(latency_seconds=0.6)  # Notify accepts each message after we stop waiting
    slow = outbox.deliver_due(store, client(base_settings, store, timeout=0.3), policy=NOW_POLICY)
    assert slow.retrying == 3
    faults.set()
    import time

    time.sleep(0.5)  # the sandbox finishes accepting what we gave up on
    outbox.deliver_due(store, client(base_settings, store), policy=NOW_POLICY)
    assert statuses(store) == {"sent": 3}
    assert sorted(sent_references(sandbox)) == sorted(ids)


def test_a_message_notify_refuses_fails_at_once(store: Store, sandbox: Any,
                                                base_settings: Any) -> None:
    with store.transaction() as db:
        outbox.enqueue(db, "email", "invitation-email-cy+en", "a@example.com", {"code": "x"})
    assert outbox.deliver_due(store, client(base_settings, store), policy=NOW_POLICY).failed == 1
    assert statuses(store) == {"failed": 1}


def test_retries_back_off_exponentially_with_jitter() -> None:
    policy = outbox.RetryPolicy()
    for attempt, ceiling in [(1, 5), (2, 10), (3, 20), (4, 40), (12, 3600)]:
        delays = {policy.delay(attempt).total_seconds() for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1


def test_a_message_gives_up_after_the_last_try(store: Store, sandbox: Any,
                                               base_settings: Any) -> None:
    enqueue(store, 1)
    sandbox.extensions["sandbox_faults"].set(fail_status=503)
    policy = outbox.RetryPolicy(max_attempts=3, first_delay=timedelta(0), lease=timedelta(0))
    for _ in range(5):
        outbox.deliver_due(store, client(base_settings, store), policy=policy)
    assert statuses(store) == {"failed": 1}


def test_that_the_council_has_a_row_is_noted_once_however_often_it_is_sent(
        store: Store) -> None:
    from portal.store.models import Account, CarerAssessmentRequest

    with store.transaction() as db:
        db.add(Account(id="carer", identity_sub="c"))
        db.flush()
        db.add(CarerAssessmentRequest(id="r1", reference="CA-TEST-0001", account_id="carer",
                                      council="W06000002", carer_name="Nerys",
                                      cared_for_name="Idris", language="cy", answers="{}"))
    with store.transaction() as db:
        first = outbox.record_received(db, CarerAssessmentRequest, "r1", "car-1")
        assert first is not None and first.backoffice_id == "car-1"
        assert first.received_at is not None
    with store.transaction() as db:
        assert outbox.record_received(db, CarerAssessmentRequest, "r1", "car-2") is None
        assert db.get(CarerAssessmentRequest, "r1").backoffice_id == "car-1"  # type: ignore


def test_two_workers_together_keep_under_the_rate_notify_allows(
        store: Store, sandbox: Any, base_settings: Any, caplog: pytest.LogCaptureFixture) -> None:
    """Notify allows so many sends a minute whoever sends them: two workers share one
    rate, and Notify (here allowing 240 a minute, 4 at once) refuses none of them."""
    service = notify_state.of(sandbox).first
    service.rate_limit, service.tokens, service.refused_for_rate = 240, 4, 0
    ids = enqueue(store, 24)
    stops = [threading.Event(), threading.Event()]
    caplog.set_level(logging.INFO, logger="portal.worker")
    leased = outbox.RetryPolicy(first_delay=timedelta(0))  # a claim is held while sending
    workers = [threading.Thread(target=worker.run, args=(store, client(base_settings, store),
                                                         stop, 240, 0.05, leased))
               for stop in stops]
    try:
        for thread in workers:
            thread.start()
        assert until(lambda: statuses(store).get("sent") == 24, 20)
    finally:
        for stop in stops:
            stop.set()
        for thread in workers:
            thread.join(10)
        service.rate_limit = service.tokens = notify_state.RATE_LIMIT
    assert service.refused_for_rate == 0
    assert sorted(sent_references(sandbox)) == sorted(ids)  # each once
    batches = [r for r in caplog.records if getattr(r, "lane", None) == "notify"]
    assert batches and sum(r.sent for r in batches) == 24  # type: ignore[attr-defined]


def test_a_worker_told_to_stop_lets_go_of_what_it_has_not_sent(
        store: Store, sandbox: Any, base_settings: Any) -> None:
    """At a slow rate, a worker holding a batch is stopped: what it sent is sent once,
    the rest is due again at once for another worker, and nothing is lost."""
    ids = enqueue(store, 10)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(
        store, client(base_settings, store), stop, 60, 0.05,
        outbox.RetryPolicy(first_delay=timedelta(0))))
    thread.start()
    assert until(lambda: statuses(store).get("sent", 0) >= 1, 10)
    stop.set()
    thread.join(10)
    assert not thread.is_alive()
    with store.transaction() as db:
        held = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.claimed_until.is_not(None)))
    assert held == 0
    sent = statuses(store).get("sent", 0)
    assert 1 <= sent < 10 and statuses(store).get("pending") == 10 - sent
    outbox.deliver_due(store, client(base_settings, store), policy=NOW_POLICY)
    assert statuses(store) == {"sent": 10}
    assert sorted(sent_references(sandbox)) == sorted(ids)
