"""The embedded demo's made-up history gives the public data page figures of its own
in a new run: written once, for the area's people only, with nobody to sign in as
and nothing left for the outbox to send."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from portal import demo_history
from portal.clock import utcnow
from portal.sandbox.identity.identities import IDENTITIES
from portal.services import figures, outbox
from portal.services.disclosure import HELD_BACK
from portal.store import Store
from portal.store.models import Account, AuditCount, AuditEvent, Payment, ReviewRequest


def test_every_figure_of_the_portal_has_numbers_to_show_in_the_last_full_week(
        store: Store) -> None:
    now = utcnow()
    assert demo_history.write(store, now)
    with store.transaction() as db:
        found = figures.from_portal(db, now)
    assert set(found) == {d.name for d in figures.DATASETS if d.source == figures.PORTAL}
    for name, rows in found.items():
        shown = rows[-2:-1] if figures.BY_NAME[name].weekly else rows
        numbers = [value for row in shown for column, value in row.items()
                   if not column.startswith("week_") and isinstance(value, int | float)
                   and not isinstance(value, bool)]
        assert numbers and max(numbers) >= 5, (name, shown)
    # Some small counts are still held back, as they would be anywhere.
    assert HELD_BACK in found["acting-for-someone"][-2].values()


def test_it_is_written_once_for_the_area_s_people_and_leaves_nothing_to_send(
        store: Store) -> None:
    now = utcnow()
    assert demo_history.write(store, now)
    assert not demo_history.write(store, now)  # a second run of the demo adds nothing
    with store.transaction() as db:
        accounts = list(db.scalars(select(Account)))
        people = set(db.scalars(select(ReviewRequest.person_id))) | set(
            db.scalars(select(Payment.person_id))) | set(db.scalars(select(AuditEvent.person_id)))
        logged = Counter(db.scalars(select(AuditEvent.person_id)))
        counted = {c.person_id: c.events for c in db.scalars(select(AuditCount))}
    assert len(accounts) == demo_history.PEOPLE + sum(n for _, n, _ in demo_history.HELPERS)
    # Nobody can sign in as them: the sign-in sandbox knows none of their identities.
    assert all(a.identity_sub.startswith(demo_history.HISTORY) for a in accounts)
    assert not {i.sub for i in IDENTITIES} & {a.identity_sub for a in accounts}
    # Their people are the area's (p-9001 onwards), never a demo person.
    assert people and all(p.startswith("W06000002:p-9") for p in people)
    assert counted == dict(logged)  # each person's access log knows its length
    assert outbox.claim(store, 50, outbox.RetryPolicy(), now=now) == []
