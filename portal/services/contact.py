"""How each person wants to hear from us: email, text message, both or neither,
and what happens when Notify cannot deliver to them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from portal.store import Store
from portal.store.models import Account

CHOICES = ("email", "sms", "both", "none")


@dataclass(frozen=True)
class ContactPreferences:
    contact_by: str
    email: str | None
    phone: str | None
    undeliverable: str | None  # email or sms: its detail needs checking


def preferences(store: Store, account_id: str) -> ContactPreferences:
    """The person's preferences; their sign-in's email and phone until they choose."""
    with store.transaction() as db:
        account = db.get(Account, account_id)
        if account is None:
            raise LookupError(account_id)
        return ContactPreferences(account.contact_by, account.contact_email or account.email,
                                  account.contact_phone or account.phone_number,
                                  account.undeliverable)


def save(store: Store, account_id: str, contact_by: str, email: str | None,
         phone: str | None) -> None:
    """Save the preferences. A changed detail is worth trying again."""
    if contact_by not in CHOICES:
        raise ValueError(contact_by)
    with store.transaction() as db:
        account = db.get(Account, account_id)
        if account is None:
            raise LookupError(account_id)
        if (email, phone) != (account.contact_email, account.contact_phone):
            account.undeliverable = None
        account.contact_by, account.contact_email, account.contact_phone = \
            contact_by, email, phone


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
