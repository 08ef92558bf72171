"""Care records a sign-in held before its current one.

Someone who moves to another council's area gets a new care record there, and links
it to the same sign-in (accounts.link_record). Their record with the council they
left is kept as an earlier record: they can still open it themselves (SCOPES), to
read its plan, visits and letters, pay what they owe that council, or write to its
team, but not book a review with it. Access they gave people in the portal follows
them to the new record; legal authorities are the new council's to record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from portal.store import Store
from portal.store.models import Delegation, EarlierRecord

# What a person may do with an earlier record of their own.
SCOPES = frozenset({"plan", "money", "messages"})


@dataclass(frozen=True)
class Earlier:
    person_id: str
    person_name: str
    linked_at: datetime | None
    moved_at: datetime


def move(db: Session, account_id: str, leaving: str, leaving_name: str,
         linked_at: datetime | None, arriving: str, now: datetime) -> None:
    """Within the transaction that links `arriving`: keep `leaving` as an earlier
    record of the account, and carry to `arriving` the access the person gave in the
    portal (taken up, asked for or offered, and not stopped). A record the account
    held before and comes back to is its current one again."""
    db.execute(delete(EarlierRecord).where(EarlierRecord.account_id == account_id,
                                           EarlierRecord.person_id == arriving))
    db.add(EarlierRecord(account_id=account_id, person_id=leaving, person_name=leaving_name,
                         linked_at=linked_at, moved_at=now))
    db.execute(update(Delegation)
               .where(Delegation.person_id == leaving, Delegation.revoked_at.is_(None),
                      Delegation.declined_at.is_(None))
               .values(person_id=arriving)
               .execution_options(synchronize_session=False))


def held_by_another(db: Session, person_id: str, account_id: str) -> bool:
    """Whether another account holds this record as an earlier one of its own."""
    return db.scalar(select(EarlierRecord.id).where(
        EarlierRecord.person_id == person_id, EarlierRecord.account_id != account_id)
    ) is not None


_EARLIER = select(EarlierRecord.person_id, EarlierRecord.person_name,
                 EarlierRecord.linked_at, EarlierRecord.moved_at)


def records(store: Store, account_id: str) -> list[Earlier]:
    """The account's earlier records, the one left last first."""
    with store.reading() as connection:
        rows = connection.execute(_EARLIER.where(EarlierRecord.account_id == account_id)
                                  .order_by(EarlierRecord.moved_at.desc())).all()
    return [Earlier(*row) for row in rows]


def record(store: Store, account_id: str, person_id: str) -> Earlier | None:
    """This record, if it is an earlier one of the account's: asked whenever someone
    acts for a person, so one row by the record's own (unique) key."""
    with store.reading() as connection:
        row = connection.execute(_EARLIER.where(EarlierRecord.person_id == person_id,
                                                EarlierRecord.account_id == account_id)).first()
    return None if row is None else Earlier(*row)
