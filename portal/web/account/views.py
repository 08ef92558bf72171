"""Your account: language preference and signing out."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.services import accounts
from portal.web import deps
from portal.web.access import signed_in_required
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
