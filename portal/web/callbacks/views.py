"""Calls from other services to the portal: GOV.UK Notify's delivery receipts."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from portal.services import contact, outbox
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
