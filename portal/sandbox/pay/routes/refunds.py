"""Pay's refunds API: refund some or all of a payment, list its refunds, get one."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from portal.clock import utcnow
from portal.sandbox.pay.shapes import error, iso, new_id, refund_json, refund_summary
from portal.sandbox.pay.state import current, payment

bp = Blueprint("refunds", __name__)


@bp.post("/v1/payments/<payment_id>/refunds")
def refund_payment(payment_id: str) -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = {}
    with current().lock:
        found = payment(payment_id, "P0600")
        available = refund_summary(found)["amount_available"]
        amount = body.get("amount")
        if amount is None:
            return error(400, "P0601", "Missing mandatory attribute: amount",
                          field_name="amount")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
            return error(400, "P0602", "Invalid attribute value: amount. Must be greater "
                          "than or equal to 1", field_name="amount")
        if found["state"]["status"] != "success" or amount > available:
            return error(412 if found["state"]["status"] == "success" else 400, "P0603",
                          f"The payment is not available for refund. Payment refund "
                          f"status: {refund_summary(found)['status']}")
        if "refund_amount_available" in body and body["refund_amount_available"] != available:
            return error(412, "P0604", "Refund amount available mismatch.")
        refund = {"refund_id": new_id(), "created_date": iso(utcnow()), "amount": amount,
                  "status": "submitted"}
        found["refunds"].append(refund)
    response = jsonify(refund_json(found, refund, request.host_url))
    response.status_code = 202
    return response

@bp.get("/v1/payments/<payment_id>/refunds")
def list_refunds(payment_id: str) -> Response:
    with current().lock:
        found = payment(payment_id, "P0800")
        base = f"{request.host_url}v1/payments/{payment_id}"
        return jsonify({"payment_id": payment_id,
                        "_links": {"self": {"href": f"{base}/refunds"},
                                   "payment": {"href": base}},
                        "_embedded": {"refunds": [refund_json(found, r, request.host_url)
                                                  for r in found["refunds"]]}})

@bp.get("/v1/payments/<payment_id>/refunds/<refund_id>")
def get_refund(payment_id: str, refund_id: str) -> Response:
    with current().lock:
        found = payment(payment_id, "P0700")
        for refund in found["refunds"]:
            if refund["refund_id"] == refund_id:
                return jsonify(refund_json(found, refund, request.host_url))
        return error(404, "P0700", "Not found")
