"""A person giving, changing and stopping someone's access to act for them,
and the invitee taking it up with a one-time code; or a carer asking a person for
access, and the person accepting some or all of it, or declining."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from portal import messages
from portal.clients.backoffice import BackOfficeClient
from portal.clients.errors import NotFound
from portal.clock import local_date
from portal.messages import BILINGUAL
from portal.services import contact, outbox
from portal.services.access import SCOPES
from portal.store import Store
from portal.store.models import Account, Delegation, OutboxMessage

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
CODE_LIFETIME = timedelta(days=7)
# Notify's receipts that mean the code never reached them.
UNDELIVERED = ("permanent-failure", "temporary-failure", "technical-failure")
# How "Who can act for you" orders access: asked of them first, then live, stopped after.
LIVE_FIRST = {"asked": 0, "active": 1, "invited": 2}


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
    notes_withheld: bool = False  # visit notes and care workers' names kept from them


class AskOutcome(Enum):
    # Asked, or the details matched nobody who uses this service: the carer hears the
    # same either way, so nobody learns from it who has a care record here.
    ASKED = "asked"
    OWN_RECORD = "own-record"


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


def ask(store: Store, backoffice: BackOfficeClient, carer_account_id: str,
        carer_person_id: str | None, council: str, council_reference: str, birth_date: date,
        carer_name: str, relationship: str, scopes: list[str], ends_on: date | None,
        service_url: str, now: datetime) -> AskOutcome:
    """A carer asks the person this council holds with this reference and date of birth to let
    them act for them. The person is told, in their language, and decides; asking
    again while they decide asks once."""
    if not scopes or any(s not in SCOPES for s in scopes):
        raise ValueError(f"bad scopes {scopes!r}")
    try:
        person = backoffice.match_person(council, council_reference.strip().upper(),
                                         birth_date)
    except NotFound:
        return AskOutcome.ASKED
    if person.id == carer_person_id:
        return AskOutcome.OWN_RECORD
    with store.transaction() as db:
        holder = db.scalar(select(Account).where(Account.person_id == person.id))
        carer = db.get(Account, carer_account_id)
        if holder is None or carer is None or db.scalar(select(Delegation.id).where(
                Delegation.person_id == person.id,
                Delegation.actor_account_id == carer_account_id,
                Delegation.asked_at.is_not(None), Delegation.redeemed_at.is_(None),
                Delegation.declined_at.is_(None), Delegation.revoked_at.is_(None))):
            return AskOutcome.ASKED
        asked = Delegation(
            person_id=person.id, person_name=person.full_name,
            granted_by_account_id=holder.id, actor_account_id=carer_account_id,
            invitee_name=carer_name, relationship=relationship,
            invitee_contact=carer.contact_email or carer.email or carer.contact_phone
            or carer.phone_number or "", basis="consent",
            scopes=" ".join(s for s in SCOPES if s in scopes), ends_on=ends_on,
            asked_at=now, created_at=now)
        db.add(asked)
        db.flush()
        _tell(db, asked, "access-asked", person.id, [], service_url, "/who-can-act-for-you")
    return AskOutcome.ASKED


def answer(store: Store, person_id: str, delegation_id: str, scopes: list[str] | None,
           service_url: str, now: datetime) -> None:
    """The person accepts a carer's ask with these scopes (any of those asked for), or
    declines it (None). The carer is told, in their language. LookupError unless it
    is the person's, and still waiting for their answer."""
    with store.transaction() as db:
        asked = _owned(db, person_id, delegation_id)
        if _status(asked, now) != "asked":
            raise LookupError(delegation_id)
        if scopes is None:
            asked.declined_at = now
        else:
            chosen = [s for s in SCOPES if s in scopes and s in asked.scope_set]
            if not chosen:
                raise ValueError(f"bad scopes {scopes!r}")
            asked.scopes = " ".join(chosen)
            asked.redeemed_at = now
        assert asked.actor_account_id is not None
        if scopes is None:
            _tell(db, asked, "access-declined", None, [asked.actor_account_id], service_url,
                  "/support-for-carers")
        else:
            _tell(db, asked, "access-accepted", None, [asked.actor_account_id], service_url,
                  "/people-you-help")


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
                                f"delegation:{d.id}" in undelivered, d.notes_withheld)
             for d in rows]
    # A stable sort keeps each group newest first.
    return sorted(views, key=lambda v: LIVE_FIRST.get(v.status, len(LIVE_FIRST)))


def get(store: Store, person_id: str, delegation_id: str, now: datetime) -> DelegationView:
    """One of the person's delegations; LookupError if it is not theirs."""
    for view in for_person(store, person_id, now):
        if view.id == delegation_id:
            return view
    raise LookupError(delegation_id)


def change_scopes(store: Store, person_id: str, delegation_id: str, scopes: list[str],
                  notes_withheld: bool = False) -> None:
    """Change what someone may do, and whether the person keeps visit notes and care
    workers' names from them; takes effect on their next request."""
    if not scopes or any(s not in SCOPES for s in scopes):
        raise ValueError(f"bad scopes {scopes!r}")
    with store.transaction() as db:
        delegation = _owned(db, person_id, delegation_id)
        delegation.scopes = " ".join(s for s in SCOPES if s in scopes)
        delegation.notes_withheld = notes_withheld


def revoke(store: Store, person_id: str, delegation_id: str, now: datetime) -> None:
    """Stop someone's access at once (their next request is refused)."""
    with store.transaction() as db:
        delegation = _owned(db, person_id, delegation_id)
        if delegation.revoked_at is None:
            delegation.revoked_at = now
            delegation.code_hash = None


def _tell(db: Session, delegation: Delegation, key: str, person_id: str | None,
          account_ids: list[str], service_url: str, path: str) -> None:
    """Tell them about an ask or its answer, each in their own language."""
    for to in contact.recipients_in(db, person_id, account_ids):
        outbox.tell(db, to, key, lambda _: {
            "person_name": delegation.person_name, "carer_name": delegation.invitee_name,
            "relationship": delegation.relationship, "url": service_url.rstrip("/") + path,
        }, about=f"delegation:{delegation.id}")


def _owned(db, person_id: str, delegation_id: str) -> Delegation:  # type: ignore[no-untyped-def]
    delegation = db.get(Delegation, delegation_id)
    if delegation is None or delegation.person_id != person_id:
        raise LookupError(delegation_id)
    return delegation  # type: ignore[no-any-return]


def _status(d: Delegation, now: datetime) -> str:
    if d.revoked_at is not None:
        return "revoked"
    if d.declined_at is not None:
        return "declined"
    if d.redeemed_at is None and d.asked_at is not None:
        return "asked"
    if d.redeemed_at is None:
        return "invited" if d.code_expires_at and d.code_expires_at >= now \
            else "invitation-expired"
    if d.ends_on is not None and d.ends_on < local_date(now):
        return "ended"
    return "active"
