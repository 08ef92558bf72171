"""Pay's public API as JSON: a payment and its refunds as Pay shows them, what Pay
checks in a request (a new payment, a search, the card details typed on its page),
its errors, and the webhook signature."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from datetime import UTC, datetime
from typing import Any

from flask import Response, jsonify

MAX_AMOUNT = 10_000_000
LARGEST_PAGE = 500
STATES = ("created", "started", "submitted", "success", "failed", "cancelled", "error")
ID_ALPHABET = string.ascii_lowercase + string.digits


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
        "payment_provider": "sandbox", "created_date": iso(found["created"]),
        "return_url": found["return_url"], "delayed_capture": False, "moto": False,
        "authorisation_mode": "web", "refund_summary": refund_summary(found),
        "settlement_summary": {} if found["captured"] is None else {
            "capture_submit_time": iso(found["captured"]),
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


def invalid(body: dict[str, Any]) -> Response | None:
    for name in ("amount", "reference", "description", "return_url"):
        if body.get(name) in (None, ""):
            return error(400, "P0101", f"Missing mandatory attribute: {name}", field_name=name)
    for name, kind, shown in (("reference", str, "String"), ("description", str, "String"),
                              ("return_url", str, "String"), ("email", str, "String"),
                              ("language", str, "String"), ("delayed_capture", bool, "Boolean"),
                              ("moto", bool, "Boolean"), ("metadata", dict, "Object")):
        if body.get(name) is not None and not isinstance(body[name], kind):
            return error(422, "P0102", f"Invalid attribute value: {name}. Must be of type "
                          f"{shown}", field_name=name)
    amount = body["amount"]
    if not isinstance(amount, int) or isinstance(amount, bool) or not 1 <= amount <= MAX_AMOUNT:
        return error(422, "P0102", f"Invalid attribute value: amount. Must be less than or "
                      f"equal to {MAX_AMOUNT}" if isinstance(amount, int) and amount > 0 else
                      "Invalid attribute value: amount. Must be greater than or equal to 1",
                      field_name="amount")
    for name, longest in (("reference", 255), ("description", 255), ("return_url", 2000),
                          ("email", 254)):
        if body.get(name) is not None and len(str(body[name])) > longest:
            return error(422, "P0102", f"Invalid attribute value: {name}. Must be less than "
                          f"or equal to {longest} characters length", field_name=name)
    if body.get("language", "en") not in ("en", "cy"):
        return error(422, "P0102", 'Invalid attribute value: language. Must be "en" or "cy"',
                      field_name="language")
    if not str(body["return_url"]).startswith(("https://", "http://")):
        return error(422, "P0102", "Invalid attribute value: return_url. Must be a valid URL "
                      "format", field_name="return_url")
    metadata = body.get("metadata") or {}
    if len(metadata) > 10:
        return error(422, "P0102", "Invalid attribute value: metadata. Cannot have more than "
                      "10 key-value pairs", field_name="metadata")
    if any(isinstance(v, dict | list) or v is None for v in metadata.values()):
        return error(422, "P0102", "Invalid attribute value: metadata. Values must be of type "
                      "String, Boolean or Number", field_name="metadata")
    return None


def card_errors(values: dict[str, str], at: datetime) -> dict[str, str]:
    """What is wrong with the card details, by field, as message keys."""
    errors = {}
    number = values["card_number"].replace(" ", "")
    if not number:
        errors["card_number"] = "card_number_missing"
    elif not number.isdigit() or not 12 <= len(number) <= 19 or not luhn(number):
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


def luhn(number: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def bad_search(asked: dict[str, str]) -> list[str]:
    """The search parameters Pay would refuse, by name."""
    wrong = []
    for name, largest in (("page", 10**9), ("display_size", LARGEST_PAGE)):
        value = asked.get(name)
        if value is not None and not (value.isascii() and value.isdigit()
                                      and 1 <= int(value) <= largest):
            wrong.append(name)
    for name in ("from_date", "to_date", "from_settled_date", "to_settled_date"):
        if asked.get(name) is not None and moment(asked[name]) is None:
            wrong.append(name)
    if asked.get("state") is not None and asked["state"] not in STATES:
        wrong.append("state")
    return wrong


def matches(found: dict[str, Any], asked: dict[str, str]) -> bool:
    """Whether a payment fits the search: exact reference and state, an email address or
    part of one (as Pay matches it), and a time it was made within the dates."""
    email = asked.get("email")
    since, until = moment(asked.get("from_date")), moment(asked.get("to_date"))
    return (asked.get("reference") in (None, found["reference"])
            and asked.get("state") in (None, found["state"]["status"])
            and (email is None or email.lower() in (found["email"] or "").lower())
            and (since is None or found["created"] >= since)
            and (until is None or found["created"] < until))


def moment(value: str | None) -> datetime | None:
    """A date and time as Pay's search takes one (ISO 8601, with its zone)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def error(status: int, code: str, description: str, field_name: str | None = None,
           header: str | None = None) -> Response:
    body = {"code": code, "description": description}
    if field_name:
        body["field"] = field_name
    if header:
        body["header"] = header
    response = jsonify(body)
    response.status_code = status
    return response


def new_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(26))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
