"""How each person wants to hear from us: email, text message, both or neither;
the messages they can do without that they have stopped; and what happens when
Notify cannot deliver to them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from portal import addresses, records
from portal.clients.backoffice import BackOfficeClient, Person
from portal.messages import BILINGUAL, STOPPABLE
from portal.services import access
from portal.store import Store
from portal.store.models import Account, Delegation, OutboxMessage

log = logging.getLogger(__name__)

CHOICES = ("email", "sms", "both", "post", "none")
# A letter's recipient names whose address it goes to: the one the council holds.
BY_POST = "person:"


@dataclass(frozen=True)
class ContactPreferences:
    contact_by: str
    email: str | None
    phone: str | None
    undeliverable: str | None  # email or sms: its detail needs checking
    stopped: frozenset[str]    # kinds of message they can do without and have stopped
    quiet: tuple[int, int] | None = None  # no alerts about visits from, until (local hours)
    missed_any_hour: bool = False


def preferences(store: Store, account_id: str) -> ContactPreferences:
    """The person's preferences; their sign-in's email and phone until they choose."""
    with store.transaction() as db:
        account = db.get(Account, account_id)
        if account is None:
            raise LookupError(account_id)
        return ContactPreferences(account.contact_by, account.contact_email or account.email,
                                  account.contact_phone or account.phone_number,
                                  account.undeliverable, _stopped(account), _quiet(account),
                                  account.missed_any_hour)


def save(store: Store, account_id: str, contact_by: str, email: str | None,
         phone: str | None, stopped: frozenset[str], quiet: tuple[int, int] | None = None,
         missed_any_hour: bool = False) -> None:
    """Save the preferences, with the kinds of message they have stopped (and so no
    others), and their quiet hours for alerts about visits. A changed detail is worth
    trying again."""
    if contact_by not in CHOICES:
        raise ValueError(contact_by)
    with store.transaction() as db:
        account = db.get(Account, account_id)
        if account is None:
            raise LookupError(account_id)
        if (email, phone) != (account.contact_email, account.contact_phone):
            account.undeliverable = None
        _stop_only(db, account, stopped)
        account.contact_by, account.contact_email, account.contact_phone = \
            contact_by, email, phone
        account.quiet_from, account.quiet_until = quiet if quiet else (None, None)
        account.missed_any_hour = missed_any_hour


def stop_by_link(store: Store, stop_token: str, kind: str) -> str | None:
    """Stop one kind of message for whoever the link was sent to, as the one-step link
    in those emails asks; the same link twice stops it once. Returns their language,
    or None when the link is not one we sent."""
    if not may_stop(kind):
        return None
    with store.transaction() as db:
        account = _holder(db, stop_token)
        if account is None:
            return None
        _stop_only(db, account, _stopped(account) | {kind})
        return account.language or "en"


def may_stop(kind: str) -> bool:
    """Whether people may stop this kind of message."""
    return kind in STOPPABLE


def holder_of(store: Store, stop_token: str) -> str | None:
    """The language of whoever a stop link was sent to; None if it is not one we sent."""
    with store.transaction() as db:
        account = _holder(db, stop_token)
        return None if account is None else account.language or "en"


def _holder(db: Session, stop_token: str) -> Account | None:
    """The account a stop link was sent to, if we sent it."""
    return db.scalar(select(Account).where(Account.stop_token == stop_token))


def _stopped(account: Account) -> frozenset[str]:
    return frozenset(account.stopped.split())


def _quiet(account: Account) -> tuple[int, int] | None:
    if account.quiet_from is None or account.quiet_until is None:
        return None
    return account.quiet_from, account.quiet_until


def _stop_only(db: Session, account: Account, stopped: frozenset[str]) -> None:
    """Stop these kinds of message, and no others, for the account; any of them already
    waiting to go to their email address or phone number goes no further."""
    newly = stopped - _stopped(account)
    account.stopped = " ".join(k for k in STOPPABLE if k in stopped)
    addresses = [a for a in (account.contact_email, account.email, account.contact_phone,
                             account.phone_number) if a]
    for kind in newly:
        db.execute(update(OutboxMessage).where(
            OutboxMessage.status == "pending", OutboxMessage.template.startswith(f"{kind}-"),
            OutboxMessage.recipient.in_(addresses)).values(status="withdrawn")
            .execution_options(synchronize_session=False))


def postal_address(backoffice: BackOfficeClient, recipient: str) -> list[str]:
    """A letter's address: its recipient's name (BY_POST + their person id) and the
    address the council holds for them, as Notify prints it (at most 7 lines); none
    when the council holds none that Notify would post to (too short, no fixed abode,
    a postcode that does not exist...)."""
    return letters_to(backoffice.get_person(recipient.removeprefix(BY_POST)))


def letters_to(person: Person) -> list[str]:
    """The address a letter to the person goes to, as Notify prints it; none when the
    council holds none that Notify would post to."""
    if not person.address_lines:
        return []
    lines = [person.full_name, *person.address_lines]
    try:
        return addresses.postal_address([*lines[:6], lines[-1]] if len(lines) > 7 else lines)
    except addresses.InvalidAddress as refused:
        log.warning("the council's address for %s is one Notify would refuse: %s",
                    person.id, refused.message)
        return []


def note_undeliverable(store: Store, channel: str, recipient: str) -> int:
    """Notify could not deliver to this address or number, for good: flag it for
    every person using it, so their preferences page asks them to check it."""
    column = Account.contact_email if channel == "email" else Account.contact_phone
    fallback = Account.email if channel == "email" else Account.phone_number
    with store.transaction() as db:
        accounts = list(db.scalars(select(Account).where(
            or_(column == recipient, (column.is_(None)) & (fallback == recipient)))))
        for account in accounts:
            account.undeliverable = channel
        return len(accounts)


@dataclass(frozen=True)
class Recipient:
    """One address to send one message to, in its owner's language."""

    channel: str   # email or sms
    address: str
    language: str  # cy or en
    stopped: frozenset[str] = frozenset()  # kinds of message they have stopped
    stop_token: str | None = None          # the secret in their link to stop some
    # The council of the person it is about: its own Notify service, if it has one,
    # sends it (None: about nobody's care, by the national service).
    council: str | None = None
    person_id: str | None = None  # their own record, if linked
    # Hours (local, from, until) in which no alert about a visit goes, and whether a
    # missed visit may be told at any hour even so.
    quiet: tuple[int, int] | None = None
    missed_any_hour: bool = False

    def wants(self, key: str) -> bool:
        """Whether they still want this kind of message."""
        return key not in self.stopped

    def stop_link(self, service_url: str, key: str) -> str | None:
        """For an email they may stop: the address that stops that kind in one step."""
        if self.channel != "email" or not may_stop(key) or self.stop_token is None:
            return None
        return f"{service_url.rstrip('/')}/stop-emails/{self.stop_token}/{key}"


def recipients_about(store: Store, backoffice: BackOfficeClient, person_id: str,
                     today: date, scope: str = "notifications") -> list[Recipient]:
    """Who hears about the person's care: the person, and everyone who may act for
    them with the notifications scope (or, for news of a message, the messages scope;
    given in the portal, or by a legal authority the council records), each by their
    own preference and in their own language."""
    holders = [r.person_id for r in backoffice.list_related_people(person_id).related_people
               if r.person_id and any(a.live_on(today)
                                      and scope in access.authority_scopes(a)
                                      for a in r.authorities)]
    with store.transaction() as db:
        carers = [d.actor_account_id for d in db.scalars(select(Delegation).where(
            Delegation.person_id == person_id, Delegation.actor_account_id.is_not(None)))
            if access.live(d, today) and scope in d.scope_set]
        return _recipients(db.scalars(select(Account).where(or_(
            Account.person_id.in_([person_id, *holders]), Account.id.in_(carers)))),
            records.council_if_key(person_id))


def recipients_of(store: Store, person_id: str, account_ids: list[str]) -> list[Recipient]:
    """The person (by the account linked to their record) and these accounts, each by
    their own preference and in their own language."""
    with store.transaction() as db:
        return recipients_in(db, person_id, account_ids)


def recipients_in(db: Session, person_id: str | None, account_ids: list[str]
                  ) -> list[Recipient]:
    """recipients_of, inside the caller's transaction. With no person (a carer's own
    request, say, from someone with no care record), these accounts alone."""
    whose = Account.id.in_(account_ids)
    return _recipients(db.scalars(select(Account).where(
        whose if person_id is None else or_(Account.person_id == person_id, whose))),
        records.council_if_key(person_id))


def _recipients(accounts: Iterable[Account], council: str | None) -> list[Recipient]:
    found: dict[tuple[str, str], Recipient] = {}
    for account in accounts:
        for channel, address in _addresses(account):
            # A letter to someone whose language we do not know is in both, Welsh first.
            language = account.language or (BILINGUAL if channel == "letter" else "en")
            found.setdefault((channel, address), Recipient(
                channel, address, language, _stopped(account), account.stop_token, council,
                account.person_id, _quiet(account), account.missed_any_hour))
    return list(found.values())


def _addresses(account: Account) -> list[tuple[str, str]]:
    if account.contact_by == "post":
        return [("letter", BY_POST + account.person_id)] if account.person_id else []
    email = account.contact_email or account.email
    phone = account.contact_phone or account.phone_number
    wanted = {"email": [("email", email)], "sms": [("sms", phone)],
              "both": [("email", email), ("sms", phone)]}.get(account.contact_by, [])
    return [(channel, address) for channel, address in wanted if address]
