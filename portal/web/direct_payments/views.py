"""Direct payments, accounted for: the account as the council holds it, a period's
return of spending (by kind, with receipts, and the declaration), and the return
followed on Your requests. For the person, or anyone with the `money` scope for them.
The outbox takes each return to the council, so none is lost while it is down."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.clients.errors import BackOfficeUnavailable
from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import direct_payments, reading
from portal.web.access import acting_name, scope_required
from portal.web.direct_payments.forms import ReturnForm
from portal.web.errors import or_404
from portal.web.journeys import question

bp = Blueprint("direct_payments", __name__, url_prefix="/your-charges")


@bp.get("/direct-payments")
@scope_required("money", reads=lambda backoffice, person_id:
                backoffice.get_direct_payment_account(person_id))
def account() -> str:
    """The account as the council holds it, with the returns sent from here beside the
    periods they account for (read at the same time)."""
    sent = reading.start(direct_payments.for_person, deps().store, deps().backoffice,
                         g.person_id)
    found = direct_payments.account(deps().backoffice, g.person_id)
    if found is None:
        abort(404)
    returns = sent.result()
    return render_template("direct_payments/account.html", account=found,
                           returns=returns.returns,
                           sent_for={r.period_id: r for r in reversed(returns.returns)})


@bp.route("/direct-payments/<period_id>", methods=["GET", "POST"])
@scope_required("money")
def send_return(period_id: str) -> Response | str | tuple[str, int]:
    form = ReturnForm()
    try:
        due = or_404(direct_payments.period, deps().backoffice, g.person_id, period_id)
    except BackOfficeUnavailable:
        if request.method == "GET":
            raise
        # What they typed stays on the page, to send again when the council answers.
        return render_template("direct_payments/return.html", form=form, period=None,
                               council_unavailable=True), 503
    if not form.validate_on_submit():
        return question("direct_payments/return.html", form, period=due)
    person_name = deps().backoffice.get_person(g.person_id).full_name
    made = direct_payments.send_return(
        deps().store, g.person_id, person_name, g.signed_in.account_id,
        acting_name(person_name), due, form.spending(), form.receipts(), form.token.data,
        utcnow())
    return redirect(url_for("direct_payments.detail", return_id=made.id, sent=1))


@bp.get("/direct-payment-returns/<return_id>")
@scope_required("money")
def detail(return_id: str) -> str:
    found, council_unavailable = or_404(direct_payments.get, deps().store, deps().backoffice,
                                        g.person_id, return_id)
    return render_template("direct_payments/detail.html", sent_return=found,
                           just_sent=bool(request.args.get("sent")),
                           council_unavailable=council_unavailable)
