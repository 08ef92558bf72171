"""Support for you as a carer: a carer's own area, the questions of a carer's needs
assessment request (one a page, then check your answers), the request's timeline,
and the carer's own support plan.

Every page here is about the signed-in person as a carer, whoever they may be
acting for: nothing here is read through, or shown to, the access someone gave
to act for them. Answers are kept in the session until the carer sends them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from flask import (
    Blueprint,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from werkzeug.wrappers import Response

from portal.clients.errors import BackOfficeUnavailable
from portal.clock import today, utcnow
from portal.dependencies import deps
from portal.services import access, carers, contact, emergency_plans, reading
from portal.web import whose_council
from portal.web.access import current_actor, linked_required, signed_in_required
from portal.web.carers.forms import (
    SOMEONE_ELSE,
    AboutThemForm,
    CaringForm,
    CarryOnForm,
    ContactForm,
    WhatMattersForm,
    WhoForm,
)
from portal.web.errors import or_404
from portal.web.forms import ConfirmForm, chosen_council, offer_councils, optional_text
from portal.web.journeys import Journey, question

bp = Blueprint("carers", __name__, url_prefix="/support-for-carers")
# The question pages in order, and the answer each one gives; the answers are the
# signed-in carer's own, whoever they may be acting for.
JOURNEY = Journey("carer_assessment", [
    ("carers.who", "cared_for_name"), ("carers.about_them", "relationship"),
    ("carers.caring", "hours"), ("carers.carry_on", "carry_on"),
    ("carers.what_matters", "what_matters"), ("carers.contact_details", "language")],
    check="carers.check", whose=lambda: g.signed_in.account_id)


@bp.get("")
@signed_in_required
def area() -> str:
    me = g.signed_in
    is_carer = carers.is_carer(deps().store, me.account_id)
    # Their requests are asked of the council while the page works out whose council
    # it speaks for (which may ask it whom they act for).
    asked = reading.start(carers.for_carer, deps().store, deps().backoffice, me.account_id,
                          me.person_id) if is_carer else None
    council_support = _council_support()
    plans = emergency_plans.of_carer(deps().store, me.account_id) if is_carer else []
    return render_template("carers/area.html", is_carer=is_carer, plans=plans,
                           found=asked.result() if asked else None,
                           form=ConfirmForm(), council_support=council_support)


@bp.post("/i-look-after-someone")
@signed_in_required
def look_after() -> Response:
    if ConfirmForm().validate_on_submit():
        carers.look_after_someone(deps().store, g.signed_in.account_id, utcnow())
    return redirect(url_for("carers.area"))


@bp.route("/assessment", methods=["GET", "POST"])
@signed_in_required
def who() -> Response | str | tuple[str, int]:
    helped = _people_helped()
    answers = JOURNEY.answers()
    chosen = answers.get("cared_for_person_id") or (SOMEONE_ELSE if answers.get(
        "cared_for_name") else None)
    form = WhoForm([h.person_id for h in helped],
                   data={"person": chosen if helped else SOMEONE_ELSE,
                         "name": None if answers.get("cared_for_person_id")
                         else answers.get("cared_for_name"),
                         "council": answers.get("council")})
    offer_councils(form)
    if not helped and request.method == "POST":
        form.person.data = SOMEONE_ELSE
    if not form.validate_on_submit():
        return question("carers/who.html", form, helped=helped)
    person = next((h for h in helped if h.person_id == form.person.data), None)
    JOURNEY.save(cared_for_person_id=person.person_id if person else None,
                 cared_for_name=person.person_name if person else form.name.data.strip(),
                 council=None if person else chosen_council(form))
    return JOURNEY.next("carers.about_them")


@bp.route("/assessment/about-them", methods=["GET", "POST"])
@signed_in_required
def about_them() -> Response | str | tuple[str, int]:
    return JOURNEY.ask("carers.about_them", AboutThemForm, _shown("carers/about_them.html"),
                       lambda f: {"relationship": f.relationship.data.strip(),
                                  "lives_together": f.lives_together.data,
                                  "council_care": f.council_care.data}, "carers.caring")


@bp.route("/assessment/caring", methods=["GET", "POST"])
@signed_in_required
def caring() -> Response | str | tuple[str, int]:
    return JOURNEY.ask("carers.caring", CaringForm, _shown("carers/caring.html"),
                       lambda f: {"tasks": f.tasks.data,
                                  "tasks_detail": optional_text(f.tasks_detail.data),
                                  "hours": f.hours.data}, "carers.carry_on")


@bp.route("/assessment/carrying-on", methods=["GET", "POST"])
@signed_in_required
def carry_on() -> Response | str | tuple[str, int]:
    return JOURNEY.ask("carers.carry_on", CarryOnForm, _shown("carers/carry_on.html"),
                       lambda f: {"carry_on": f.carry_on.data,
                                  "carry_on_detail": optional_text(f.detail.data)},
                       "carers.what_matters", _detail("carry_on_detail"))


@bp.route("/assessment/what-matters", methods=["GET", "POST"])
@signed_in_required
def what_matters() -> Response | str | tuple[str, int]:
    return JOURNEY.ask("carers.what_matters", WhatMattersForm,
                       _shown("carers/what_matters.html"),
                       lambda f: {"what_matters": f.what_matters.data,
                                  "what_matters_detail": optional_text(f.detail.data)},
                       "carers.contact_details", _detail("what_matters_detail"))


@bp.route("/assessment/contact", methods=["GET", "POST"])
@signed_in_required
def contact_details() -> Response | str | tuple[str, int]:
    def answer(form: ContactForm) -> dict[str, Any]:
        by = form.contact_by.data
        return {"carer_name": form.name.data.strip(), "contact_by": by,
                "email": optional_text(form.email.data) if by == "email" else None,
                "phone": optional_text(form.phone.data) if by == "phone" else None,
                "best_times": optional_text(form.best_times.data), "language": form.language.data,
                "access_needs": optional_text(form.access_needs.data)}
    return JOURNEY.ask("carers.contact_details", ContactForm, _shown("carers/contact.html"),
                       answer, "carers.check",
                       lambda saved: {**_contact_defaults(), **saved})


@bp.route("/assessment/check", methods=["GET", "POST"])
@signed_in_required
def check() -> Response | str:
    if (missing := JOURNEY.missing_before("carers.check")) is not None:
        return missing
    answers = JOURNEY.answers()
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("carers/check.html", form=form, answers=answers)
    asked = _as_answers(answers)
    council = carers.council_to_ask(asked.cared_for_person_id, answers.get("council"),
                                    g.signed_in.person_id, deps().councils.first.code)
    made = carers.ask_for_assessment(deps().store, g.signed_in.account_id, council,
                                     g.signed_in.person_id, answers["carer_name"], asked,
                                     utcnow())
    JOURNEY.clear()
    return redirect(url_for("carers.confirmation", request_id=made.id))


@bp.get("/requests/<request_id>")
@signed_in_required
def detail(request_id: str) -> str:
    return render_template("carers/detail.html", asked=_theirs(request_id))


@bp.get("/requests/<request_id>/confirmation")
@signed_in_required
def confirmation(request_id: str) -> str:
    return render_template("carers/confirmation.html", asked=_theirs(request_id))


@bp.get("/your-plan")
@linked_required
def plan() -> str:
    return render_template("carers/plan.html", form=ConfirmForm(),
                           plan=carers.support_plan(deps().backoffice, g.person_id))


@bp.post("/your-plan/review")
@linked_required
def review() -> Response:
    """Book a review of their own support plan as a carer, with the review journey:
    about their own record, whoever they were acting for."""
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("carers.plan"))
    session.pop("acting_for", None)
    return redirect(url_for("reviews.reason", plan="carer"))


# Inside the blueprint ---------------------------------------------------------

def _council_support() -> list[dict[str, str]]:
    """What the council offers carers, in the page's language."""
    return list(whose_council().carer_support[str(get_locale() or "en")[:2]])


def _people_helped() -> list[access.Helped]:
    """Everyone the carer acts for, to choose from; without the back office, those who
    gave access in the portal may still be typed, and nothing is lost."""
    try:
        return access.people_helped(deps().store, deps().backoffice, current_actor(), today())
    except BackOfficeUnavailable:
        return []


def _contact_defaults() -> dict[str, Any]:
    """What we already know: their contact details and language, and their name as
    the council records it."""
    known = contact.preferences(deps().store, g.signed_in.account_id)
    defaults: dict[str, Any] = {"email": known.email, "phone": known.phone,
                                "contact_by": "phone" if known.contact_by == "sms" else "email",
                                "language": g.signed_in.language}
    if g.signed_in.person_id:
        with suppress(BackOfficeUnavailable):  # without it, they type it
            defaults["name"] = deps().backoffice.get_person(g.signed_in.person_id).full_name
    return defaults


def _shown(template: str) -> Callable[[Any], str | tuple[str, int]]:
    return lambda form: question(template, form)


def _detail(saved_as: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """The answers, with the page's "detail" field filled from where it is saved."""
    return lambda saved: {**saved, "detail": saved.get(saved_as)}


def _as_answers(saved: dict[str, Any]) -> carers.Answers:
    """The answers kept in the session, as the service takes them."""
    fields = {name: saved.get(name) for name in carers.Answers.__dataclass_fields__}
    return carers.Answers(**{**fields, "lives_together": saved["lives_together"] == "yes",
                             "tasks": tuple(saved["tasks"]),
                             "what_matters": tuple(saved["what_matters"])})


def _theirs(request_id: str) -> carers.RequestView:
    return or_404(carers.get, deps().store, g.signed_in.account_id, request_id)
