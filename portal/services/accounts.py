"""Signing in and out, server-side sessions, linking an identity to a care
record, and the person's language preference."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.clients.backoffice import BackOfficeClient, Person
from portal.clients.errors import NotFound
from portal.clients.identity import LogoutToken, SignedInIdentity
from portal.clock import utcnow
from portal.services import contact, earlier, outbox
from portal.store import Store
from portal.store.models import Account, LogoutTokenSeen, UserSession

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


# How often being seen is written down: a signed-in request writes nothing more often.
# The idle limit is counted from that, so a session may last up to this much longer
# than the limit (never less, so never ending before the browser's own timer says).
SEEN_EVERY = timedelta(minutes=1)


_CURRENT = select(UserSession.ended_at, UserSession.last_seen_at, UserSession.created_at,
                  UserSession.id_token, Account.id, Account.person_id, Account.language
                  ).join(Account, Account.id == UserSession.account_id
                         ).where(UserSession.id == bindparam("session_id"))


def current_session(store: Store, session_id: str, policy: SessionPolicy,
                    now: datetime | None = None, touch: bool = True) -> SignedIn | None:
    """The live session with this id, touched (at most once every SEEN_EVERY, and not
    when `touch` is False: a page refreshing itself is nobody there); None if ended,
    idle too long or too old. Asked on every signed-in request, so it reads with a
    statement built once, and writes only when there is something to write."""
    now = now or utcnow()
    with store.reading() as connection:
        row = connection.execute(_CURRENT, {"session_id": session_id}).first()
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > policy.idle + SEEN_EVERY \
            or now - row.created_at > policy.absolute:
        end_session(store, session_id, now)
        return None
    if touch and now - row.last_seen_at >= SEEN_EVERY:
        with store.transaction() as db:
            db.execute(update(UserSession).where(UserSession.id == session_id)
                       .values(last_seen_at=now))
    return SignedIn(session_id, row.id, row.person_id, row.language, row.id_token)


def end_session(store: Store, session_id: str, now: datetime | None = None) -> None:
    """End the session on the server, so its cookie is worthless from now on."""
    with store.transaction() as db:
        db.execute(update(UserSession).where(UserSession.id == session_id,
                                             UserSession.ended_at.is_(None))
                   .values(ended_at=now or utcnow()))


def end_every_session(store: Store, account_id: str) -> int:
    """End every session of this account, on every device. Returns how many were live."""
    with store.transaction() as db:
        ended = db.execute(update(UserSession).where(UserSession.account_id == account_id,
                                                     UserSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))
        return int(ended.rowcount)  # type: ignore[attr-defined]


def signed_out_at_provider(store: Store, token: LogoutToken, now: datetime) -> int:
    """End every session of whoever the provider's logout token names (they signed
    out of it, here or elsewhere). Once a token: sent again, by the provider retrying
    or by anyone who has it, it ends nothing, not even sessions started since.
    Returns how many sessions were live."""
    try:
        with store.transaction() as db:
            db.execute(delete(LogoutTokenSeen).where(LogoutTokenSeen.forget_after < now))
            db.add(LogoutTokenSeen(jti=token.jti, forget_after=token.forget_after))
    except IntegrityError:
        return 0  # acted on already
    with store.transaction() as db:
        account_id = db.scalar(select(Account.id).where(Account.identity_sub == token.subject))
    return 0 if account_id is None else end_every_session(store, account_id)


def set_language(store: Store, account_id: str, language: str) -> None:
    """Save the language used for pages and everything sent to this person."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    with store.transaction() as db:
        db.execute(update(Account).where(Account.id == account_id).values(language=language))


class LinkOutcome(Enum):
    LINKED = "linked"
    ALREADY = "already"  # the record linked already: nothing changes
    NO_MATCH = "no-match"
    LOCKED = "locked"


@dataclass(frozen=True)
class LinkResult:
    outcome: LinkOutcome
    tries_left: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True)
class LinkPolicy:
    max_tries: int = 5
    lock_for: timedelta = timedelta(minutes=30)
    # How often the holder of a record hears that someone tried to link to it.
    tell_holder_every: timedelta = timedelta(days=1)


def link_record(store: Store, backoffice: BackOfficeClient, account_id: str, council: str,
                council_reference: str, birth_date: date, policy: LinkPolicy,
                service_url: str, now: datetime | None = None) -> LinkResult:
    """Link the account to the care record this council holds with this reference and
    date of birth.

    Each try is counted before it is checked, so however many arrive at once, no
    more than policy.max_tries are checked before linking locks for policy.lock_for.
    Details of a record already linked to someone else get the same answer as wrong
    ones (a stranger learns nothing), and its holder is told, at most once a day."""
    now = now or utcnow()
    claimed = _claim_try(store, account_id, policy, now)
    if isinstance(claimed, LinkResult):
        return claimed
    tries, locked_until = claimed
    # The back-office call stays outside the transaction: no lock held while we wait.
    try:
        person = backoffice.match_person(council, council_reference.strip().upper(),
                                         birth_date)
    except NotFound:
        person = None
    linked = None if person is None else _link(store, account_id, person, now)
    if linked is not None:
        return LinkResult(linked)
    log.info("link attempt failed for account %s (%d)", account_id, tries)
    if person is not None:
        _tell_holder(store, person.id, policy, service_url, now)
    if locked_until is not None:
        return LinkResult(LinkOutcome.LOCKED, locked_until=locked_until)
    return LinkResult(LinkOutcome.NO_MATCH, tries_left=policy.max_tries - tries)


def link_person(store: Store, account_id: str, person: Person, now: datetime
                ) -> LinkOutcome | None:
    """Link a record the council has named as this account's own (the record it
    opened after the account asked for an assessment for itself): no details to
    guess, so no try is counted. None when another account holds it."""
    return _link(store, account_id, person, now)


def link_locked_until(store: Store, account_id: str, now: datetime) -> datetime | None:
    """Until when linking is locked for this account, if it is locked now."""
    with store.transaction() as db:
        locked_until = db.scalar(select(Account.link_locked_until)
                                 .where(Account.id == account_id))
    return locked_until if locked_until is not None and locked_until > now else None


def _claim_try(store: Store, account_id: str, policy: LinkPolicy, now: datetime
               ) -> LinkResult | tuple[int, datetime | None]:
    """Count one more try, if one is left: (tries so far in this window, the lock it
    started, if it was the last). A compare-and-set update, so two requests can never
    both take the same try on either engine."""
    while True:
        with store.transaction() as db:
            row = db.execute(select(Account.link_failures, Account.link_locked_until)
                             .where(Account.id == account_id)).one_or_none()
            if row is None:
                raise LookupError(account_id)
            failures, locked_until = row
            if locked_until is not None and locked_until > now:
                return LinkResult(LinkOutcome.LOCKED, locked_until=locked_until)
            tries = (0 if locked_until is not None else failures) + 1
            locks = now + policy.lock_for if tries >= policy.max_tries else None
            taken = db.execute(
                update(Account)
                .where(Account.id == account_id, Account.link_failures == failures,
                       Account.link_locked_until.is_not_distinct_from(locked_until))
                .values(link_failures=tries, link_locked_until=locks)
                .execution_options(synchronize_session=False))
            if taken.rowcount:  # type: ignore[attr-defined]
                return tries, locks


def _link(store: Store, account_id: str, person: Person, now: datetime
          ) -> LinkOutcome | None:
    """Link the record to this account, unless another account holds it, now or as an
    earlier record. An account linked already keeps the record it had as an earlier
    one (someone who moved to another council's area). Someone who asked the council
    to write by post hears from us by post until they choose, if the council holds an
    address a letter can go to."""
    try:
        with store.transaction() as db:
            if db.scalar(select(Account.id).where(Account.person_id == person.id,
                                                  Account.id != account_id)) is not None \
                    or earlier.held_by_another(db, person.id, account_id):
                return None
            leaving, linked_at = db.execute(select(Account.person_id, Account.linked_at)
                                            .where(Account.id == account_id)).one()
            if leaving == person.id:
                db.execute(update(Account).where(Account.id == account_id)
                           .values(link_failures=0, link_locked_until=None))
                return LinkOutcome.ALREADY
            if leaving is not None:
                earlier.move(db, account_id, leaving, person.full_name, linked_at, person.id,
                             now)
            db.execute(update(Account).where(Account.id == account_id).values(
                person_id=person.id, linked_at=now, link_failures=0, link_locked_until=None,
                **({"contact_by": "post"} if person.prefers_post and contact.letters_to(person)
                   else {})))
            return LinkOutcome.LINKED
    except IntegrityError:  # another sign-in linked it at the same moment
        return None


def _tell_holder(store: Store, person_id: str, policy: LinkPolicy, service_url: str,
                 now: datetime) -> None:
    """Tell whoever holds the record that someone tried to link to it, in their own
    language and by their own choice of channel, at most once in policy.tell_holder_every."""
    with store.transaction() as db:
        told = db.execute(
            update(Account)
            .where(Account.person_id == person_id,
                   or_(Account.link_attempt_told_at.is_(None),
                       Account.link_attempt_told_at <= now - policy.tell_holder_every))
            .values(link_attempt_told_at=now)
            .execution_options(synchronize_session=False))
        if not told.rowcount:  # type: ignore[attr-defined]
            return
        for to in contact.recipients_in(db, person_id, []):
            outbox.tell(db, to, "link-attempt",
                        lambda _: {"url": f"{service_url.rstrip('/')}/contact"},
                        about=f"link-attempt:{person_id}")
