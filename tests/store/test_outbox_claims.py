"""Several workers claiming from the outbox at once never take the same message
(SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL), and clearing it at once never
counts a message twice."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.clock import utcnow
from portal.services import outbox
from portal.store import Store
from portal.store.models import MessageTally, OutboxMessage


def test_concurrent_claims_never_overlap(store: Store) -> None:
    with store.transaction() as db:
        for n in range(60):
            outbox.enqueue(db, "sms", "invitation-sms-cy+en", f"0770090{n:04d}", {})
    policy = outbox.RetryPolicy()
    with ThreadPoolExecutor(max_workers=4) as pool:
        batches = list(pool.map(lambda _: [m.id for m in outbox.claim(store, 10, policy)],
                                range(8)))
    claimed = [message_id for batch in batches for message_id in batch]
    assert len(claimed) == len(set(claimed)) == 60


def test_workers_clearing_at_once_tally_each_message_once(store: Store) -> None:
    """The public figures count messages from the tallies once the outbox clears them:
    two workers clearing the same old messages at once must not both count them."""
    sent_at = datetime(2026, 9, 1, 22, 30, tzinfo=UTC)  # 23:30 in Wales: 1 September
    with store.transaction() as db:
        for n in range(90):
            message_id = outbox.enqueue(db, "email" if n % 3 else "sms",
                                        "review-booked-cy" if n % 2 else "review-booked-cy+en",
                                        f"person{n}@example.com", {}, not_before=sent_at)
            message = db.get(OutboxMessage, message_id)
            assert message is not None
            message.status, message.sent_at = "sent", sent_at
            message.delivery_status = "delivered" if n % 5 else "permanent-failure"
    with ThreadPoolExecutor(max_workers=3) as pool:
        cleared = sum(pool.map(lambda _: outbox.clear_finished(store, utcnow(), batch=7),
                               range(3)))
    assert cleared == 90
    with store.transaction() as db:
        tallies = {(t.day, t.channel, t.language): (t.sent, t.delivered)
                   for t in db.scalars(select(MessageTally))}
    expected: dict[tuple[date, str, str], list[int]] = {}
    for n in range(90):
        counts = expected.setdefault((date(2026, 9, 1), "email" if n % 3 else "sms",
                                      "cy" if n % 2 else "cy+en"), [0, 0])
        counts[0] += 1
        counts[1] += bool(n % 5)
    assert tallies == {key: tuple(counts) for key, counts in expected.items()}
