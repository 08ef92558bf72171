"""Direct payments, accounted for: the account as the council holds it (payments in,
the balance, the periods it has asked to be accounted for), and a period's return of
spending by kind, with receipts, sent through the portal and followed on "Your
requests" to the council's answer.

A return is saved first, with its back-office write queued in the outbox in the same
transaction, so it is kept while the back office is down; the worker's send() gives
it to the council once (progress.send_once), forgets the receipts' content the moment
the council has them, and tells the person and whoever sent it, each in their own
language."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session, object_session

from portal.clients.backoffice import BackOfficeClient, DirectPaymentAccount, PeriodDue
from portal.files import Upload
from portal.services import contact, outbox, progress, references
from portal.store import Store
from portal.store.models import DirectPaymentReturn

SEND = "direct-payment-return-send"  # the outbox's name for "give it to the council"
SPENDING_KINDS = ("personal_assistants", "agency_care", "equipment", "other")
MOST_RECEIPTS = 5


@dataclass(frozen=True)
class ReturnView:
    id: str
    reference: str
    person_name: str
    period_id: str
    period_start: date
    period_end: date
    spending: dict[str, int]     # pence, by SPENDING_KINDS
    receipts: list[str]          # the files' names
    told_by_name: str
    progress: progress.Progress

    @property
    def total_pence(self) -> int:
        return sum(self.spending.values())


@dataclass(frozen=True)
class Returns:
    returns: list[ReturnView]
    council_unavailable: bool  # shown from the portal's records alone


def account(backoffice: BackOfficeClient, person_id: str) -> DirectPaymentAccount | None:
    """The person's direct-payment account, or None if they have no direct payment."""
    return backoffice.get_direct_payment_account(person_id)


def period(backoffice: BackOfficeClient, person_id: str, period_id: str) -> PeriodDue:
    """A period the council asks the person to account for; LookupError if none is."""
    found = account(backoffice, person_id)
    due = next((p for p in found.periods_due if p.id == period_id), None) if found else None
    if due is None:
        raise LookupError(period_id)
    return due


def send_return(store: Store, person_id: str, person_name: str, account_id: str,
                actor_name: str, due: PeriodDue, spending: dict[str, int],
                receipts: list[Upload], token: str, now: datetime) -> ReturnView:
    """Save the return with its receipts and queue it for the council, in one
    transaction. `token` is the form's own id: sent twice (or twice at once), one."""
    if set(spending) != set(SPENDING_KINDS) or any(v < 0 for v in spending.values()) \
            or len(receipts) > MOST_RECEIPTS:
        raise ValueError("not a return the contract takes")
    return progress.tell_once(
        store, DirectPaymentReturn, ("token", token), lambda: DirectPaymentReturn(
            reference=references.new(references.DIRECT_PAYMENT_RETURN), token=token,
            person_id=person_id, person_name=person_name, period_id=due.id,
            period_start=due.start, period_end=due.end, spending=json.dumps(spending),
            told_by_account_id=account_id, told_by_name=actor_name, created_at=now),
        SEND, "direct-payment-return", _view, receipts)


def get(store: Store, backoffice: BackOfficeClient, person_id: str, return_id: str
        ) -> tuple[ReturnView, bool]:
    """One of the person's returns, with the council's progress and answer, and whether
    the council could not be asked; LookupError if it is not theirs."""
    return progress.one_with_council(store, DirectPaymentReturn, person_id, return_id, _view,
                                     lambda: backoffice.list_direct_payment_returns(person_id))


def for_person(store: Store, backoffice: BackOfficeClient, person_id: str) -> Returns:
    """The person's returns, newest first, with the council's progress and answers.
    Without the back office, the portal's own records alone."""
    return Returns(*progress.with_council(
        progress.of_person(store, DirectPaymentReturn, person_id, _view),
        lambda: backoffice.list_direct_payment_returns(person_id)))


def send(store: Store, backoffice: BackOfficeClient, return_id: str, service_url: str) -> None:
    """Give the return to the council, then forget the receipts' content and tell the
    person and whoever sent it that it has it (safe to run any number of times)."""
    progress.send_once(
        store, DirectPaymentReturn, return_id, lambda row: row.told_by_account_id,
        lambda row: _contract(store, row),
        lambda person_id, body: backoffice.send_direct_payment_return(
            person_id, body, f"{return_id}-send"),
        lambda db, row, recipients: _received(db, row, recipients, service_url))


# Inside the module ------------------------------------------------------------

def _view(row: DirectPaymentReturn) -> ReturnView:
    return ReturnView(row.id, row.reference, row.person_name, row.period_id, row.period_start,
                      row.period_end, json.loads(row.spending),
                      [f.filename for f in progress.files_of(object_session(row), row.id)],
                      row.told_by_name, progress.ours(row))


def _contract(store: Store, row: DirectPaymentReturn) -> dict[str, Any]:
    """The return as the contract's DirectPaymentReturnNew says it."""
    with store.transaction() as db:
        receipts = progress.files_for_council(db, row.id)
    return {"period_id": row.period_id, "spending_pence": json.loads(row.spending),
            "receipts": receipts, "declared": True, "told_by": row.told_by_name,
            "portal_reference": row.reference}


def _received(db: Session, row: DirectPaymentReturn, recipients: list[contact.Recipient],
              service_url: str) -> None:
    progress.forget_files(db, row.id)
    for to in recipients:
        outbox.tell(db, to, "direct-payment-return-received", lambda language: {
            "person_name": row.person_name, "reference": row.reference,
            "url": service_url.rstrip("/") + "/your-requests",
        }, about=f"direct-payment-return:{row.id}")
