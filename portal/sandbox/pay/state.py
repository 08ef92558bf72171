"""What the sandbox Pay holds, as one typed object: an account for each service that
uses it (each council's own), each with its payments, and what a payment goes
through as it stands now: expiry, finishing, refunds going through, and the
signed webhooks each change sends. Tests reach it as `state.of(app)`."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, abort, current_app, g, request

from portal.clock import utcnow
from portal.sandbox import callbacks
from portal.sandbox import faults as fault_injection
from portal.sandbox.pay.shapes import error, iso, new_id, public, sign

# Finished states: code and message as Pay gives them, and the webhook pay-webhooks sends
# (EventMapper: a cancel by the person or the service is card_payment_failed).
FAILURES = {
    "declined": ("failed", "P0010", "Payment method rejected", "card_payment_failed"),
    "expired": ("failed", "P0020", "Payment expired", "card_payment_expired"),
    "user-cancelled": ("cancelled", "P0030", "Payment was cancelled by the user",
                       "card_payment_failed"),
    "service-cancelled": ("cancelled", "P0040", "Payment was cancelled by the service",
                          "card_payment_failed"),
    "error": ("error", "P0050", "Payment provider returned an error", "card_payment_failed"),
}


@dataclass
class Account:
    """One service's Pay account: its API key and its webhook."""

    api_key: str
    signing_secret: str
    webhook_url: str | None = None
    # Off in tests that hold webhooks back to replay them (duplicated, reordered, lost).
    deliver_webhooks: bool = True
    payment_lifetime: timedelta = timedelta(minutes=90)
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_token: dict[str, str] = field(default_factory=dict)
    by_idempotency_key: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Every webhook message made: (body, signature), in the order made.
    webhooks: list[tuple[str, str]] = field(default_factory=list)
    webhook_calls: callbacks.Caller = field(
        default_factory=lambda: callbacks.Caller(callbacks.PAY))


@dataclass
class Pay:
    """Every account the sandbox holds, by API key, in the order given."""

    accounts: dict[str, Account]
    faults: fault_injection.Faults
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def first(self) -> Account:
        """The first account: the one service of a portal serving one council."""
        return next(iter(self.accounts.values()))

    def holding(self, payment_id: str) -> Account | None:
        """The account a payment was made to (the hosted pages carry no key)."""
        return next((a for a in self.accounts.values() if payment_id in a.payments), None)

    def opened_by(self, token: str) -> Account | None:
        """The account whose payment this next_url token opens."""
        return next((a for a in self.accounts.values() if token in a.by_token), None)


def of(app: Flask) -> Pay:
    """What this sandbox Pay app holds."""
    held: Pay = app.extensions["sandbox_pay"]
    return held


def current() -> Pay:
    """What the sandbox Pay answering this request holds."""
    return of(current_app)


def account() -> Account:
    """The account this request is for: its API key's, or its payment's."""
    found: Account = g.account
    return found


def payment(payment_id: str, not_found: str = "P0200") -> dict[str, Any]:
    """The payment as it stands now (expired if its time ran out, its refunds gone
    through); if there is none, Pay's 404 with this operation's code."""
    holder = g.get("account") or current().holding(payment_id)
    found = None if holder is None else holder.payments.get(payment_id)
    if found is None:
        abort(error(404, not_found, "Not found"))
    g.account = holder
    expire_if_due(found, utcnow())
    settle_refunds(found)
    return found


def expire_if_due(found: dict[str, Any], at: datetime) -> None:
    if not found["state"]["finished"] and at - found["created"] > account().payment_lifetime:
        finish(found, "expired")


def finish(found: dict[str, Any], outcome: str) -> None:
    status, code, message, event_type = FAILURES[outcome]
    move(found, {"status": status, "finished": True, "code": code, "message": message})
    emit(found, event_type)


def move(found: dict[str, Any], state: dict[str, Any]) -> None:
    """The payment's new state, kept in its events as Pay keeps them."""
    found["state"] = state
    found["events"].append({"state": dict(state), "updated": iso(utcnow())})


def settle_refunds(found: dict[str, Any]) -> None:
    """A refund is `submitted` when asked for; by the next look it has gone through."""
    for refund in found["refunds"]:
        if refund["status"] == "submitted":
            refund["status"] = "success"
            emit(found, "card_payment_refunded")


def emit(found: dict[str, Any], event_type: str) -> None:
    """The webhook pay-webhooks sends for this change, signed with the account's secret."""
    body = json.dumps({
        "webhook_message_id": new_id(), "created_date": iso(utcnow()),
        "resource_id": found["payment_id"], "api_version": 1, "resource_type": "payment",
        "event_type": event_type, "resource": public(found, request.host_url)})
    paid_to = account()
    signature = sign(body, paid_to.signing_secret)
    paid_to.webhooks.append((body, signature))
    if paid_to.deliver_webhooks and paid_to.webhook_url:
        paid_to.webhook_calls.post(paid_to.webhook_url, body.encode(), {
            "Content-Type": "application/json", "Pay-Signature": signature})
