"""Your account: language preference and signing out."""

from __future__ import annotations

from contextlib import suppress

from flask import Blueprint, flash, g, redirect, render_template, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import addresses
from portal.clients.errors import BackOfficeUnavailable
from portal.dependencies import deps
from portal.messages import STOPPABLE
from portal.services import accounts, contact
from portal.web.access import signed_in_required
from portal.web.account.contact_forms import ContactForm, quiet_choice
from portal.web.account.forms import LanguageForm

bp = Blueprint("account", __name__)


@bp.route("/account", methods=["GET", "POST"])
@signed_in_required
def account() -> Response | str | tuple[str, int]:
    form = LanguageForm(language=g.signed_in.language)
    if not form.validate_on_submit():
        status = 400 if form.errors else 200
        return render_template("account/account.html", form=form), status
    accounts.set_language(deps().store, g.signed_in.account_id, form.language.data)
    session["lang"] = form.language.data
    with force_locale(form.language.data):
        flash(_("Your language preference has been saved."), "success")
    return redirect(url_for("account.account"))


@bp.route("/account/contact", methods=["GET", "POST"])
@signed_in_required
def contact_preferences() -> Response | str | tuple[str, int]:
    current = contact.preferences(deps().store, g.signed_in.account_id)
    postal = None
    if g.signed_in.person_id:
        with suppress(BackOfficeUnavailable):  # then post cannot be chosen just now
            postal = contact.postal_address(deps().backoffice,
                                            contact.BY_POST + g.signed_in.person_id)
    form = ContactForm(contact_by=current.contact_by, email=current.email, phone=current.phone,
                       wanted=[kind for kind in STOPPABLE if kind not in current.stopped],
                       quiet=quiet_choice(current.quiet),
                       missed_any_hour=["yes"] if current.missed_any_hour else [],
                       postal=postal)
    if not form.validate_on_submit():
        return render_template("account/contact.html", form=form, current=current,
                               postal=postal), 400 if form.errors else 200
    contact.save(deps().store, g.signed_in.account_id, form.contact_by.data,
                 addresses.tidied(form.email.data or "") or None,
                 addresses.tidied(form.phone.data or "") or None, form.stopped,
                 form.quiet_hours, "yes" in (form.missed_any_hour.data or ()))
    flash(_("How we contact you has been saved."), "success")
    return redirect(url_for("account.account"))
