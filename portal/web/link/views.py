"""Linking a signed-in identity to a care record: the first time, and again after
moving to another council's area, when the record left behind is kept as an earlier
one that its holder can still open."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import accounts, earlier
from portal.services.accounts import LinkOutcome
from portal.web.access import linked_required, signed_in_required
from portal.web.acting.forms import ChoosePersonForm
from portal.web.forms import chosen_council, offer_councils
from portal.web.limits import GUESSES, limiter
from portal.web.link.forms import LinkRecordForm, MovedForm
from portal.web.templating import current_language

bp = Blueprint("link", __name__)


@bp.route("/link-your-record", methods=["GET", "POST"])
@signed_in_required
@limiter.limit(GUESSES, methods=["POST"])
def link_record() -> Response | str | tuple[str, int]:
    if g.signed_in.person_id is not None:
        return redirect(url_for("care.home"))
    return _link(LinkRecordForm(), "link/link_record.html")


@bp.route("/account/moved", methods=["GET", "POST"])
@linked_required
@limiter.limit(GUESSES, methods=["POST"])
def moved() -> Response | str | tuple[str, int]:
    """Someone who moved to another council's area links their new council's record."""
    return _link(MovedForm(), "link/moved.html")


@bp.route("/account/care-records", methods=["GET", "POST"])
@linked_required
def care_records() -> Response | str:
    """Their current record and the earlier ones: choose which to look at."""
    kept = earlier.records(deps().store, g.signed_in.account_id)
    form = ChoosePersonForm()
    if not form.validate_on_submit():
        return render_template("link/care_records.html", kept=kept, form=form)
    chosen = form.person_id.data or None
    if chosen is not None and chosen not in {e.person_id for e in kept}:
        abort(403)
    session["acting_for"] = chosen
    return redirect(url_for("care.home"))


def _link(form: LinkRecordForm, template: str) -> Response | str | tuple[str, int]:
    locked_until = accounts.link_locked_until(deps().store, g.signed_in.account_id, utcnow())
    if locked_until is not None:
        return render_template("link/locked.html", locked_until=locked_until), 429
    offer_councils(form)
    if not form.validate_on_submit():
        return render_template(template, form=form), 400 if form.errors else 200
    assert form.birth_date.data is not None  # validated above
    council = chosen_council(form)
    result = accounts.link_record(deps().store, deps().backoffice, g.signed_in.account_id,
                                  council, form.council_reference.data,
                                  form.birth_date.data, deps().linking, deps().service_url)
    if result.outcome is LinkOutcome.LINKED:
        if g.signed_in.person_id is not None:
            session.pop("acting_for", None)
            flash(_("Your care record with %(council)s is linked. You can still see your "
                    "earlier care record from Your account.",
                    council=deps().councils.get(council).name(current_language())), "success")
        return redirect(url_for("care.home"))
    if result.outcome is LinkOutcome.ALREADY:
        form.council_reference.errors = [_("This is the care record you have linked already. "
                                           "Enter the details of your new council's record.")]
        return render_template(template, form=form), 400
    if result.outcome is LinkOutcome.LOCKED:
        return render_template("link/locked.html", locked_until=result.locked_until), 429
    form.council_reference.errors = [ngettext(
        "The council reference number or date of birth does not match our records. "
        "You can try %(num)d more time.",
        "The council reference number or date of birth does not match our records. "
        "You can try %(num)d more times.",
        result.tries_left)]
    return render_template(template, form=form), 400
