"""Pay's payments API: create a payment (once for an Idempotency-Key), get it and its
events, search them a page at a time, and cancel one."""

from __future__ import annotations

import json
import secrets
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request

from portal.clock import utcnow
from portal.sandbox.pay.shapes import bad_search, error, invalid, iso, matches, new_id, public
from portal.sandbox.pay.state import account, current, expire_if_due, finish, payment

# The search's filters, as Pay's public API takes them.
FILTERS = ("reference", "email", "state", "card_brand", "from_date", "to_date", "page",
           "display_size", "cardholder_name", "first_digits_card_number",
           "last_digits_card_number", "from_settled_date", "to_settled_date", "agreement_id")

bp = Blueprint("payments", __name__)


@bp.post("/v1/payments")
def create_payment() -> Response:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error(400, "P0197", "Unable to parse JSON")
    problem = invalid(body)
    if problem is not None:
        return problem
    key = request.headers.get("Idempotency-Key")
    with current().lock:
        if key and key in account().by_idempotency_key:
            earlier, same = account().by_idempotency_key[key]
            if same != json.dumps(body, sort_keys=True):
                return error(409, "P0191", "The `Idempotency-Key` you sent in the request "
                              "header has already been used to create a payment.",
                              header="Idempotency-Key")
            return jsonify(public(account().payments[earlier], request.host_url))
        payment_id, token = new_id(), secrets.token_urlsafe(24)
        account().payments[payment_id] = {
            "payment_id": payment_id, "token": token, "created": utcnow(),
            "amount": body["amount"], "reference": body["reference"],
            "description": body["description"], "return_url": body["return_url"],
            "language": body.get("language", "en"), "email": body.get("email"),
            "metadata": body.get("metadata"), "refunds": [], "card": None,
            "state": {"status": "created", "finished": False}, "captured": None,
            "events": [{"state": {"status": "created", "finished": False},
                        "updated": iso(utcnow())}],
        }
        account().by_token[token] = payment_id
        if key:
            account().by_idempotency_key[key] = (payment_id, json.dumps(body, sort_keys=True))
    response = jsonify(public(account().payments[payment_id], request.host_url))
    response.status_code = 201
    response.headers["Location"] = f"{request.host_url}v1/payments/{payment_id}"
    return response

@bp.get("/v1/payments/<payment_id>")
def get_payment(payment_id: str) -> Response:
    with current().lock:
        return jsonify(public(payment(payment_id), request.host_url))

@bp.get("/v1/payments/<payment_id>/events")
def payment_events(payment_id: str) -> Response:
    with current().lock:
        found = payment(payment_id, "P0300")
        base = f"{request.host_url}v1/payments/{payment_id}"
        return jsonify({"payment_id": payment_id,
                        "_links": {"self": {"href": f"{base}/events", "method": "GET"}},
                        "events": [{**e, "payment_id": payment_id,
                                    "_links": {"payment_url": {"href": base,
                                                               "method": "GET"}}}
                                   for e in found["events"]]})

@bp.get("/v1/payments")
def search_payments() -> Response:
    """Pay's search: its filters, a page at a time, every link keeping the filters."""
    asked = {k: v for k, v in request.args.items() if k in FILTERS}
    wrong = bad_search(asked)
    if wrong:
        return error(422, "P0401", f"Invalid parameters: {', '.join(wrong)}. See Public "
                      "API documentation for the correct data formats")
    page, size = int(asked.get("page", "1")), int(asked.get("display_size", "500"))
    with current().lock:
        for found in account().payments.values():
            expire_if_due(found, utcnow())
        matching = sorted((p for p in account().payments.values() if matches(p, asked)),
                          key=lambda p: p["created"], reverse=True)
        last = max(1, -(-len(matching) // size))
        if page > last:
            return error(404, "P0402", "Page not found")
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

@bp.post("/v1/payments/<payment_id>/cancel")
def cancel_payment(payment_id: str) -> Response:
    with current().lock:
        found = payment(payment_id, "P0500")
        if found["state"]["finished"]:
            return error(400, "P0501", "Cancellation of payment failed")
        finish(found, "service-cancelled")
    return Response(status=204)
