"""Linking a signed-in identity to a care record, once."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, url_for
from flask_babel import ngettext
from werkzeug.wrappers import Response

from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import accounts
from portal.services.accounts import LinkOutcome
from portal.web.access import signed_in_required
from portal.web.forms import chosen_council, offer_councils
from portal.web.limits import GUESSES, limiter
from portal.web.link.forms import LinkRecordForm

bp = Blueprint("link", __name__)


@bp.route("/link-your-record", methods=["GET", "POST"])
@signed_in_required
@limiter.limit(GUESSES, methods=["POST"])
def link_record() -> Response | str | tuple[str, int]:
    if g.signed_in.person_id is not None:
        return redirect(url_for("care.home"))
    locked_until = accounts.link_locked_until(deps().store, g.signed_in.account_id, utcnow())
    if locked_until is not None:
        return render_template("link/locked.html", locked_until=locked_until), 429
    form = LinkRecordForm()
    offer_councils(form)
    if not form.validate_on_submit():
        return render_template("link/link_record.html", form=form), 400 if form.errors else 200
    assert form.birth_date.data is not None  # validated above
    result = accounts.link_record(deps().store, deps().backoffice, g.signed_in.account_id,
                                  chosen_council(form), form.council_reference.data,
                                  form.birth_date.data, deps().linking, deps().service_url)
    if result.outcome is LinkOutcome.LINKED:
        return redirect(url_for("care.home"))
    if result.outcome is LinkOutcome.LOCKED:
        return render_template("link/locked.html", locked_until=result.locked_until), 429
    form.council_reference.errors = [ngettext(
        "The council reference number or date of birth does not match our records. "
        "You can try %(num)d more time.",
        "The council reference number or date of birth does not match our records. "
        "You can try %(num)d more times.",
        result.tries_left)]
    return render_template("link/link_record.html", form=form), 400
