"""Drill: 200 invoices paid through the sandbox Pay over HTTP, with double clicks,
declined cards, lost returns, and Pay's webhooks duplicated, reordered and lost.
Afterwards every invoice is paid exactly once and the council's ledger equals Pay's."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask
from sqlalchemy import select

from portal.sandbox.pay import state as pay_state
from portal.services import charges, outbox, payments
from portal.store.models import Account, Payment
from portal.worker import senders
from tests.conftest import DECLINED_CARD, pay_at_sandbox, sign_in

OWEN = "W06000002:p-1004"
INVOICES = 200
NOW = outbox.RetryPolicy(first_delay=timedelta(0), lease=timedelta(0))


def test_two_hundred_payments_with_lost_and_jumbled_signals_are_each_paid_once(
        app: Flask, running_sandboxes: Any, base_settings: Any) -> None:
    chance = random.Random(20261123)
    deps = app.extensions["portal"]
    pay = pay_state.of(running_sandboxes.servers["pay"].app).first
    ledger = running_sandboxes.back_office().ledger
    owen = app.test_client()
    sign_in(owen, "Owen")
    with deps.store.transaction() as db:
        account_id = db.scalar(select(Account.id).where(Account.person_id == OWEN))
    payer = payments.Payer(OWEN, "Owen Jenkins", account_id, "Owen Jenkins", "en", None)
    invoices = [requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/people/p-1004/invoices",
                              json={"amount_pence": chance.randint(500, 40000)},
                              timeout=5).json() for _ in range(INVOICES)]
    webhooks_before = len(pay.webhooks)
    lost_returns = 0

    def go(invoice: dict[str, Any]) -> str:
        """Press "Pay" on the invoice: where the portal sends the person."""
        started = payments.start(deps.store, deps.pay_for(OWEN), payer,
                                 charges.invoice(deps.backoffice, OWEN, invoice["id"]),
                                 f"Invoice {invoice['number']}", deps.service_url)
        assert started.next_url is not None
        return started.next_url

    for invoice in invoices:
        next_url = go(invoice)
        if chance.random() < 0.1:
            assert go(invoice) == next_url  # a double click resumes the same payment
        if chance.random() < 0.1:  # declined first: back, and start again
            assert owen.get(urlsplit(pay_at_sandbox(next_url, DECLINED_CARD)).path).status_code \
                == 200
            next_url = go(invoice)
        return_url = pay_at_sandbox(next_url)
        if chance.random() < 0.4:
            lost_returns += 1  # the browser never came back
        else:
            assert owen.get(urlsplit(return_url).path).status_code == 302

    webhooks = pay.webhooks[webhooks_before:]
    jumbled = [w for w in webhooks if chance.random() > 0.25]          # a quarter lost
    jumbled += [w for w in jumbled if chance.random() < 0.3]           # some sent twice
    chance.shuffle(jumbled)                                            # out of order
    outcomes = Counter()
    for body, signature in jumbled:
        answer = app.test_client().post("/pay/webhooks", data=body,
                                        headers={"Pay-Signature": signature})
        assert answer.status_code == 200
        outcomes[answer.json["outcome"]] += 1
    assert outcomes["duplicate"] > 0 and outcomes["applied"] > 0

    # Some payments were finished at Pay with neither a return nor a webhook reaching us.
    mended = payments.reconcile(deps.store, deps.backoffice, deps.pay_for, deps.service_url,
                                mend=True)
    assert {f.kind for f in mended} <= {"missed-by-portal"} and all(f.mended for f in mended)
    assert mended, "the drill should lose both signals for some payments"
    for _ in range(20):
        if not outbox.deliver_due(deps.store, senders(deps), limit=500, policy=NOW).sent:
            break

    owed = {i["id"]: i["amount_pence"] for i in invoices}
    recorded = {i["id"]: i for i in ledger["p-1004"] if i["id"] in owed}
    assert all(len(recorded[i]["payments"]) == 1 for i in owed)            # exactly once
    assert all(recorded[i]["amount_paid_pence"] == owed[i] for i in owed)  # in full
    pay_successes = [p for p in pay.payments.values()
                     if p["metadata"] and p["metadata"].get("invoice_id") in owed
                     and p["state"]["status"] == "success"]
    assert Counter(p["metadata"]["invoice_id"] for p in pay_successes) == Counter(set(owed))
    assert sum(p["amount"] for p in pay_successes) == \
        sum(r["amount_paid_pence"] for r in recorded.values())               # ledger = Pay
    with deps.store.transaction() as db:
        ours = list(db.scalars(select(Payment).where(Payment.person_id == OWEN,
                                                     Payment.state == "success")))
    assert len(ours) == INVOICES and all(p.recorded_at is not None for p in ours)
    assert payments.reconcile(deps.store, deps.backoffice, deps.pay_for, deps.service_url,
                              mend=False) == []
    assert lost_returns > 0
