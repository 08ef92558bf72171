"""Payments on every engine we run on: one live payment per invoice, and success
settled once when a return and webhooks race each other."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.clients.pay import PayPayment
from portal.clock import utcnow
from portal.services import payments, references
from portal.store import Store
from portal.store.models import Account, OutboxMessage, Payment


def a_payment(store: Store, invoice_id: str = "inv-1", live: bool = True,
              pay_id: str = "pay-1") -> str:
    with store.transaction() as db:
        account = db.scalar(select(Account).where(Account.identity_sub == "sub-1"))
        if account is None:
            account = Account(identity_sub="sub-1", person_id="W06000002:p-1", language="cy",
                              email="gwen@example.com")
            db.add(account)
            db.flush()
        payment = Payment(reference=references.new(references.PAYMENT), person_id="W06000002:p-1",
                          person_name="Gwen Morgan", invoice_id=invoice_id,
                          invoice_number="INV-1", live_invoice_id=invoice_id if live else None,
                          amount_pence=2410, language="cy", made_by_account_id=account.id,
                          made_by_name="Gwen Morgan", pay_payment_id=pay_id,
                          state="created", finished=False, created_at=utcnow())
        db.add(payment)
        db.flush()
        return payment.id


def test_an_invoice_has_one_live_payment_at_a_time(store: Store) -> None:
    a_payment(store)
    with pytest.raises(IntegrityError, match="live_invoice_id"):
        a_payment(store, pay_id="pay-2")
    a_payment(store, live=False, pay_id="pay-3")  # a finished one holds nothing


def test_success_is_settled_once_when_return_and_webhooks_race(store: Store) -> None:
    payment_id = a_payment(store)
    paid = PayPayment("pay-1", 2410, "INV-1", "success", True, None, None, {})
    with ThreadPoolExecutor(max_workers=8) as pool:
        views = list(pool.map(lambda _: payments.apply(store, payment_id, paid,
                                                       "https://portal.example"), range(8)))
    assert {v.state for v in views} == {"success"}
    with store.transaction() as db:
        queued = db.execute(select(OutboxMessage.channel, func.count())
                            .group_by(OutboxMessage.channel)).all()
        row = db.get(Payment, payment_id)
        assert row is not None and row.live_invoice_id is None and row.paid_at is not None
    assert dict(queued) == {"backoffice": 1, "email": 1}  # one ledger write, one receipt


def test_a_finished_payment_never_changes(store: Store) -> None:
    payment_id = a_payment(store)
    declined = PayPayment("pay-1", 2410, "INV-1", "failed", True, "P0010", None, {})
    payments.apply(store, payment_id, declined, "https://portal.example")
    late = PayPayment("pay-1", 2410, "INV-1", "submitted", False, None, "https://pay/x", {})
    assert payments.apply(store, payment_id, late, "https://portal.example").outcome == \
        "declined"
