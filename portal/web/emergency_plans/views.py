"""A carer's emergency plan: written and changed by the carer in their own area, kept
by the council, read here (and downloaded as a PDF) by the carer, by the person it
is about, and by those that person chooses. Nobody else finds it: each page about a
plan is a 404 to anyone who may not read it."""

from __future__ import annotations

from concurrent.futures import Future
from contextlib import suppress
from typing import Any

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as BaseResponse

from portal import pdfs
from portal.clients.backoffice import Person
from portal.clients.errors import BackOfficeUnavailable
from portal.clock import today, utcnow
from portal.dependencies import deps
from portal.services import access, carers, delegations, emergency_plans, reading
from portal.services.emergency_plans import PlanView, Sections
from portal.web.access import current_actor, linked_required, signed_in_required
from portal.web.carers.forms import SOMEONE_ELSE
from portal.web.emergency_plans.forms import NewPlanForm, PlanForm, ReadersForm
from portal.web.errors import or_404
from portal.web.forms import chosen_council, offer_councils, optional_text
from portal.web.journeys import question
from portal.web.templating import current_language, long_date

bp = Blueprint("emergency_plans", __name__)
WRITING = "/support-for-carers/emergency-plans"


@bp.get("/emergency-plans")
@signed_in_required
def index() -> str:
    me, now = g.signed_in, utcnow()
    return render_template(
        "emergency_plans/index.html",
        written=emergency_plans.of_carer(deps().store, me.account_id),
        about_me=emergency_plans.about(deps().store, me.person_id) if me.person_id else [],
        shared=emergency_plans.shared_with(deps().store, me.account_id, now))


@bp.route(f"{WRITING}/new", methods=["GET", "POST"])
@signed_in_required
def new() -> BaseResponse | str | tuple[str, int]:
    # Their name as the council records it, asked alongside whom they act for.
    name = reading.start(deps().backoffice.get_person, g.signed_in.person_id) \
        if g.signed_in.person_id and request.method == "GET" else None
    helped = _people_helped()
    form = NewPlanForm([h.person_id for h in helped],
                       data={"person": None if helped else SOMEONE_ELSE,
                             **_carer_defaults(name)})
    offer_councils(form)
    if not helped:
        form.person.data = SOMEONE_ELSE
    if not form.validate_on_submit():
        return question("emergency_plans/new.html", form, helped=helped)
    me = g.signed_in
    person = next((h for h in helped if h.person_id == form.person.data), None)
    cared_for_id = person.person_id if person else None
    council = carers.council_to_ask(cared_for_id, None if person else chosen_council(form),
                                    me.person_id, deps().councils.first.code)
    carers.look_after_someone(deps().store, me.account_id, utcnow())
    made = emergency_plans.write(
        deps().store, me.account_id, form.carer_name.data.strip(), me.person_id, council,
        cared_for_id, person.person_name if person else form.name.data.strip(),
        current_language(), _sections(form), utcnow())
    return redirect(url_for("emergency_plans.plan", plan_id=made.id, saved=1))


@bp.route(f"{WRITING}/<plan_id>/change", methods=["GET", "POST"])
@signed_in_required
def change(plan_id: str) -> BaseResponse | str | tuple[str, int]:
    kept = or_404(emergency_plans.own, deps().store, g.signed_in.account_id, plan_id)
    form = PlanForm(data={"carer_name": kept.carer_name, **vars(kept.sections)})
    if not form.validate_on_submit():
        return question("emergency_plans/change.html", form, kept=kept)
    emergency_plans.change(deps().store, g.signed_in.account_id, plan_id, _sections(form),
                           current_language(), utcnow())
    return redirect(url_for("emergency_plans.plan", plan_id=plan_id, saved=1))


@bp.get("/emergency-plans/<plan_id>")
@signed_in_required
def plan(plan_id: str) -> str:
    found = _readable(plan_id)
    return render_template("emergency_plans/plan.html", kept=found,
                           sections=_sections_read(found),
                           writer=found.account_id == g.signed_in.account_id,
                           about_me=found.cared_for_person_id is not None
                           and found.cared_for_person_id == g.signed_in.person_id)


@bp.get("/emergency-plans/<plan_id>/plan.pdf")
@signed_in_required
def download(plan_id: str) -> Response:
    found = _readable(plan_id)
    body = pdfs.document(
        _("Emergency plan: %(name)s", name=found.cared_for_name),
        [_("Written by %(carer)s, the unpaid carer of %(name)s.", carer=found.carer_name,
           name=found.cared_for_name),
         _("Last changed on %(date)s.", date=long_date(found.updated_at)),
         _("The council keeps a copy for its out-of-hours team.")],
        [pdfs.Section(str(heading), text) for heading, text in _sections_read(found)],
        current_language(), _("Reference %(reference)s", reference=found.reference))
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="emergency-plan-{found.reference}.pdf"',
        "Cache-Control": "no-store"})


@bp.route("/emergency-plans/<plan_id>/who-can-read", methods=["GET", "POST"])
@linked_required
def readers(plan_id: str) -> BaseResponse | str | tuple[str, int]:
    """The person the plan is about chooses who of those acting for them may read it."""
    found = _readable(plan_id)
    if found.cared_for_person_id != g.person_id:
        abort(404)
    offered = [(d.id, f"{d.name} ({d.relationship})")
               for d in delegations.for_person(deps().store, g.person_id, utcnow())
               if d.status == "active"]
    if not offered:
        return render_template("emergency_plans/no_readers.html", kept=found)
    form = ReadersForm(offered, data={"readers": list(found.readers)})
    if not form.validate_on_submit():
        return question("emergency_plans/readers.html", form, kept=found)
    try:
        emergency_plans.choose_readers(deps().store, g.person_id, plan_id, form.readers.data,
                                       utcnow())
    except ValueError:  # access stopped since the page was shown: choose again
        form.readers.errors = [_("Select only people who act for you here")]
        return question("emergency_plans/readers.html", form, kept=found)
    return redirect(url_for("emergency_plans.plan", plan_id=plan_id, shared=1))


# Inside the blueprint ---------------------------------------------------------

def _readable(plan_id: str) -> PlanView:
    me = g.signed_in
    return or_404(emergency_plans.readable, deps().store, me.account_id, me.person_id, plan_id,
                  utcnow())


def _people_helped() -> list[access.Helped]:
    """Everyone the carer acts for, to choose from; without the back office, those who
    gave access in the portal, or a name typed."""
    try:
        return access.people_helped(deps().store, deps().backoffice, current_actor(), today())
    except BackOfficeUnavailable:
        return []


def _carer_defaults(name: Future[Person] | None) -> dict[str, Any]:
    """Their name as the council records it, where it can be read."""
    if name is not None:
        with suppress(BackOfficeUnavailable):
            return {"carer_name": name.result().full_name}
    return {}


def _sections(form: PlanForm) -> Sections:
    return Sections(
        contacts=form.contacts.data.strip(), daily_needs=form.daily_needs.data.strip(),
        medicines=optional_text(form.medicines.data), routines=optional_text(form.routines.data),
        keys=optional_text(form.keys.data), step_in=form.step_in.data.strip(),
        other=optional_text(form.other.data), carer_phone=optional_text(form.carer_phone.data))


def _sections_read(found: PlanView) -> list[tuple[Any, str]]:
    """Each section's heading and text, in the reader's language ("None given" where
    the carer wrote nothing)."""
    said = found.sections
    none = _("None given")
    return [(_("Who to contact"), said.contacts),
            (_("What they need each day"), said.daily_needs),
            (_("Medicines"), said.medicines or none),
            (_("Routines"), said.routines or none),
            (_("Keys"), said.keys or none),
            (_("Who else can step in"), said.step_in),
            (_("Anything else"), said.other or none),
            (_("How to reach the carer"), said.carer_phone or none)]

