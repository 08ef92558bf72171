"""The hosted payment pages, in the payment's language: next_url (once), the card
details with Pay's test cards, the confirmation, and cancelling."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, redirect, render_template, request

from portal.clock import utcnow
from portal.sandbox.pay.shapes import card_errors
from portal.sandbox.pay.state import current, emit, finish, move, payment

# Pay's test cards (as Pay's own sandbox takes them). Any other valid number succeeds.
DECLINED = {"4000000000000002", "4000000000000069", "4000000000000127"}
PROCESSING_ERROR = {"4000000000000119"}

bp = Blueprint("pages", __name__)


@bp.get("/secure/<token>")
def secure(token: str) -> Any:
    """next_url: it works once, as Pay's does; the payment pages then carry on."""
    with current().lock:
        holder = current().opened_by(token)
        payment_id = None if holder is None else holder.by_token.pop(token)
        if payment_id is None:
            return render_template("sandbox/pay/link_used.html"), 400
        found = payment(payment_id)
        if found["state"]["finished"]:
            return redirect(found["return_url"])
        move(found, {"status": "started", "finished": False})
    return redirect(f"/card_details/{payment_id}")

@bp.route("/card_details/<payment_id>", methods=["GET", "POST"])
def card_details(payment_id: str) -> Any:
    with current().lock:
        found = payment(payment_id)
        g.pay_language = found["language"]
        if found["state"]["finished"]:
            return redirect(found["return_url"])
        if request.method == "GET":
            return render_template("sandbox/pay/card_details.html", payment=found,
                                   values={"email": found["email"] or ""}, errors={})
        values = {k: request.form.get(k, "").strip() for k in
                  ("card_number", "expiry_month", "expiry_year", "name", "cvc", "email")}
        errors = card_errors(values, utcnow())
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

@bp.route("/card_details/<payment_id>/confirm", methods=["GET", "POST"])
def confirm(payment_id: str) -> Any:
    with current().lock:
        found = payment(payment_id)
        g.pay_language = found["language"]
        if found["state"]["status"] != "submitted":
            return redirect(found["return_url"] if found["state"]["finished"]
                            else f"/card_details/{payment_id}")
        if request.method == "GET":
            return render_template("sandbox/pay/confirm.html", payment=found)
        move(found, {"status": "success", "finished": True})
        found["captured"] = utcnow()
        emit(found, "card_payment_succeeded")
        emit(found, "card_payment_captured")
    return redirect(found["return_url"])

@bp.post("/card_details/<payment_id>/cancel")
def user_cancel(payment_id: str) -> Any:
    with current().lock:
        found = payment(payment_id)
        if not found["state"]["finished"]:
            finish(found, "user-cancelled")
    return redirect(found["return_url"])
