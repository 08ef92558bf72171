"""Your charges: what is owed, overdue and paid; an invoice; paying it through
GOV.UK Pay; coming back from Pay; the receipt."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.clients.backoffice import BackOfficeClient
from portal.clock import today
from portal.dependencies import deps
from portal.services import charges, contact, direct_payments, payments, reading
from portal.web.access import acting_name, scope_required
from portal.web.errors import or_404
from portal.web.features import offered
from portal.web.forms import ConfirmForm
from portal.web.templating import current_language

bp = Blueprint("charges", __name__)


def _charges_read(backoffice: BackOfficeClient, person_id: str) -> None:
    for read in (backoffice.get_charges, backoffice.get_direct_payment_account):
        reading.start(read, person_id)


@bp.get("/your-charges")
@scope_required("money", reads=_charges_read)
def charges_page() -> str:
    council = deps().councils.holding(g.person_id) or deps().council
    # The account is read alongside the charges: one back-office round for the page.
    paid_directly = reading.start(direct_payments.account, deps().backoffice, g.person_id)
    page = charges.summary(deps().backoffice, g.person_id, today(),
                           council.charging_rules(today()).of("weekly_maximum"))
    return render_template("charges/charges.html", council=council, page=page,
                           direct_payment=paid_directly.result())


@bp.get("/your-charges/<invoice_id>")
@scope_required("money")
def invoice(invoice_id: str) -> str:
    found = _their_invoice(invoice_id)
    return render_template(
        "charges/invoice.html", invoice=found, form=ConfirmForm(),
        standing=charges.standing(found, today()),
        made=payments.for_invoice(deps().store, g.person_id, invoice_id))


@bp.post("/your-charges/<invoice_id>/pay")
@scope_required("money")
@offered("payments")
def pay(invoice_id: str) -> Response:
    """To Pay, for what the council says is owed now (the form carries no amount)."""
    found = _their_invoice(invoice_id)
    person = deps().backoffice.get_person(g.person_id)
    payer = payments.Payer(
        person_id=g.person_id, person_name=person.full_name,
        account_id=g.signed_in.account_id, name=acting_name(person.full_name),
        language=current_language(),
        email=contact.preferences(deps().store, g.signed_in.account_id).email)
    started = payments.start(
        deps().store, deps().pay_for(g.person_id), payer, found,
        _("Care and support charges: invoice %(number)s", number=found.number),
        deps().service_url)
    if started.next_url:
        return redirect(started.next_url)
    if started.paid:
        return redirect(url_for("charges.receipt", payment_id=started.paid.id))
    flash(_("Nothing is owed on invoice %(number)s.", number=found.number), "success")
    return redirect(url_for("charges.invoice", invoice_id=invoice_id))


@bp.get("/payments/<payment_id>/return")
@scope_required("money")
def returned(payment_id: str) -> Response | str:
    """Back from Pay. The address says which payment; Pay says what happened."""
    _their_payment(payment_id)
    view = payments.refresh(deps().store, deps().pay_for(g.person_id), payment_id,
                            deps().service_url)
    if view.outcome == "paid":
        return redirect(url_for("charges.receipt", payment_id=payment_id))
    return render_template("charges/outcome.html", payment=view, form=ConfirmForm())


@bp.get("/your-charges/receipts/<payment_id>")
@scope_required("money")
def receipt(payment_id: str) -> str:
    view = _their_payment(payment_id)
    if view.outcome != "paid":
        abort(404)
    return render_template("charges/receipt.html", payment=view)


def _their_invoice(invoice_id: str) -> charges.Invoice:
    return or_404(charges.invoice, deps().backoffice, g.person_id, invoice_id)


def _their_payment(payment_id: str) -> payments.PaymentView:
    return or_404(payments.get, deps().store, g.person_id, payment_id)
