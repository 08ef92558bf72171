"""The one place that decides whether someone may do something for a person.

Every route that shows or changes a person's data asks decide(); nothing else
makes that call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from sqlalchemy import select

from portal.store import Store
from portal.store.models import Delegation

SCOPES = ("plan", "reviews", "money", "notifications")


@dataclass(frozen=True)
class Actor:
    """Who is signed in: their account, and their own care record if linked."""

    account_id: str
    person_id: str | None


class Reason(Enum):
    SELF = "self"
    GRANTED = "granted"
    NO_ACCESS = "no-access"
    SCOPE_NOT_GRANTED = "scope-not-granted"
    ENDED = "ended"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason
    role: str | None = None          # "self" or "carer"
    person_name: str | None = None   # whose care, when acting for someone
    actor_name: str | None = None    # the actor's name as the person gave it
    scopes: frozenset[str] = frozenset()
    ended_on: date | None = None


@dataclass(frozen=True)
class Helped:
    """Someone the actor may act for, and what they may do."""

    person_id: str
    person_name: str
    scopes: frozenset[str]
    ends_on: date | None


def decide(store: Store, actor: Actor, person_id: str, scope: str, today: date) -> Decision:
    """May actor do `scope` for person_id? Allow or deny, with the reason."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    if actor.person_id == person_id:
        return Decision(True, Reason.SELF, role="self", scopes=frozenset(SCOPES))
    with store.transaction() as db:
        rows = list(db.scalars(
            select(Delegation).where(Delegation.person_id == person_id,
                                     Delegation.actor_account_id == actor.account_id)
            .order_by(Delegation.created_at.desc())))
    if not rows:
        return Decision(False, Reason.NO_ACCESS)
    live = [d for d in rows if _live(d, today)]
    if not live:
        latest = rows[0]
        reason = Reason.REVOKED if latest.revoked_at else Reason.ENDED
        return Decision(False, reason, person_name=latest.person_name, ended_on=latest.ends_on)
    scopes = frozenset().union(*(d.scope_set for d in live))
    decision = Decision(scope in scopes, Reason.GRANTED, role="carer",
                        person_name=live[0].person_name, actor_name=live[0].invitee_name,
                        scopes=scopes)
    if not decision.allowed:
        return Decision(False, Reason.SCOPE_NOT_GRANTED, role="carer",
                        person_name=live[0].person_name, scopes=scopes)
    return decision


def people_helped(store: Store, actor: Actor, today: date) -> list[Helped]:
    """Everyone the actor may act for today, by name."""
    with store.transaction() as db:
        rows = db.scalars(select(Delegation).where(
            Delegation.actor_account_id == actor.account_id).order_by(Delegation.person_name))
        helped: dict[str, Helped] = {}
        for d in rows:
            if not _live(d, today):
                continue
            known = helped.get(d.person_id)
            helped[d.person_id] = Helped(
                d.person_id, d.person_name,
                d.scope_set | (known.scopes if known else frozenset()),
                None if known and known.ends_on is None else d.ends_on)
    return list(helped.values())


def _live(delegation: Delegation, today: date) -> bool:
    return (delegation.redeemed_at is not None and delegation.revoked_at is None
            and (delegation.ends_on is None or delegation.ends_on >= today))
