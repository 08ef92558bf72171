"""Calls from other services to the portal: GOV.UK Notify's delivery receipts,
GOV.UK Pay's webhooks and GOV.UK One Login's back-channel logout."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from portal.clients.callbacks import json_object, same_secret, text
from portal.clients.errors import SignInFailed
from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import accounts, contact, outbox, payments
from portal.web.access import service_callback
from portal.web.limits import REFUSED_LOGOUTS, limiter

bp = Blueprint("callbacks", __name__)
# Every status Notify sends a receipt with; `sent` is a text abroad, which gets no other.
RECEIPT_STATUSES = {"delivered", "sent", "permanent-failure", "temporary-failure",
                    "technical-failure"}
# Notify's id is a UUID; the reference is the outbox message's id we gave it.
NOTIFY_ID_LENGTH = REFERENCE_LENGTH = 36
# Far longer than any signed logout token; anything longer is not one.
LOGOUT_TOKEN_LENGTH = 8192


@bp.post("/notify/receipts", defaults={"council": None})
@bp.post("/notify/receipts/<council>")
@service_callback
def notify_receipt(council: str | None) -> tuple[Response, int]:
    """Notify's delivery-status callback, with the bearer token we gave it: the
    national service's at /notify/receipts, and a council's own service's at
    /notify/receipts/<its GSS code>, with the token given to that service."""
    token: str | None = current_app.config["NOTIFY_CALLBACK_TOKEN"]
    if council is not None:  # no token opens the address of a service there is not
        own = deps().councils.get(council).notify if council in deps().councils else None
        token = own.callback_token if own is not None else None
    if token is None or not same_secret(request.headers.get("Authorization"),
                                        f"Bearer {token}"):
        return jsonify(error="unauthorised"), 401
    body = json_object(request.get_data()) or {}
    notify_id, status = text(body, "id", NOTIFY_ID_LENGTH), text(body, "status", 20)
    if status not in RECEIPT_STATUSES or notify_id is None:
        return jsonify(error="not a delivery receipt"), 400
    message = outbox.record_receipt(deps().store, notify_id,
                                    text(body, "reference", REFERENCE_LENGTH), status)
    if message is not None and status == "permanent-failure":
        contact.note_undeliverable(deps().store, message.channel, message.recipient)
    return jsonify(recorded=message is not None), 200


@bp.post("/pay/webhooks", defaults={"council": None})
@bp.post("/pay/webhooks/<council>")
@service_callback
def pay_webhook(council: str | None) -> tuple[Response, int]:
    """A council's Pay webhook, signed with the secret its Pay service gave
    (Pay-Signature): each council registers /pay/webhooks/<its GSS code>; the address
    without a code is the one registered before councils were named (COUNCIL_CODE's)."""
    if council is not None and council not in deps().councils:
        return jsonify(outcome="unknown-council"), 404
    paid = deps().council if council is None else deps().councils.get(council)
    outcome = payments.on_webhook(deps().store, deps().pays[paid.code], request.get_data(),
                                  request.headers.get("Pay-Signature"),
                                  paid.pay.webhook_secret, paid.code, deps().service_url)
    status = {"bad-signature": 401, "malformed": 400}.get(outcome, 200)
    return jsonify(outcome=outcome), status


@bp.post("/sign-in/back-channel-logout")
@limiter.limit(REFUSED_LOGOUTS, deduct_when=lambda response: response.status_code != 200)
@service_callback
def back_channel_logout() -> tuple[Response, int]:
    """The person signed out of the sign-in provider: end every session they have here.
    The token is the provider's, signed with its keys, for us, and acted on once."""
    token = request.form.get("logout_token", "")
    if not token or len(token) > LOGOUT_TOKEN_LENGTH:
        return jsonify(error="invalid_request"), 400
    try:
        verified = deps().identity.verified_logout_token(token)
    except SignInFailed as error:
        current_app.logger.warning("back-channel logout refused: %s", error)
        return jsonify(error="invalid_request"), 400
    ended = accounts.signed_out_at_provider(deps().store, verified, utcnow())
    return jsonify(sessions_ended=ended), 200
