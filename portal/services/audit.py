"""Who has looked at a person's record, and what was done for them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from portal.services import paging
from portal.store import Store
from portal.store.models import AuditCount, AuditEvent

PER_PAGE = 20
# A look at the same page by the same person within this time is one look.
SAME_LOOK = timedelta(minutes=1)


@dataclass(frozen=True)
class Entry:
    id: int
    actor_name: str
    actor_role: str
    action: str
    at: datetime


@dataclass(frozen=True)
class AuditPage:
    entries: list[Entry]
    page: int
    pages: int
    total: int

    @property
    def neighbours(self) -> list[int | None]:
        return paging.neighbours(self.page, self.pages)

    def link(self, number: int) -> dict[str, int]:
        """The query of page `number`'s address: the first and last pages need none
        but the number; the pages either side of this one, the cursor that finds them."""
        if number == self.page - 1 and number != 1 and self.entries:
            return {"page": number, "after": self.entries[0].id}
        if number == self.page + 1 and number != self.pages and self.entries:
            return {"page": number, "before": self.entries[-1].id}
        return {"page": number}


def record(store: Store, person_id: str, actor_account_id: str, actor_name: str,
           actor_role: str, action: str, now: datetime, sent_a_form: bool = False) -> None:
    """Write one event, and count it. Events are never changed or deleted. The same
    look again within SAME_LOOK (the page in the other language, or reloaded) is the
    same look and is not written twice; every form sent is written."""
    with store.transaction() as db:
        if not sent_a_form and db.scalar(select(AuditEvent.id).where(
                AuditEvent.person_id == person_id, AuditEvent.actor_account_id == actor_account_id,
                AuditEvent.action == action, AuditEvent.at > now - SAME_LOOK).limit(1)):
            return
        db.add(AuditEvent(person_id=person_id, actor_account_id=actor_account_id,
                          actor_name=actor_name, actor_role=actor_role, action=action, at=now))
        count(store, db, person_id, 1)


def count(store: Store, db: Session, person_id: str, events: int) -> None:
    """Add events written to a person's log to its count, in the caller's transaction."""
    db.execute(store.insert(AuditCount).values(person_id=person_id, events=events)
               .on_conflict_do_update(index_elements=[AuditCount.person_id],
                                      set_={"events": AuditCount.events + events}))


def page_for(store: Store, person_id: str, page: int, before: int | None = None,
             after: int | None = None) -> AuditPage:
    """One page of the person's log, newest first.

    Pages are found by keyset, never by counting rows off: the next page is the
    PER_PAGE events older than `before` (the id of the last event shown), the
    previous one the PER_PAGE newer than `after` (the first shown), and the last
    page the oldest events. `page` is the number shown; without a cursor (a typed
    address) the page is found by offset."""
    with store.transaction() as db:
        total = db.scalar(select(AuditCount.events).where(
            AuditCount.person_id == person_id)) or 0
        pages = max(1, math.ceil(total / PER_PAGE))
        page = min(max(page, 1), pages)
        mine = select(AuditEvent).where(AuditEvent.person_id == person_id)
        newest_first = (AuditEvent.at.desc(), AuditEvent.id.desc())
        oldest_first = (AuditEvent.at.asc(), AuditEvent.id.asc())
        mark = _event(db, person_id, before if before is not None else after)
        if page == 1:
            rows = list(db.scalars(mine.order_by(*newest_first).limit(PER_PAGE)))
        elif page == pages:
            rows = list(db.scalars(mine.order_by(*oldest_first)
                                   .limit(total - (pages - 1) * PER_PAGE)))[::-1]
        elif mark is not None and before is not None:
            rows = list(db.scalars(mine.where(tuple_(AuditEvent.at, AuditEvent.id) <
                                              tuple_(mark.at, mark.id))
                                   .order_by(*newest_first).limit(PER_PAGE)))
        elif mark is not None:
            rows = list(db.scalars(mine.where(tuple_(AuditEvent.at, AuditEvent.id) >
                                              tuple_(mark.at, mark.id))
                                   .order_by(*oldest_first).limit(PER_PAGE)))[::-1]
        else:
            rows = list(db.scalars(mine.order_by(*newest_first)
                                   .offset((page - 1) * PER_PAGE).limit(PER_PAGE)))
        entries = [Entry(r.id, r.actor_name, r.actor_role, r.action, r.at) for r in rows]
    return AuditPage(entries, page, pages, total)


def _event(db: Session, person_id: str, event_id: int | None) -> AuditEvent | None:
    """The event a cursor names, if it is one of this person's."""
    if event_id is None:
        return None
    found = db.get(AuditEvent, event_id)
    return found if found is not None and found.person_id == person_id else None
