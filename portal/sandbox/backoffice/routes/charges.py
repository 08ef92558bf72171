"""Charges: what a person pays a week, their invoices (FHIR Invoice), and payments
recorded against them in the council's ledger, once each."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, jsonify

from portal.clock import today
from portal.sandbox.backoffice import data
from portal.sandbox.backoffice.http import created, json_body, problem, replayed
from portal.sandbox.backoffice.state import as_of, current, now_utc

bp = Blueprint("charges", __name__)


def invoice_of(person_id: str, invoice_id: str) -> dict[str, Any] | None:
    held = current()
    held.find(person_id)
    return next((i for i in held.ledger.get(person_id, []) if i["id"] == invoice_id), None)


@bp.get("/v1/people/<person_id>/charges")
def get_charges(person_id: str) -> Response:
    held = current()
    held.find(person_id)
    with held.lock:
        return jsonify({"weekly_charge_pence": data.WEEKLY_CHARGES.get(person_id, 0),
                        "invoices": held.ledger.get(person_id, []), "as_of": as_of()})


@bp.get("/v1/people/<person_id>/direct-payment-account")
def get_direct_payment_account(person_id: str) -> Response:
    """The account of someone whose plan is met by a direct payment; periods already
    accounted for through the portal are no longer due."""
    held = current()
    account = data.direct_payment_account(held.find(person_id), today())
    if account is None:
        return problem(404, "No direct payment", "urn:care-record:not-found")
    with held.lock:
        sent = {r["period_id"] for r in held.direct_payment_returns.values()
                if r["person_id"] == person_id}
    return jsonify({**account, "periods_due": [p for p in account["periods_due"]
                                                if p["id"] not in sent], "as_of": as_of()})


@bp.get("/v1/people/<person_id>/invoices/<invoice_id>")
def get_invoice(person_id: str, invoice_id: str) -> Response:
    with current().lock:
        invoice = invoice_of(person_id, invoice_id)
        if invoice is None:
            return problem(404, "Invoice not found", "urn:care-record:not-found")
        return jsonify({**invoice, "as_of": as_of()})


@bp.post("/v1/people/<person_id>/invoices/<invoice_id>/payments")
@replayed
def record_payment(person_id: str, invoice_id: str) -> Response:
    invoice = invoice_of(person_id, invoice_id)
    if invoice is None:
        return problem(404, "Invoice not found", "urn:care-record:not-found")
    body = json_body()
    amount = body.get("amount_pence")
    if not isinstance(amount, int) or amount <= 0 or not body.get("provider_reference"):
        return problem(400, "amount_pence (pence, above 0) and provider_reference are "
                            "required")
    known = next((p for p in invoice["payments"]
                  if p["provider_reference"] == body["provider_reference"]), None)
    if known is not None:  # the same payment recorded again: nothing changes
        return jsonify(known)
    if amount > invoice["amount_pence"] - invoice["amount_paid_pence"]:
        return problem(409, "The payment is more than is owed on the invoice",
                       "urn:care-record:overpayment")
    payment = {"id": f"pay-{uuid.uuid4().hex[:12]}", "amount_pence": amount,
               "paid_at": body.get("paid_at") or now_utc(),
               "provider": str(body.get("provider") or "govuk-pay"),
               "provider_reference": body["provider_reference"],
               "portal_reference": body.get("portal_reference")}
    invoice["payments"].append(payment)
    invoice["amount_paid_pence"] += amount
    if invoice["amount_paid_pence"] >= invoice["amount_pence"]:
        invoice["status"] = "balanced"
    return created(payment)


@bp.post("/_sandbox/people/<person_id>/invoices")
def add_invoice(person_id: str) -> Response:
    """For drills: a new invoice of this amount, due in a fortnight."""
    held = current()
    held.find(person_id)
    amount = int(json_body().get("amount_pence", 2410))
    day = today()
    with held.lock:
        invoice = {
            "id": f"inv-{person_id}-{uuid.uuid4().hex[:8]}",
            "number": f"INV-{uuid.uuid4().hex[:8].upper()}", "kind": "home-care",
            "period": {"start": (day - timedelta(days=27)).isoformat(), "end": day.isoformat()},
            "amount_pence": amount, "amount_paid_pence": 0, "issued": day.isoformat(),
            "due_date": (day + timedelta(days=14)).isoformat(), "status": "issued",
            "payments": []}
        held.ledger.setdefault(person_id, []).append(invoice)
    return created(invoice)
