"""The carer's side of acting-for: taking up access with a code, asking someone
for access, and choosing whose care to look at."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, session, url_for
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from portal.clock import today, utcnow
from portal.dependencies import deps
from portal.services import access, delegations
from portal.services.delegations import AskOutcome, RedeemOutcome
from portal.web.access import current_actor, signed_in_required
from portal.web.acting.forms import AskForm, ChoosePersonForm, RedeemForm
from portal.web.forms import chosen_council, offer_councils
from portal.web.limits import GUESSES, limiter

bp = Blueprint("acting", __name__)
REFUSALS = {
    RedeemOutcome.INVALID: _l("This code does not work. It may have been used already, "
                              "have expired or have been cancelled. Ask for a new one."),
    RedeemOutcome.OWN_RECORD: _l("This code is for your own care record. "
                                 "Give it to the person you want to act for you."),
}


@bp.route("/act-for-someone", methods=["GET", "POST"])
@signed_in_required
@limiter.limit(GUESSES, methods=["POST"])
def redeem() -> Response | str | tuple[str, int]:
    form = RedeemForm()
    if not form.validate_on_submit():
        return render_template("acting/redeem.html", form=form), 400 if form.errors else 200
    result = delegations.redeem(deps().store, g.signed_in.account_id, g.signed_in.person_id,
                                form.code.data, utcnow())
    if result.outcome is not RedeemOutcome.REDEEMED:
        form.code.errors = [str(REFUSALS[result.outcome])]
        return render_template("acting/redeem.html", form=form), 400
    session["acting_for"] = result.person_id
    return redirect(url_for("acting.people"))


@bp.route("/people-you-help/ask", methods=["GET", "POST"])
@signed_in_required
@limiter.limit(GUESSES, methods=["POST"])
def ask() -> str | tuple[str, int]:
    form = AskForm()
    offer_councils(form)
    if not form.validate_on_submit():
        return render_template("acting/ask.html", form=form), 400 if form.errors else 200
    assert form.birth_date.data is not None  # the form checked it
    outcome = delegations.ask(
        deps().store, deps().backoffice, g.signed_in.account_id, g.signed_in.person_id,
        chosen_council(form), form.council_reference.data, form.birth_date.data,
        form.name.data.strip(), form.relationship.data.strip(), form.scopes.data,
        form.ends_on.data, deps().service_url, utcnow())
    if outcome is AskOutcome.OWN_RECORD:
        form.council_reference.errors = [str(_l("These are the details of your own care "
                                                "record. Enter the details of the person you "
                                                "want to help."))]
        return render_template("acting/ask.html", form=form), 400
    return render_template("acting/asked.html")


@bp.route("/people-you-help", methods=["GET", "POST"])
@signed_in_required
def people() -> Response | str:
    helped = access.people_helped(deps().store, deps().backoffice, current_actor(),
                                  today())
    form = ChoosePersonForm()
    if not form.validate_on_submit():
        return render_template("acting/people.html", helped=helped, form=form)
    chosen = form.person_id.data or None
    if chosen is not None and chosen not in {h.person_id for h in helped}:
        abort(403)
    if chosen is None and g.signed_in.person_id is None:
        return redirect(url_for("link.link_record"))
    session["acting_for"] = chosen
    scopes = next((h.scopes for h in helped if h.person_id == chosen), frozenset(access.SCOPES))
    return redirect(url_for(first_page(scopes)))


# The first page someone acting for a person may open, by what they may do.
LANDINGS = (("plan", "care.home"), ("reviews", "reviews.requests"),
            ("money", "charges.charges_page"))


def first_page(scopes: frozenset[str]) -> str:
    return next((page for scope, page in LANDINGS if scope in scopes), "acting.people")
