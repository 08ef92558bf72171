"""Who has looked at a person's record, and what was done for them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from portal.store import Store
from portal.store.models import AuditEvent

PER_PAGE = 20
# A look at the same page by the same person within this time is one look.
SAME_LOOK = timedelta(minutes=1)


@dataclass(frozen=True)
class Entry:
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


def record(store: Store, person_id: str, actor_account_id: str, actor_name: str,
           actor_role: str, action: str, now: datetime, sent_a_form: bool = False) -> None:
    """Write one event. Events are never changed or deleted. The same look again
    within SAME_LOOK (the page in the other language, or reloaded) is the same look
    and is not written twice; every form sent is written."""
    with store.transaction() as db:
        if not sent_a_form and db.scalar(select(AuditEvent.id).where(
                AuditEvent.person_id == person_id, AuditEvent.actor_account_id == actor_account_id,
                AuditEvent.action == action, AuditEvent.at > now - SAME_LOOK).limit(1)):
            return
        db.add(AuditEvent(person_id=person_id, actor_account_id=actor_account_id,
                          actor_name=actor_name, actor_role=actor_role, action=action, at=now))


def page_for(store: Store, person_id: str, page: int) -> AuditPage:
    """One page of the person's log, newest first."""
    with store.transaction() as db:
        total = db.scalar(select(func.count()).select_from(AuditEvent)
                          .where(AuditEvent.person_id == person_id)) or 0
        pages = max(1, math.ceil(total / PER_PAGE))
        page = min(max(page, 1), pages)
        rows = db.scalars(select(AuditEvent).where(AuditEvent.person_id == person_id)
                          .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                          .offset((page - 1) * PER_PAGE).limit(PER_PAGE))
        entries = [Entry(r.actor_name, r.actor_role, r.action, r.at) for r in rows]
    return AuditPage(entries, page, pages, total)
