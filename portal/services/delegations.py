"""A person giving, changing and stopping someone's access to act for them,
and the invitee taking it up with a one-time code."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import or_, select

from portal import messages
from portal.clock import local_date
from portal.messages import BILINGUAL
from portal.services import outbox
from portal.services.access import SCOPES
from portal.store import Store
from portal.store.models import Delegation, OutboxMessage

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(days=7)
# Notify's receipts that mean the code never reached them.
UNDELIVERED = ("permanent-failure", "temporary-failure", "technical-failure")
# How "Who can act for you" orders access: live first, stopped after.
LIVE_FIRST = {"active": 0, "invited": 1}


@dataclass(frozen=True)
class Invitation:
    delegation_id: str
    code: str          # shown once, as ABCD-EFGH
    expires_at: datetime


@dataclass(frozen=True)
class DelegationView:
    id: str
    name: str
    contact: str
    relationship: str
    scopes: list[str]
    status: str        # invited, invitation-expired, active, ended, revoked
    ends_on: date | None
    code_expires_at: datetime | None
    # Notify could not deliver the code (a failed send, or a permanent failure receipt).
    code_undelivered: bool = False


class RedeemOutcome(Enum):
    REDEEMED = "redeemed"
    INVALID = "invalid"
    OWN_RECORD = "own-record"


@dataclass(frozen=True)
class Redeemed:
    outcome: RedeemOutcome
    person_id: str | None = None
    person_name: str | None = None


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def invite(store: Store, granted_by_account_id: str, person_id: str, person_name: str,
           invitee_name: str, invitee_contact: str, relationship: str, scopes: list[str],
           ends_on: date | None, now: datetime) -> Invitation:
    """Record the access and make its one-time code, valid for 7 days."""
    if not scopes or any(s not in SCOPES for s in scopes):
        raise ValueError(f"bad scopes {scopes!r}")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    shown = f"{code[:4]}-{code[4:]}"
    expires_at = now + CODE_LIFETIME
    delegation = Delegation(
        person_id=person_id, person_name=person_name, granted_by_account_id=granted_by_account_id,
        invitee_name=invitee_name, invitee_contact=invitee_contact, relationship=relationship,
        basis="consent", scopes=" ".join(s for s in SCOPES if s in scopes), code_hash=_hash(code),
        code_expires_at=expires_at, ends_on=ends_on, created_at=now)
    channel = "email" if "@" in invitee_contact else "sms"
    with store.transaction() as db:
        db.add(delegation)
        db.flush()
        # We do not know the invitee's language yet, so the message is in both, Welsh first.
        outbox.enqueue(db, channel, f"invitation-{channel}-{BILINGUAL}", invitee_contact, {
            "person_name": person_name, "code": shown,
            "expires_cy": messages.day(expires_at, "cy"),
            "expires_en": messages.day(expires_at, "en"),
        }, about=f"delegation:{delegation.id}")
    return Invitation(delegation.id, shown, expires_at)


def redeem(store: Store, account_id: str, own_person_id: str | None, code: str,
           now: datetime) -> Redeemed:
    """Take up access with a code: it works once, before it expires, if not revoked."""
    with store.transaction() as db:
        delegation = db.scalar(select(Delegation).where(Delegation.code_hash == _hash(code)))
        if (delegation is None or delegation.redeemed_at is not None
                or delegation.revoked_at is not None or delegation.code_expires_at is None
                or delegation.code_expires_at < now):
            return Redeemed(RedeemOutcome.INVALID)
        if delegation.person_id == own_person_id:
            return Redeemed(RedeemOutcome.OWN_RECORD)
        delegation.actor_account_id = account_id
        delegation.redeemed_at = now
        delegation.code_hash = None  # works once
        return Redeemed(RedeemOutcome.REDEEMED, delegation.person_id, delegation.person_name)


def for_person(store: Store, person_id: str, now: datetime) -> list[DelegationView]:
    """Everyone the person has given access to: access still live first (active,
    then waiting for its code), then access that has stopped, each newest first."""
    with store.transaction() as db:
        rows = list(db.scalars(select(Delegation).where(Delegation.person_id == person_id)
                               .order_by(Delegation.created_at.desc())))
        undelivered = set(db.scalars(select(OutboxMessage.about).where(
            OutboxMessage.about.in_([f"delegation:{d.id}" for d in rows]),
            or_(OutboxMessage.status == "failed",
                OutboxMessage.delivery_status.in_(UNDELIVERED)))))
        views = [DelegationView(d.id, d.invitee_name, d.invitee_contact, d.relationship,
                                sorted(d.scope_set, key=SCOPES.index), _status(d, now),
                                d.ends_on, d.code_expires_at,
                                f"delegation:{d.id}" in undelivered) for d in rows]
    # A stable sort keeps each group newest first.
    return sorted(views, key=lambda v: LIVE_FIRST.get(v.status, len(LIVE_FIRST)))


def get(store: Store, person_id: str, delegation_id: str, now: datetime) -> DelegationView:
    """One of the person's delegations; LookupError if it is not theirs."""
    for view in for_person(store, person_id, now):
        if view.id == delegation_id:
            return view
    raise LookupError(delegation_id)


def change_scopes(store: Store, person_id: str, delegation_id: str, scopes: list[str]) -> None:
    """Change what someone may do; takes effect on their next request."""
    if not scopes or any(s not in SCOPES for s in scopes):
        raise ValueError(f"bad scopes {scopes!r}")
    with store.transaction() as db:
        delegation = _owned(db, person_id, delegation_id)
        delegation.scopes = " ".join(s for s in SCOPES if s in scopes)


def revoke(store: Store, person_id: str, delegation_id: str, now: datetime) -> None:
    """Stop someone's access at once (their next request is refused)."""
    with store.transaction() as db:
        delegation = _owned(db, person_id, delegation_id)
        if delegation.revoked_at is None:
            delegation.revoked_at = now
            delegation.code_hash = None


def _owned(db, person_id: str, delegation_id: str) -> Delegation:  # type: ignore[no-untyped-def]
    delegation = db.get(Delegation, delegation_id)
    if delegation is None or delegation.person_id != person_id:
        raise LookupError(delegation_id)
    return delegation  # type: ignore[no-any-return]


def _status(d: Delegation, now: datetime) -> str:
    if d.revoked_at is not None:
        return "revoked"
    if d.redeemed_at is None:
        return "invited" if d.code_expires_at and d.code_expires_at >= now \
            else "invitation-expired"
    if d.ends_on is not None and d.ends_on < local_date(now):
        return "ended"
    return "active"
