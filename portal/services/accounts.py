"""Signing in and out, server-side sessions, linking an identity to a care
record, and the person's language preference."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import select, update

from portal.clients.backoffice import BackOfficeClient
from portal.clients.errors import NotFound
from portal.clients.identity import SignedInIdentity
from portal.clock import utcnow
from portal.store import Store
from portal.store.models import Account, UserSession

log = logging.getLogger(__name__)
LANGUAGES = ("en", "cy")


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in, as the web layer needs to know it."""

    session_id: str
    account_id: str
    person_id: str | None
    language: str | None
    id_token: str | None


def start_session(store: Store, identity: SignedInIdentity, language: str) -> SignedIn:
    """Record the sign-in: find or create the account, open a session.

    The account's stored language wins; an account without one takes the
    language the person signed in with (the first time we learn it)."""
    with store.transaction() as db:
        account = db.scalar(select(Account).where(Account.identity_sub == identity.sub))
        if account is None:
            account = Account(identity_sub=identity.sub)
            db.add(account)
        account.email = identity.email
        account.phone_number = identity.phone_number
        if account.language is None:
            account.language = language
        db.flush()
        session = UserSession(id=secrets.token_urlsafe(32), account_id=account.id,
                              id_token=identity.id_token)
        db.add(session)
        return SignedIn(session.id, account.id, account.person_id, account.language,
                        identity.id_token)


def current_session(store: Store, session_id: str, policy: SessionPolicy,
                    now: datetime | None = None) -> SignedIn | None:
    """The live session with this id, touched; None if ended, idle too long or too old."""
    now = now or utcnow()
    with store.transaction() as db:
        row = db.execute(
            select(UserSession, Account).join(Account, Account.id == UserSession.account_id)
            .where(UserSession.id == session_id)
        ).first()
        if row is None:
            return None
        session, account = row
        if session.ended_at is not None:
            return None
        if now - session.last_seen_at > policy.idle or now - session.created_at > policy.absolute:
            session.ended_at = now
            return None
        session.last_seen_at = now
        return SignedIn(session.id, account.id, account.person_id, account.language,
                        session.id_token)


def end_session(store: Store, session_id: str) -> None:
    """End the session on the server, so its cookie is worthless from now on."""
    with store.transaction() as db:
        db.execute(update(UserSession).where(UserSession.id == session_id,
                                             UserSession.ended_at.is_(None))
                   .values(ended_at=utcnow()))


def end_every_session(store: Store, account_id: str) -> None:
    """End every session of this account, on every device."""
    with store.transaction() as db:
        db.execute(update(UserSession).where(UserSession.account_id == account_id,
                                             UserSession.ended_at.is_(None))
                   .values(ended_at=utcnow()))


def set_language(store: Store, account_id: str, language: str) -> None:
    """Save the language used for pages and everything sent to this person."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    with store.transaction() as db:
        db.execute(update(Account).where(Account.id == account_id).values(language=language))


class LinkOutcome(Enum):
    LINKED = "linked"
    NO_MATCH = "no-match"
    LOCKED = "locked"
    ALREADY_LINKED_ELSEWHERE = "already-linked-elsewhere"


@dataclass(frozen=True)
class LinkResult:
    outcome: LinkOutcome
    tries_left: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class LinkPolicy:
    max_tries: int = 5
    lock_for: timedelta = timedelta(minutes=30)


def link_record(store: Store, backoffice: BackOfficeClient, account_id: str,
                council_reference: str, birth_date: date, policy: LinkPolicy,
                now: datetime | None = None) -> LinkResult:
    """Link the account to the care record with this reference and date of birth.

    After policy.max_tries wrong tries, linking is locked for policy.lock_for."""
    now = now or utcnow()
    with store.transaction() as db:
        account = db.get(Account, account_id)
        if account is None:
            raise LookupError(account_id)
        if account.link_locked_until and account.link_locked_until > now:
            return LinkResult(LinkOutcome.LOCKED, locked_until=account.link_locked_until)
    # The back-office call stays outside the transaction: no lock held while we wait.
    try:
        person = backoffice.match_person(council_reference.strip().upper(), birth_date)
    except NotFound:
        person = None
    with store.transaction() as db:
        account = db.get(Account, account_id)
        assert account is not None
        if person is None:
            if account.link_locked_until and account.link_locked_until <= now:
                account.link_failures = 0
                account.link_locked_until = None
            account.link_failures += 1
            log.info("link attempt failed for account %s (%d)", account_id,
                     account.link_failures)
            if account.link_failures >= policy.max_tries:
                account.link_locked_until = now + policy.lock_for
                account.link_failures = 0
                return LinkResult(LinkOutcome.LOCKED, locked_until=account.link_locked_until)
            return LinkResult(LinkOutcome.NO_MATCH,
                              tries_left=policy.max_tries - account.link_failures)
        holder = db.scalar(select(Account).where(Account.person_id == person.id))
        if holder is not None and holder.id != account.id:
            return LinkResult(LinkOutcome.ALREADY_LINKED_ELSEWHERE)
        account.person_id = person.id
        account.linked_at = now
        account.link_failures = 0
        account.link_locked_until = None
        return LinkResult(LinkOutcome.LINKED)
