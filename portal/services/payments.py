"""Paying an invoice through GOV.UK Pay, exactly once.

- The amount is what the back office says is owed, never anything from a form.
- A payment record is made before the person is sent to Pay; while it can still be
  paid it holds the invoice (`live_invoice_id` is unique), so a second click resumes
  it and never starts a second charge.
- The return URL carries only the record's id. What happened is always asked of
  Pay, on return, on a webhook (which may come first, twice, late or never) and in
  reconciliation; a finished payment never changes again.
- Success is settled once, in one transaction that also queues the back-office
  ledger write and the receipts in the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import messages, records
from portal.clients.backoffice import BackOfficeClient, Invoice
from portal.clients.callbacks import json_object, text
from portal.clients.errors import Conflict
from portal.clients.pay import PayClient, PayPayment, PayRejected, signature_is_valid
from portal.clock import utcnow
from portal.services import contact, outbox, references
from portal.store import Store
from portal.store.models import OutboxMessage, Payment, PayWebhookMessage

log = logging.getLogger(__name__)
RECORD = "payment-record"  # the outbox's name for "record this payment in the ledger"
# A payment Pay never answered for is given up on after this long.
CREATE_GIVEN_UP_AFTER = timedelta(hours=1)
# What a webhook's ids and event type may be, as the columns keep them.
ID_LENGTH, EVENT_TYPE_LENGTH = 64, 40
OUTCOMES = {"P0010": "declined", "P0020": "expired", "P0030": "cancelled",
            "P0040": "cancelled", "P0050": "error"}


@dataclass(frozen=True)
class Payer:
    """Who is paying, for whom, in which language."""

    person_id: str
    person_name: str
    account_id: str
    name: str
    language: str
    email: str | None


@dataclass(frozen=True)
class PaymentView:
    id: str
    reference: str  # ours, short, to read out: PY-H4TN-9BWC
    person_id: str
    invoice_id: str
    invoice_number: str
    amount_pence: int
    state: str
    finished: bool
    failure_code: str | None
    next_url: str | None
    pay_payment_id: str | None
    made_by_name: str
    created_at: datetime
    paid_at: datetime | None
    recorded_at: datetime | None  # when the council's ledger recorded it
    made_by_account_id: str

    @property
    def outcome(self) -> str:
        """paid, in-progress, declined, expired, cancelled or error."""
        if self.state == "success":
            return "paid"
        if not self.finished:
            return "in-progress"
        return OUTCOMES.get(self.failure_code or "", "error")


@dataclass(frozen=True)
class Started:
    """Where to send the person: to Pay, to the receipt of a payment already made,
    or nowhere, as nothing is owed."""

    next_url: str | None = None
    paid: PaymentView | None = None


@dataclass(frozen=True)
class Finding:
    kind: str
    payment_id: str | None
    detail: str
    mended: bool = False


def start(store: Store, pay: PayClient, payer: Payer, invoice: Invoice, description: str,
          service_url: str) -> Started:
    """Send the payer to Pay for what is owed on the invoice (as just read from the
    back office), resuming a payment already under way."""
    # What a payment under way holds while live: the invoice, keyed by its council
    # (two councils may number invoices alike).
    live_key = records.alongside(payer.person_id, invoice.id)
    for _ in range(3):
        live = _live(store, live_key)
        if live is not None:
            resumed = _resume(store, pay, live, payer, description, service_url)
            if resumed is not None:
                return resumed
        if invoice.outstanding_pence == 0:
            return Started()
        try:
            with store.transaction() as db:
                row = Payment(reference=references.new(references.PAYMENT),
                              person_id=payer.person_id, person_name=payer.person_name,
                              invoice_id=invoice.id, invoice_number=invoice.number,
                              live_invoice_id=live_key,
                              amount_pence=invoice.outstanding_pence,
                              language=payer.language, made_by_account_id=payer.account_id,
                              made_by_name=payer.name, state="creating", finished=False,
                              created_at=utcnow())
                db.add(row)
                db.flush()
                payment_id = row.id
        except IntegrityError:
            continue  # another click has just started one: resume that
        return _create_at_pay(store, pay, payment_id, payer, description, service_url)
    raise RuntimeError(f"could not start or resume a payment for {invoice.id}")


def refresh(store: Store, pay: PayClient, payment_id: str, service_url: str) -> PaymentView:
    """Ask Pay what has happened to the payment, and record it."""
    view = _view_of(store, payment_id)
    if view.finished or view.pay_payment_id is None:
        return view
    return apply(store, payment_id, pay.get_payment(view.pay_payment_id), service_url)


def apply(store: Store, payment_id: str, current: PayPayment, service_url: str,
          webhook: tuple[str, str] | None = None) -> PaymentView:
    """Record Pay's state for the payment. A finished payment never changes; success
    is settled once, with the ledger write and the receipts queued in the same
    transaction. `webhook` (message id, event type) is kept so a repeat is ignored.

    The change is one conditional UPDATE (where the payment is not yet finished), so
    a return and a webhook settling the same payment at once cannot both win, on
    PostgreSQL or SQLite alike."""
    receipts = _receipt_recipients(store, payment_id) if current.status == "success" else []
    now = utcnow()
    with store.transaction() as db:
        if webhook is not None:
            db.add(PayWebhookMessage(id=webhook[0], payment_id=current.payment_id,
                                     event_type=webhook[1], received_at=now))
            db.flush()
        finished = {"finished": True, "live_invoice_id": None, "next_url": None,
                    "failure_code": current.code,
                    "paid_at": now if current.status == "success" else None}
        changed = db.execute(
            update(Payment).where(Payment.id == payment_id, Payment.finished.is_(False),
                                  Payment.pay_payment_id == current.payment_id,
                                  Payment.amount_pence == current.amount)
            .values(state=current.status,
                    **(finished if current.finished else {"next_url": current.next_url}))
            .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
        row = db.get(Payment, payment_id, populate_existing=True)
        assert row is not None
        if not changed and not row.finished:
            raise ValueError(f"Pay's payment {current.payment_id} does not match {row.id}")
        if changed and current.status == "success":
            outbox.enqueue(db, "backoffice", RECORD, row.id, {}, about=f"payment:{row.id}")
            _queue_receipts(db, row, receipts, service_url)
        return _view(row)


def on_webhook(store: Store, pay: PayClient, body: bytes, signature: str | None, secret: str,
               council: str, service_url: str) -> str:
    """Act on a webhook from this council's Pay service: bad-signature, malformed,
    duplicate, unknown or applied. The webhook says only that something happened; what
    happened is asked of Pay, so one arriving late or out of order changes nothing it
    should not. A payment to another council is unknown here, whatever it names."""
    if not signature_is_valid(body, signature, secret):
        return "bad-signature"
    message = json_object(body) or {}
    message_id = text(message, "webhook_message_id", ID_LENGTH)
    resource_id = text(message, "resource_id", ID_LENGTH)
    event_type = text(message, "event_type", EVENT_TYPE_LENGTH)
    resource = message.get("resource")
    metadata = resource.get("metadata") if isinstance(resource, dict) else None
    if message_id is None or resource_id is None or event_type is None:
        return "malformed"
    with store.transaction() as db:
        if db.get(PayWebhookMessage, message_id) is not None:
            return "duplicate"
        row = db.scalar(select(Payment).where(Payment.pay_payment_id == resource_id))
        ours = text(metadata, "portal_payment_id", ID_LENGTH) if isinstance(metadata, dict) \
            else None
        if row is None and ours:
            row = db.get(Payment, ours)
        if row is not None and records.council_of(row.person_id) != council:
            row = None  # paid to another council: not this webhook's to touch
        if row is not None and row.pay_payment_id is None:
            # Pay's answer to our create was lost: the webhook tells us its id.
            row.pay_payment_id = resource_id
        if row is None:
            db.add(PayWebhookMessage(id=message_id, payment_id=resource_id,
                                     event_type=event_type, received_at=utcnow()))
            log.warning("Pay webhook %s about a payment we do not know: %s", message_id,
                        resource_id)
            return "unknown"
        payment_id = row.id
    try:
        apply(store, payment_id, pay.get_payment(resource_id), service_url,
              webhook=(message_id, event_type))
    except IntegrityError:
        return "duplicate"  # the same message, handled at the same moment
    return "applied"


def record_in_ledger(store: Store, backoffice: BackOfficeClient, payment_id: str) -> None:
    """Record a successful payment against its invoice in the back office (an outbox
    operation): the same payment recorded twice is still recorded once."""
    with store.transaction() as db:
        row = db.get(Payment, payment_id)
        if row is None or row.state != "success" or row.recorded_at is not None:
            return
        assert row.pay_payment_id and row.paid_at
        what = (row.person_id, row.invoice_id, row.amount_pence, row.paid_at,
                row.pay_payment_id)
    try:
        backoffice.record_payment(*what, portal_reference=payment_id,
                                  idempotency_key=f"{payment_id}-record")
    except Conflict:
        log.error("the ledger refused payment %s for %s: more than is owed", payment_id, what[1])
        raise
    with store.transaction() as db:
        row = db.get(Payment, payment_id)
        assert row is not None
        row.recorded_at = utcnow()


def get(store: Store, person_id: str, payment_id: str) -> PaymentView:
    """One of the person's payments; LookupError if it is not theirs."""
    view = _view_of(store, payment_id)
    if view.person_id != person_id:
        raise LookupError(payment_id)
    return view


def for_invoice(store: Store, person_id: str, invoice_id: str) -> list[PaymentView]:
    """Payments made through the portal for the invoice, newest first."""
    with store.transaction() as db:
        return [_view(r) for r in db.scalars(
            select(Payment).where(Payment.person_id == person_id, Payment.invoice_id == invoice_id)
            .order_by(Payment.created_at.desc()))]


def reconcile(store: Store, backoffice: BackOfficeClient, pay_for: Callable[[str], PayClient],
              service_url: str, mend: bool, since: timedelta = timedelta(days=90)
              ) -> list[Finding]:
    """Compare the portal's payments with Pay's (each at the Pay account of the council
    paid, `pay_for` the record) and with the council's ledger; report
    every difference and, with mend, put right those that are safe to: a payment Pay
    finished that the portal missed (return and webhook both lost), a payment never
    recorded in the ledger, a payment Pay never answered for."""
    now = utcnow()
    findings: list[Finding] = []
    with store.transaction() as db:
        rows = [_view(r) for r in db.scalars(select(Payment).where(
            Payment.created_at >= now - since).order_by(Payment.created_at))]
        queued = set(db.scalars(select(OutboxMessage.recipient).where(
            OutboxMessage.channel == "backoffice", OutboxMessage.template == RECORD,
            OutboxMessage.status.in_(("pending", "sent")))))
    for row in rows:
        pay = pay_for(row.person_id)
        if row.pay_payment_id is None:
            if row.state == "creating" and now - row.created_at > CREATE_GIVEN_UP_AFTER:
                findings.append(_found_unanswered(store, pay, row, mend))
            continue
        current = pay.get_payment(row.pay_payment_id)
        if not row.finished and current.finished:
            if mend:
                apply(store, row.id, current, service_url)
                queued.add(row.id)
            findings.append(Finding("missed-by-portal", row.id,
                                    f"Pay says {current.status}, the portal had {row.state}",
                                    mended=mend))
        elif row.finished and row.state != current.status:
            findings.append(Finding("differs-from-pay", row.id,
                                    f"Pay says {current.status}, the portal {row.state}"))
        if current.status == "success" and row.id not in queued and row.recorded_at is None:
            if mend:
                with store.transaction() as db:
                    outbox.enqueue(db, "backoffice", RECORD, row.id, {},
                                   about=f"payment:{row.id}")
            findings.append(Finding("missing-from-ledger-queue", row.id,
                                    "paid, but never queued for the ledger", mended=mend))
    findings += _compare_ledger(store, backoffice, rows)
    return findings


# Inside the module ------------------------------------------------------------

def _resume(store: Store, pay: PayClient, live: PaymentView, payer: Payer, description: str,
            service_url: str) -> Started | None:
    """The live payment, if it can still be paid or has been; None once it cannot.

    Pay's next_url works once: a payment the person has not yet opened is resumed;
    one they opened and came away from is cancelled at Pay, so that a new one can
    start and the old one can never be completed as well."""
    if live.pay_payment_id is None:
        # Pay's answer to our create was lost: the same Idempotency-Key finds it.
        return _create_at_pay(store, pay, live.id, payer, description, service_url)
    current = refresh(store, pay, live.id, service_url)
    if not current.finished and current.state == "created" and current.next_url:
        return Started(next_url=current.next_url)
    if not current.finished:
        try:
            pay.cancel_payment(live.pay_payment_id)
        except PayRejected as refused:
            log.info("payment %s could not be cancelled (%s): it has finished", live.id,
                     refused.code)
        current = refresh(store, pay, live.id, service_url)
        if not current.finished:
            raise RuntimeError(f"payment {live.id} is neither finished nor cancellable")
    return Started(paid=current) if current.state == "success" else None


def _create_at_pay(store: Store, pay: PayClient, payment_id: str, payer: Payer,
                   description: str, service_url: str) -> Started:
    view = _view_of(store, payment_id)
    try:
        created = pay.create_payment(
            amount=view.amount_pence, reference=view.invoice_number, description=description,
            return_url=f"{service_url.rstrip('/')}/payments/{payment_id}/return",
            language=payer.language, email=payer.email,
            metadata={"portal_payment_id": payment_id, "invoice_id": view.invoice_id,
                      "person_id": view.person_id},
            idempotency_key=payment_id)
    except PayRejected:
        with store.transaction() as db:
            row = db.get(Payment, payment_id)
            assert row is not None
            row.state, row.finished, row.live_invoice_id = "error", True, None
        raise
    with store.transaction() as db:
        row = db.get(Payment, payment_id)
        assert row is not None
        row.pay_payment_id, row.next_url, row.state = \
            created.payment_id, created.next_url, created.status
    return Started(next_url=created.next_url)


def _found_unanswered(store: Store, pay: PayClient, row: PaymentView, mend: bool) -> Finding:
    known = [p for p in pay.search_payments(row.invoice_number)
             if p.metadata.get("portal_payment_id") == row.id]
    with store.transaction() as db:
        record = db.get(Payment, row.id)
        assert record is not None
        if known and mend:
            record.pay_payment_id = known[0].payment_id
        elif mend:
            record.state, record.finished, record.live_invoice_id = "error", True, None
    if known:
        return Finding("found-at-pay", row.id, f"Pay has it as {known[0].payment_id}", mend)
    return Finding("never-reached-pay", row.id, "Pay has no such payment", mend)


def _compare_ledger(store: Store, backoffice: BackOfficeClient,
                    rows: list[PaymentView]) -> list[Finding]:
    """Each invoice the portal took a payment for, against the ledger's record of it."""
    findings = []
    ours = {r.pay_payment_id: r for r in rows if r.state == "success"}
    invoices = {r.invoice_id for r in rows}
    for person_id in sorted({r.person_id for r in rows}):
        ledger = {p.provider_reference: p for i in backoffice.get_charges(person_id).invoices
                  if i.id in invoices for p in i.payments if p.provider == "govuk-pay"}
        for reference, entry in ledger.items():
            if reference not in ours:
                findings.append(Finding("unknown-in-ledger", None,
                                        f"{person_id}: ledger has {reference}, the portal not"))
            elif ours[reference].amount_pence != entry.amount_pence:
                findings.append(Finding("amount-differs", ours[reference].id,
                                        f"ledger {entry.amount_pence}, portal "
                                        f"{ours[reference].amount_pence}"))
        for reference, row in ours.items():
            if row.person_id == person_id and reference not in ledger and row.recorded_at:
                findings.append(Finding("missing-from-ledger", row.id,
                                        "recorded as sent, but not in the ledger"))
    return findings


def _receipt_recipients(store: Store, payment_id: str) -> list[contact.Recipient]:
    view = _view_of(store, payment_id)
    return contact.recipients_of(store, view.person_id, [view.made_by_account_id])


def _queue_receipts(db: Session, row: Payment, recipients: list[contact.Recipient],
                    service_url: str) -> None:
    assert row.paid_at is not None
    paid_at = row.paid_at
    for to in recipients:
        outbox.tell(db, to, "payment-receipt", lambda language: {
            "amount": messages.money(row.amount_pence, language),
            "invoice_number": row.invoice_number, "person_name": row.person_name,
            "paid_on": messages.day(paid_at, language), "reference": row.reference,
            "url": f"{service_url.rstrip('/')}/your-charges",
        }, about=f"payment:{row.id}")


def _live(store: Store, invoice_id: str) -> PaymentView | None:
    with store.transaction() as db:
        row = db.scalar(select(Payment).where(Payment.live_invoice_id == invoice_id))
        return None if row is None else _view(row)


def _view_of(store: Store, payment_id: str) -> PaymentView:
    with store.transaction() as db:
        row = db.get(Payment, payment_id)
        if row is None:
            raise LookupError(payment_id)
        return _view(row)


def _view(row: Payment) -> PaymentView:
    return PaymentView(row.id, row.reference, row.person_id, row.invoice_id, row.invoice_number,
                       row.amount_pence, row.state, row.finished, row.failure_code,
                       row.next_url, row.pay_payment_id, row.made_by_name, row.created_at,
                       row.paid_at, row.recorded_at, row.made_by_account_id)
