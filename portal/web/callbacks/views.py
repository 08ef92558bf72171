"""Calls from other services to the portal: GOV.UK Notify's delivery receipts and
GOV.UK Pay's webhooks."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from portal.services import contact, outbox, payments
from portal.web import deps
from portal.web.access import service_callback

bp = Blueprint("callbacks", __name__)
RECEIPT_STATUSES = {"delivered", "permanent-failure", "temporary-failure", "technical-failure"}


@bp.post("/notify/receipts")
@service_callback
def notify_receipt() -> tuple[Response, int]:
    """Notify's delivery-status callback, with the bearer token we gave it."""
    expected = f"Bearer {current_app.config['NOTIFY_CALLBACK_TOKEN']}"
    if not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
        return jsonify(error="unauthorised"), 401
    body = request.get_json(silent=True) or {}
    if body.get("status") not in RECEIPT_STATUSES or not body.get("id"):
        return jsonify(error="not a delivery receipt"), 400
    message = outbox.record_receipt(deps().store, str(body["id"]), body.get("reference"),
                                    str(body["status"]))
    if message is not None and body["status"] == "permanent-failure":
        contact.note_undeliverable(deps().store, message.channel, message.recipient)
    return jsonify(recorded=message is not None), 200


@bp.post("/pay/webhooks")
@service_callback
def pay_webhook() -> tuple[Response, int]:
    """Pay's webhook, signed with the secret Pay gave us (Pay-Signature)."""
    outcome = payments.on_webhook(deps().store, deps().pay, request.get_data(),
                                  request.headers.get("Pay-Signature"),
                                  current_app.config["PAY_WEBHOOK_SECRET"], deps().service_url)
    status = {"bad-signature": 401, "malformed": 400}.get(outcome, 200)
    return jsonify(outcome=outcome), status
