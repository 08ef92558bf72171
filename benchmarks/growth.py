"""How the access log and the outbox scale with their tables, on SQLite and (when
TEST_DATABASE_URL names one) PostgreSQL, side by side in one run.

    PYTHONPATH=. .venv/bin/python benchmarks/growth.py [small] [large]   (make bench)

For a person with `small` (default 10,000) and then `large` (default 1,000,000)
events in "Who has looked at your record": the median time to read the first
page, the next one (by its cursor), a page in the middle reached page by page,
and the last page; and the ratio large ÷ small (goal at most 1.5). For the
outbox: the median time to claim 50 due messages beside `small` and `large`
sent ones, and the ratio. For the public figures: the portal's own, worked out
from its records (as the worker does) beside `small` and `large` accounts, access
log events and sent messages from years before, with the same 2,000 of each in the
last 12 weeks: for a week just ended, and for all 12 weeks at once."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from portal.services import audit, figures, outbox
from portal.store import Store
from portal.store.models import Account, AuditCount, AuditEvent, OutboxMessage
from tests.support.databases import ENGINES, migrated_store

START = datetime(2020, 1, 1, tzinfo=UTC)
CHUNK = 50_000


def median_ms(action: Callable[[], object], repeats: int = 15) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def fill_log(store: Store, events: int) -> None:
    with store.transaction() as db:
        db.add(Account(id="bench", identity_sub="bench", language="en"))
    for first in range(0, events, CHUNK):
        with store.transaction() as db:
            db.execute(insert(AuditEvent), [
                {"person_id": "p-1", "actor_account_id": "bench", "actor_name": "Siân Morgan",
                 "actor_role": "attorney", "action": "care.plan",
                 "at": START + timedelta(seconds=n)}
                for n in range(first, min(first + CHUNK, events))])
    with store.transaction() as db:
        db.add(AuditCount(person_id="p-1", events=events))


def log_times(store: Store) -> dict[str, float]:
    first = audit.page_for(store, "p-1", 1)
    middle = first
    for _ in range(10):  # ten pages in, as someone reading back would
        middle = audit.page_for(store, "p-1", **middle.link(middle.page + 1))  # type: ignore[arg-type]
    return {
        "first page": median_ms(lambda: audit.page_for(store, "p-1", 1)),
        "next page": median_ms(lambda: audit.page_for(store, "p-1", **first.link(2))),  # type: ignore[arg-type]
        "page 12": median_ms(lambda: audit.page_for(store, "p-1", **middle.link(12))),  # type: ignore[arg-type]
        "last page": median_ms(lambda: audit.page_for(store, "p-1", first.pages)),
    }


def fill_outbox(store: Store, sent: int) -> None:
    for first in range(0, sent, CHUNK):
        with store.transaction() as db:
            db.execute(insert(OutboxMessage), [
                {"id": str(uuid.uuid4()), "channel": "email", "template": "t",
                 "recipient": "x@example.com", "personalisation": "{}", "status": "sent",
                 "attempts": 1, "next_attempt_at": START + timedelta(seconds=n),
                 "sent_at": START + timedelta(seconds=n),
                 "created_at": START} for n in range(first, min(first + CHUNK, sent))])


RECENT = 2_000  # of each kind of record, in the last 12 weeks, whatever the history


def fill_people(store: Store, accounts: int, now: datetime) -> None:
    """Accounts from years before, and RECENT recent accounts, events and messages."""
    for first in range(0, accounts, CHUNK):
        with store.transaction() as db:
            db.execute(insert(Account), [
                {"id": f"a-{n}", "identity_sub": f"sub-{n}", "language": "cy" if n % 3 else "en",
                 "created_at": START + timedelta(seconds=n)}
                for n in range(first, min(first + CHUNK, accounts))])
    recent = [now - timedelta(weeks=12) + timedelta(minutes=60 * n) for n in range(RECENT)]
    with store.transaction() as db:
        db.execute(insert(Account), [
            {"id": f"r-{n}", "identity_sub": f"recent-{n}", "language": "cy",
             "created_at": at} for n, at in enumerate(recent)])
        db.execute(insert(AuditEvent), [
            {"person_id": f"p-{n % 50}", "actor_account_id": f"r-{n}", "actor_name": "A carer",
             "actor_role": "carer", "action": "care.plan", "at": at}
            for n, at in enumerate(recent)])
        db.execute(insert(OutboxMessage), [
            {"id": str(uuid.uuid4()), "channel": "email", "template": "review-booked-email-cy",
             "recipient": "x@example.com", "personalisation": "{}", "status": "sent",
             "attempts": 1, "next_attempt_at": at, "sent_at": at, "created_at": at}
            for at in recent])


def figures_times(store: Store, now: datetime) -> dict[str, float]:
    newest = figures.weeks_to(now)[-1].start

    def work_out(since: object) -> None:
        with store.transaction() as db:
            figures.from_portal(db, now, since)  # type: ignore[arg-type]
    return {"figures, a week": median_ms(lambda: work_out(newest), 7),
            "figures, 12 weeks": median_ms(lambda: work_out(None), 7)}


def claim_time(store: Store) -> float:
    policy = outbox.RetryPolicy(lease=timedelta(0))  # claims lapse at once: claimable again
    with store.transaction() as db:
        for n in range(50):
            outbox.enqueue(db, "email", "t", f"{n}@example.com", {})
    calls = iter(range(1, 1000))
    later = datetime.now(UTC) + timedelta(days=1)

    def claim_all() -> None:  # each claim a second after the last, when the lease is over
        claimed = outbox.claim(store, 50, policy, now=later + timedelta(seconds=next(calls)))
        assert len(claimed) == 50
    return median_ms(claim_all)


def main(small: int, large: int) -> None:
    for engine in ENGINES:
        with tempfile.TemporaryDirectory() as folder:
            results = {}
            for size in (small, large):
                with migrated_store(engine, Path(folder) / str(size)) as store:
                    started = time.perf_counter()
                    now = datetime.now(UTC)
                    fill_log(store, size)
                    fill_outbox(store, size)
                    fill_people(store, size, now)
                    filled = time.perf_counter() - started
                    results[size] = {**log_times(store), "outbox claim": claim_time(store),
                                     **figures_times(store, now)}
                    print(f"{engine}: {size:,} events, sent messages and accounts written in "
                          f"{filled:.0f} s", flush=True)
            print(f"{engine:<11}{'':<18}{small:>12,}{large:>12,}   ratio (goal at most 1.5)")
            for what in results[small]:
                print(f"{'':<11}{what:<18}{results[small][what]:>10.2f}ms"
                      f"{results[large][what]:>10.2f}ms"
                      f"{results[large][what] / results[small][what]:>9.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000,
         int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
