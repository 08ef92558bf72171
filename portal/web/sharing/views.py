"""The person's side of acting-for: who can act for you, inviting someone,
answering someone who asked, changing or stopping their access, and who has looked
at your record."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal import addresses
from portal.clock import today, utcnow
from portal.dependencies import deps
from portal.services import access, audit, delegations
from portal.web.access import linked_required
from portal.web.errors import or_404
from portal.web.forms import ConfirmForm, cursor, page_number
from portal.web.sharing.forms import AnswerForm, ChangeScopesForm, HolderNotesForm, InviteForm

bp = Blueprint("sharing", __name__)


@bp.get("/who-can-act-for-you")
@linked_required
def who_can_act() -> str:
    return render_template(
        "sharing/who_can_act.html",
        people=delegations.for_person(deps().store, g.person_id, utcnow()),
        legal=access.legal_authorities_over(deps().backoffice, g.person_id,
                                            today()),
        kept_from=access.notes_withheld_from_holders(deps().store, g.person_id))


@bp.route("/who-can-act-for-you/legal/<holder_id>/notes", methods=["GET", "POST"])
@linked_required
def holder_notes(holder_id: str) -> Response | str | tuple[str, int]:
    """Keep visit notes from someone the council records as holding a legal authority
    over the person (one of theirs, or not found), or show them again."""
    holder = next((h for h in access.legal_authorities_over(deps().backoffice, g.person_id,
                                                             today())
                   if h.holder_id == holder_id and "plan" in h.scopes), None)
    if holder is None:
        abort(404)
    kept = holder_id in access.notes_withheld_from_holders(deps().store, g.person_id)
    form = HolderNotesForm(notes="withhold" if kept else "show")
    if not form.validate_on_submit():
        return render_template("sharing/holder_notes.html", form=form, holder=holder), \
            400 if form.errors else 200
    access.withhold_notes_from_holder(deps().store, g.person_id, holder_id,
                                      form.notes.data == "withhold")
    flash(_("What %(name)s can see of your visits has been changed.",
            name=holder.holder_name), "success")
    return redirect(url_for("sharing.who_can_act"))


@bp.route("/who-can-act-for-you/invite", methods=["GET", "POST"])
@linked_required
def invite() -> str | tuple[str, int]:
    form = InviteForm()
    if not form.validate_on_submit():
        return render_template("sharing/invite.html", form=form), 400 if form.errors else 200
    person = deps().backoffice.get_person(g.person_id)
    invitation = delegations.invite(
        deps().store, g.signed_in.account_id, g.person_id, person.full_name,
        form.name.data.strip(), addresses.tidied(form.contact.data), form.relationship.data.strip(),
        form.scopes.data, form.ends_on.data, utcnow())
    return render_template("sharing/invited.html", invitation=invitation, name=form.name.data,
                           contact=form.contact.data.strip())


@bp.route("/who-can-act-for-you/<delegation_id>/change", methods=["GET", "POST"])
@linked_required
def change(delegation_id: str) -> Response | str | tuple[str, int]:
    person = _theirs(delegation_id)
    form = ChangeScopesForm(scopes=person.scopes,
                            notes="withhold" if person.notes_withheld else "show")
    if not form.validate_on_submit():
        return render_template("sharing/change.html", form=form, person=person), \
            400 if form.errors else 200
    delegations.change_scopes(deps().store, g.person_id, delegation_id, form.scopes.data,
                              notes_withheld=form.notes.data == "withhold")
    flash(_("What %(name)s can do for you has been changed.", name=person.name), "success")
    return redirect(url_for("sharing.who_can_act"))


@bp.route("/who-can-act-for-you/<delegation_id>/answer", methods=["GET", "POST"])
@linked_required
def answer(delegation_id: str) -> Response | str | tuple[str, int]:
    asked = _theirs(delegation_id)
    if asked.status != "asked":  # answered already: the list says how
        return redirect(url_for("sharing.who_can_act"))
    form = AnswerForm(asked.scopes, data={"scopes": asked.scopes})
    if not form.validate_on_submit():
        return render_template("sharing/answer.html", form=form, person=asked), \
            400 if form.errors else 200
    or_404(delegations.answer, deps().store, g.person_id, delegation_id, form.accepted,
           deps().service_url, utcnow())
    flash(_("%(name)s can now act for you.", name=asked.name) if form.accepted is not None
          else _("You said no to %(name)s. We have told them.", name=asked.name), "success")
    return redirect(url_for("sharing.who_can_act"))


@bp.route("/who-can-act-for-you/<delegation_id>/stop", methods=["GET", "POST"])
@linked_required
def stop(delegation_id: str) -> Response | str:
    person = _theirs(delegation_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("sharing/stop.html", form=form, person=person)
    delegations.revoke(deps().store, g.person_id, delegation_id, utcnow())
    flash(_("%(name)s can no longer act for you.", name=person.name), "success")
    return redirect(url_for("sharing.who_can_act"))


@bp.get("/who-has-looked-at-your-record")
@linked_required
def access_log() -> str:
    log = audit.page_for(deps().store, g.person_id, page_number(request.args.get("page")),
                         before=cursor(request.args.get("before")),
                         after=cursor(request.args.get("after")))
    return render_template("sharing/access_log.html", log=log, today=today())


def _theirs(delegation_id: str) -> delegations.DelegationView:
    return or_404(delegations.get, deps().store, g.person_id, delegation_id, utcnow())
