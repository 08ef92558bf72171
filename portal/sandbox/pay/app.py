"""Sandbox GOV.UK Pay: the public API (create, get, search, cancel and refund a
payment, with Pay's state model, error codes and `_links`), Bearer API key auth,
a hosted payment page in English or Welsh that takes Pay's test card numbers,
and signed webhooks (`Pay-Signature`: HMAC-SHA256 of the body, hex) for the events
pay-webhooks sends, tried again on Pay's schedule."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import string
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, g, jsonify, redirect, render_template, request

from portal.clock import utcnow
from portal.sandbox import callbacks
from portal.sandbox import faults as fault_injection
from portal.web import assets
from portal.web.templating import configure_templates

MAX_AMOUNT = 10_000_000
LARGEST_PAGE = 500
STATES = ("created", "started", "submitted", "success", "failed", "cancelled", "error")
# The search's filters, as Pay's public API takes them.
FILTERS = ("reference", "email", "state", "card_brand", "from_date", "to_date", "page",
           "display_size", "cardholder_name", "first_digits_card_number",
           "last_digits_card_number", "from_settled_date", "to_settled_date", "agreement_id")
ID_ALPHABET = string.ascii_lowercase + string.digits

# Pay's test cards (as Pay's own sandbox takes them). Any other valid number succeeds.
DECLINED = {"4000000000000002", "4000000000000069", "4000000000000127"}
PROCESSING_ERROR = {"4000000000000119"}
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


def create_app(*accounts: Account, faults: fault_injection.Faults | None = None) -> Flask:
    """The sandbox Pay, holding one account for each service that uses it (each
    council's own): an API call is answered for the account whose key it carries,
    and sees only that account's payments."""
    if not accounts or len({a.api_key for a in accounts}) != len(accounts):
        raise ValueError("Pay's sandbox needs accounts, each with its own API key")
    app = Flask(__name__, static_folder=None)
    configure_templates(app, locale_from=lambda: g.get("pay_language", "en"))
    assets.install(app)
    lock = threading.RLock()
    app.extensions["sandbox_pay"] = accounts[0]
    app.extensions["sandbox_pay_accounts"] = {a.api_key: a for a in accounts}
    app.extensions["sandbox_faults"] = faults or fault_injection.Faults()
    fault_injection.install(app, app.extensions["sandbox_faults"],
                            lambda status: _error(status, "P0198", "Downstream system error"))

    def now() -> datetime:
        return utcnow()

    def payment(payment_id: str, not_found: str = "P0200") -> dict[str, Any]:
        """The payment as it stands now (expired if its time ran out, its refunds gone
        through); if there is none, Pay's 404 with this operation's code."""
        holder = g.get("account") or next(
            (a for a in accounts if payment_id in a.payments), None)
        found = None if holder is None else holder.payments.get(payment_id)
        if found is None:
            abort(_error(404, not_found, "Not found"))
        g.account = holder
        _expire_if_due(found, now())
        settle_refunds(found)
        return found

    def _expire_if_due(found: dict[str, Any], at: datetime) -> None:
        if not found["state"]["finished"] and at - found["created"] > g.account.payment_lifetime:
            finish(found, "expired")

    def finish(found: dict[str, Any], outcome: str) -> None:
        status, code, message, event_type = FAILURES[outcome]
        move(found, {"status": status, "finished": True, "code": code, "message": message})
        emit(found, event_type)

    def move(found: dict[str, Any], state: dict[str, Any]) -> None:
        """The payment's new state, kept in its events as Pay keeps them."""
        found["state"] = state
        found["events"].append({"state": dict(state), "updated": _iso(now())})

    def settle_refunds(found: dict[str, Any]) -> None:
        """A refund is `submitted` when asked for; by the next look it has gone through."""
        for refund in found["refunds"]:
            if refund["status"] == "submitted":
                refund["status"] = "success"
                emit(found, "card_payment_refunded")

    def emit(found: dict[str, Any], event_type: str) -> None:
        body = json.dumps({
            "webhook_message_id": _new_id(), "created_date": _iso(now()),
            "resource_id": found["payment_id"], "api_version": 1, "resource_type": "payment",
            "event_type": event_type, "resource": public(found, request.host_url)})
        signature = sign(body, g.account.signing_secret)
        g.account.webhooks.append((body, signature))
        if g.account.deliver_webhooks and g.account.webhook_url:
            g.account.webhook_calls.post(g.account.webhook_url, body.encode(), {
                "Content-Type": "application/json", "Pay-Signature": signature})

    @app.before_request
    def authenticate() -> Response | None:
        if not request.path.startswith("/v1/"):
            return None
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        g.account = app.extensions["sandbox_pay_accounts"].get(given)
        if g.account is None:
            return Response("Credentials are required to access this resource.", 401,
                            {"WWW-Authenticate": 'Bearer realm="GOV.UK Pay"'})
        return None

    @app.post("/v1/payments")
    def create_payment() -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return _error(400, "P0197", "Unable to parse JSON")
        problem = _invalid(body)
        if problem is not None:
            return problem
        key = request.headers.get("Idempotency-Key")
        with lock:
            if key and key in g.account.by_idempotency_key:
                earlier, same = g.account.by_idempotency_key[key]
                if same != json.dumps(body, sort_keys=True):
                    return _error(409, "P0191", "The `Idempotency-Key` you sent in the request "
                                  "header has already been used to create a payment.",
                                  header="Idempotency-Key")
                return jsonify(public(g.account.payments[earlier], request.host_url))
            payment_id, token = _new_id(), secrets.token_urlsafe(24)
            g.account.payments[payment_id] = {
                "payment_id": payment_id, "token": token, "created": now(),
                "amount": body["amount"], "reference": body["reference"],
                "description": body["description"], "return_url": body["return_url"],
                "language": body.get("language", "en"), "email": body.get("email"),
                "metadata": body.get("metadata"), "refunds": [], "card": None,
                "state": {"status": "created", "finished": False}, "captured": None,
                "events": [{"state": {"status": "created", "finished": False},
                            "updated": _iso(now())}],
            }
            g.account.by_token[token] = payment_id
            if key:
                g.account.by_idempotency_key[key] = (payment_id, json.dumps(body, sort_keys=True))
        response = jsonify(public(g.account.payments[payment_id], request.host_url))
        response.status_code = 201
        response.headers["Location"] = f"{request.host_url}v1/payments/{payment_id}"
        return response

    @app.get("/v1/payments/<payment_id>")
    def get_payment(payment_id: str) -> Response:
        with lock:
            return jsonify(public(payment(payment_id), request.host_url))

    @app.get("/v1/payments/<payment_id>/events")
    def payment_events(payment_id: str) -> Response:
        with lock:
            found = payment(payment_id, "P0300")
            base = f"{request.host_url}v1/payments/{payment_id}"
            return jsonify({"payment_id": payment_id,
                            "_links": {"self": {"href": f"{base}/events", "method": "GET"}},
                            "events": [{**e, "payment_id": payment_id,
                                        "_links": {"payment_url": {"href": base,
                                                                   "method": "GET"}}}
                                       for e in found["events"]]})

    @app.get("/v1/payments")
    def search_payments() -> Response:
        """Pay's search: its filters, a page at a time, every link keeping the filters."""
        asked = {k: v for k, v in request.args.items() if k in FILTERS}
        wrong = _bad_search(asked)
        if wrong:
            return _error(422, "P0401", f"Invalid parameters: {', '.join(wrong)}. See Public "
                          "API documentation for the correct data formats")
        page, size = int(asked.get("page", "1")), int(asked.get("display_size", "500"))
        with lock:
            for found in g.account.payments.values():
                _expire_if_due(found, now())
            matching = sorted((p for p in g.account.payments.values() if _matches(p, asked)),
                              key=lambda p: p["created"], reverse=True)
            last = max(1, -(-len(matching) // size))
            if page > last:
                return _error(404, "P0402", "Page not found")
            results = [public(p, request.host_url)
                       for p in matching[(page - 1) * size:page * size]]

        def link(to_page: int) -> dict[str, str]:
            query = urlencode({**asked, "page": str(to_page), "display_size": str(size)})
            return {"href": f"{request.host_url}v1/payments?{query}", "method": "GET"}
        links = {"self": link(page), "first_page": link(1), "last_page": link(last)}
        if page > 1:
            links["prev_page"] = link(page - 1)
        if page < last:
            links["next_page"] = link(page + 1)
        return jsonify({"total": len(matching), "count": len(results), "page": page,
                        "results": results, "_links": links})

    @app.post("/v1/payments/<payment_id>/cancel")
    def cancel_payment(payment_id: str) -> Response:
        with lock:
            found = payment(payment_id, "P0500")
            if found["state"]["finished"]:
                return _error(400, "P0501", "Cancellation of payment failed")
            finish(found, "service-cancelled")
        return Response(status=204)

    @app.post("/v1/payments/<payment_id>/refunds")
    def refund_payment(payment_id: str) -> Response:
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            body = {}
        with lock:
            found = payment(payment_id, "P0600")
            available = refund_summary(found)["amount_available"]
            amount = body.get("amount")
            if amount is None:
                return _error(400, "P0601", "Missing mandatory attribute: amount",
                              field_name="amount")
            if not isinstance(amount, int) or isinstance(amount, bool) or amount < 1:
                return _error(400, "P0602", "Invalid attribute value: amount. Must be greater "
                              "than or equal to 1", field_name="amount")
            if found["state"]["status"] != "success" or amount > available:
                return _error(412 if found["state"]["status"] == "success" else 400, "P0603",
                              f"The payment is not available for refund. Payment refund "
                              f"status: {refund_summary(found)['status']}")
            if "refund_amount_available" in body and body["refund_amount_available"] != available:
                return _error(412, "P0604", "Refund amount available mismatch.")
            refund = {"refund_id": _new_id(), "created_date": _iso(now()), "amount": amount,
                      "status": "submitted"}
            found["refunds"].append(refund)
        response = jsonify(refund_json(found, refund, request.host_url))
        response.status_code = 202
        return response

    @app.get("/v1/payments/<payment_id>/refunds")
    def list_refunds(payment_id: str) -> Response:
        with lock:
            found = payment(payment_id, "P0800")
            base = f"{request.host_url}v1/payments/{payment_id}"
            return jsonify({"payment_id": payment_id,
                            "_links": {"self": {"href": f"{base}/refunds"},
                                       "payment": {"href": base}},
                            "_embedded": {"refunds": [refund_json(found, r, request.host_url)
                                                      for r in found["refunds"]]}})

    @app.get("/v1/payments/<payment_id>/refunds/<refund_id>")
    def get_refund(payment_id: str, refund_id: str) -> Response:
        with lock:
            found = payment(payment_id, "P0700")
            for refund in found["refunds"]:
                if refund["refund_id"] == refund_id:
                    return jsonify(refund_json(found, refund, request.host_url))
            return _error(404, "P0700", "Not found")

    # The hosted payment pages, in the payment's language ----------------------

    @app.get("/secure/<token>")
    def secure(token: str) -> Any:
        """next_url: it works once, as Pay's does; the payment pages then carry on."""
        with lock:
            holder = next((a for a in accounts if token in a.by_token), None)
            payment_id = None if holder is None else holder.by_token.pop(token)
            if payment_id is None:
                return render_template("sandbox/pay/link_used.html"), 400
            found = payment(payment_id)
            if found["state"]["finished"]:
                return redirect(found["return_url"])
            move(found, {"status": "started", "finished": False})
        return redirect(f"/card_details/{payment_id}")

    @app.route("/card_details/<payment_id>", methods=["GET", "POST"])
    def card_details(payment_id: str) -> Any:
        with lock:
            found = payment(payment_id)
            g.pay_language = found["language"]
            if found["state"]["finished"]:
                return redirect(found["return_url"])
            if request.method == "GET":
                return render_template("sandbox/pay/card_details.html", payment=found,
                                       values={"email": found["email"] or ""}, errors={})
            values = {k: request.form.get(k, "").strip() for k in
                      ("card_number", "expiry_month", "expiry_year", "name", "cvc", "email")}
            errors = _card_errors(values, now())
            if errors:
                return render_template("sandbox/pay/card_details.html", payment=found,
                                       values=values, errors=errors), 400
            number = values["card_number"].replace(" ", "")
            if number in DECLINED:
                finish(found, "declined")
                return render_template("sandbox/pay/declined.html", payment=found)
            if number in PROCESSING_ERROR:
                finish(found, "error")
                return render_template("sandbox/pay/declined.html", payment=found, error=True)
            found["card"] = {"last_digits_card_number": number[-4:],
                             "first_digits_card_number": number[:6],
                             "cardholder_name": values["name"],
                             "expiry_date": f"{int(values['expiry_month']):02d}/"
                                            f"{values['expiry_year'][-2:]}",
                             "card_brand": "Visa" if number.startswith("4") else "Mastercard",
                             "card_type": "debit"}
            found["email"] = values["email"] or found["email"]
            move(found, {"status": "submitted", "finished": False})
        return redirect(f"/card_details/{payment_id}/confirm")

    @app.route("/card_details/<payment_id>/confirm", methods=["GET", "POST"])
    def confirm(payment_id: str) -> Any:
        with lock:
            found = payment(payment_id)
            g.pay_language = found["language"]
            if found["state"]["status"] != "submitted":
                return redirect(found["return_url"] if found["state"]["finished"]
                                else f"/card_details/{payment_id}")
            if request.method == "GET":
                return render_template("sandbox/pay/confirm.html", payment=found)
            move(found, {"status": "success", "finished": True})
            found["captured"] = now()
            emit(found, "card_payment_succeeded")
            emit(found, "card_payment_captured")
        return redirect(found["return_url"])

    @app.post("/card_details/<payment_id>/cancel")
    def user_cancel(payment_id: str) -> Any:
        with lock:
            found = payment(payment_id)
            if not found["state"]["finished"]:
                finish(found, "user-cancelled")
        return redirect(found["return_url"])

    @app.post("/_sandbox/payments/<payment_id>/expire")
    def force_expiry(payment_id: str) -> Response:
        """For drills: let the payment's time run out now."""
        with lock:
            found = payment(payment_id)
            if not found["state"]["finished"]:
                finish(found, "expired")
            return jsonify(public(found, request.host_url))

    @app.errorhandler(404)
    def not_found(_missing: Exception) -> Response:
        return _error(404, "P0200", "Not found")

    return app


def public(found: dict[str, Any], host_url: str) -> dict[str, Any]:
    """A payment as Pay's API shows it."""
    base = f"{host_url}v1/payments/{found['payment_id']}"
    links: dict[str, Any] = {
        "self": {"href": base, "method": "GET"},
        "events": {"href": f"{base}/events", "method": "GET"},
        "refunds": {"href": f"{base}/refunds", "method": "GET"},
    }
    if found["state"]["status"] == "created":  # until the person opens it
        links["next_url"] = {"href": f"{host_url}secure/{found['token']}", "method": "GET"}
        links["next_url_post"] = {"type": "application/x-www-form-urlencoded",
                                  "params": {"chargeTokenId": found["token"]},
                                  "href": f"{host_url}secure", "method": "POST"}
    if not found["state"]["finished"]:
        links["cancel"] = {"href": f"{base}/cancel", "method": "POST"}
    shown: dict[str, Any] = {
        "amount": found["amount"], "description": found["description"],
        "reference": found["reference"], "language": found["language"],
        "state": dict(found["state"]), "payment_id": found["payment_id"],
        "payment_provider": "sandbox", "created_date": _iso(found["created"]),
        "return_url": found["return_url"], "delayed_capture": False, "moto": False,
        "authorisation_mode": "web", "refund_summary": refund_summary(found),
        "settlement_summary": {} if found["captured"] is None else {
            "capture_submit_time": _iso(found["captured"]),
            "captured_date": found["captured"].date().isoformat()},
        "_links": links,
    }
    if found["email"]:
        shown["email"] = found["email"]
    if found["metadata"]:
        shown["metadata"] = found["metadata"]
    if found["card"]:
        # No billing address is asked for, and no wallet used: Pay leaves both out.
        shown["card_details"] = dict(found["card"])
        shown["provider_id"] = f"sandbox-{found['payment_id'][:10]}"
    return shown


def refund_summary(found: dict[str, Any]) -> dict[str, Any]:
    refunded = sum(r["amount"] for r in found["refunds"])
    if found["state"]["status"] != "success":
        status = "unavailable"
    else:
        status = "full" if refunded >= found["amount"] else "available"
    return {"status": status, "amount_available": found["amount"] - refunded
            if status != "unavailable" else 0, "amount_submitted": refunded}


def refund_json(found: dict[str, Any], refund: dict[str, Any], host_url: str) -> dict[str, Any]:
    base = f"{host_url}v1/payments/{found['payment_id']}"
    return {**refund, "_links": {"self": {"href": f"{base}/refunds/{refund['refund_id']}",
                                          "method": "GET"},
                                 "payment": {"href": base, "method": "GET"}}}


def sign(body: str, secret: str) -> str:
    """Pay's webhook signature: HMAC-SHA256 of the body with the signing secret, in hex."""
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def _invalid(body: dict[str, Any]) -> Response | None:
    for name in ("amount", "reference", "description", "return_url"):
        if body.get(name) in (None, ""):
            return _error(400, "P0101", f"Missing mandatory attribute: {name}", field_name=name)
    for name, kind, shown in (("reference", str, "String"), ("description", str, "String"),
                              ("return_url", str, "String"), ("email", str, "String"),
                              ("language", str, "String"), ("delayed_capture", bool, "Boolean"),
                              ("moto", bool, "Boolean"), ("metadata", dict, "Object")):
        if body.get(name) is not None and not isinstance(body[name], kind):
            return _error(422, "P0102", f"Invalid attribute value: {name}. Must be of type "
                          f"{shown}", field_name=name)
    amount = body["amount"]
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= MAX_AMOUNT:
        return _error(422, "P0102", f"Invalid attribute value: amount. Must be less than or "
                      f"equal to {MAX_AMOUNT}" if isinstance(amount, int) and amount > 0 else
                      "Invalid attribute value: amount. Must be greater than or equal to 1",
                      field_name="amount")
    for name, longest in (("reference", 255), ("description", 255), ("return_url", 2000),
                          ("email", 254)):
        if body.get(name) is not None and len(str(body[name])) > longest:
            return _error(422, "P0102", f"Invalid attribute value: {name}. Must be less than "
                          f"or equal to {longest} characters length", field_name=name)
    if body.get("language", "en") not in ("en", "cy"):
        return _error(422, "P0102", 'Invalid attribute value: language. Must be "en" or "cy"',
                      field_name="language")
    if not str(body["return_url"]).startswith(("https://", "http://")):
        return _error(422, "P0102", "Invalid attribute value: return_url. Must be a valid URL "
                      "format", field_name="return_url")
    metadata = body.get("metadata") or {}
    if len(metadata) > 10:
        return _error(422, "P0102", "Invalid attribute value: metadata. Cannot have more than "
                      "10 key-value pairs", field_name="metadata")
    if any(isinstance(v, dict | list) or v is None for v in metadata.values()):
        return _error(422, "P0102", "Invalid attribute value: metadata. Values must be of type "
                      "String, Boolean or Number", field_name="metadata")
    return None


def _card_errors(values: dict[str, str], at: datetime) -> dict[str, str]:
    """What is wrong with the card details, by field, as message keys."""
    errors = {}
    number = values["card_number"].replace(" ", "")
    if not number:
        errors["card_number"] = "card_number_missing"
    elif not number.isdigit() or not 12 <= len(number) <= 19 or not _luhn(number):
        errors["card_number"] = "card_number_invalid"
    month, year = values["expiry_month"], values["expiry_year"]
    if not month or not year:
        errors["expiry"] = "expiry_missing"
    elif not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12):
        errors["expiry"] = "expiry_invalid"
    else:
        full_year = int(year) + 2000 if len(year) == 2 else int(year)
        if (full_year, int(month)) < (at.year, at.month):
            errors["expiry"] = "expiry_past"
    if not values["name"]:
        errors["name"] = "name_missing"
    if not values["cvc"].isdigit() or len(values["cvc"]) not in (3, 4):
        errors["cvc"] = "cvc_invalid"
    return errors


def _luhn(number: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _bad_search(asked: dict[str, str]) -> list[str]:
    """The search parameters Pay would refuse, by name."""
    wrong = []
    for name, largest in (("page", 10**9), ("display_size", LARGEST_PAGE)):
        value = asked.get(name)
        if value is not None and not (value.isascii() and value.isdigit()
                                      and 1 <= int(value) <= largest):
            wrong.append(name)
    for name in ("from_date", "to_date", "from_settled_date", "to_settled_date"):
        if asked.get(name) is not None and _moment(asked[name]) is None:
            wrong.append(name)
    if asked.get("state") is not None and asked["state"] not in STATES:
        wrong.append("state")
    return wrong


def _matches(found: dict[str, Any], asked: dict[str, str]) -> bool:
    """Whether a payment fits the search: exact reference and state, an email address or
    part of one (as Pay matches it), and a time it was made within the dates."""
    email = asked.get("email")
    since, until = _moment(asked.get("from_date")), _moment(asked.get("to_date"))
    return (asked.get("reference") in (None, found["reference"])
            and asked.get("state") in (None, found["state"]["status"])
            and (email is None or email.lower() in (found["email"] or "").lower())
            and (since is None or found["created"] >= since)
            and (until is None or found["created"] < until))


def _moment(value: str | None) -> datetime | None:
    """A date and time as Pay's search takes one (ISO 8601, with its zone)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _error(status: int, code: str, description: str, field_name: str | None = None,
           header: str | None = None) -> Response:
    body = {"code": code, "description": description}
    if field_name:
        body["field"] = field_name
    if header:
        body["header"] = header
    response = jsonify(body)
    response.status_code = status
    return response


def _new_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(26))


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
