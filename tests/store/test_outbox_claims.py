"""Several workers claiming from the outbox at once never take the same message
(SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from portal.services import outbox
from portal.store import Store


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
