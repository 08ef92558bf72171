"""Each outbox lane is sent on its own, so a slow Notify never delays a back-office
write; finished messages are cleared after KEEP_FINISHED, pending ones never."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from portal import worker
from portal.clock import utcnow
from portal.sandbox.notify import state as notify_state
from portal.services import outbox
from portal.store import Store
from portal.store.models import OutboxMessage
from tests.services.test_outbox import VALUES, client, statuses


def test_a_slow_notify_never_delays_a_back_office_write(
        store: Store, base_settings: Any, running_sandboxes: Any) -> None:
    notify = running_sandboxes.servers["notify"].app
    notify.extensions["sandbox_faults"].set(latency_seconds=0.5)  # each send takes 0.5 s
    written: list[str] = []
    senders = {**client(base_settings, store),
               "backoffice": lambda message: written.append(message.id) or None}
    with store.transaction() as db:
        for n in range(6):
            outbox.enqueue(db, "sms", "invitation-sms-cy+en", f"0770090{n:04d}", VALUES)
        booking = outbox.enqueue(db, "backoffice", "review-sync", "rr-1", {})
    stop = threading.Event()
    running = threading.Thread(target=worker.run, args=(store, senders, stop, 2500, 0.05))
    running.start()
    try:
        deadline = time.monotonic() + 10
        while not written and time.monotonic() < deadline:
            time.sleep(0.02)
        # The booking went while the texts, queued first, were still going.
        assert written == [booking]
        assert statuses(store).get("pending", 0) >= 3
    finally:
        stop.set()
        running.join()
        notify.extensions["sandbox_faults"].set()
        notify_state.of(notify).first.sent.clear()


def test_finished_messages_are_cleared_after_30_days_and_pending_ones_never(
        store: Store) -> None:
    now = utcnow()
    ages = {"sent": 31, "withdrawn": 40, "failed": 90}
    with store.transaction() as db:
        for status, days in ages.items():
            for age in (days, 29):
                message_id = outbox.enqueue(db, "email", "invitation-email-cy+en",
                                            f"{status}{age}@example.com", VALUES,
                                            not_before=now - timedelta(days=age))
                db.get(OutboxMessage, message_id).status = status  # type: ignore[union-attr]
        outbox.enqueue(db, "email", "invitation-email-cy+en", "late@example.com", VALUES,
                       not_before=now - timedelta(days=100))  # never sent: kept
    assert outbox.clear_finished(store, now, batch=2) == 3
    with store.transaction() as db:
        left = {(m.status, m.recipient) for m in db.scalars(select(OutboxMessage))}
    assert left == {("sent", "sent29@example.com"), ("withdrawn", "withdrawn29@example.com"),
                    ("failed", "failed29@example.com"), ("pending", "late@example.com")}
