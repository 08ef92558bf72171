"""For drills, what Pay has no API for: a payment's time running out now."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from portal.sandbox.pay.shapes import public
from portal.sandbox.pay.state import current, finish, payment

bp = Blueprint("drills", __name__)


@bp.post("/_sandbox/payments/<payment_id>/expire")
def force_expiry(payment_id: str) -> Response:
    """For drills: let the payment's time run out now."""
    with current().lock:
        found = payment(payment_id)
        if not found["state"]["finished"]:
            finish(found, "expired")
        return jsonify(public(found, request.host_url))
