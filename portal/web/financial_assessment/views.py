"""Ask for the council's financial assessment: the answers of "What will I pay"
carried over (worked out there, sent here by its "Ask for a financial assessment"
button), what the council needs beyond them, check your answers with the evidence
and the declaration, and a reference; then followed on Your requests to the
council's decision, shown beside the estimate, with a way to ask the council to look
at its decision again.

For the person, or anyone with the `money` scope for them. The answers are kept in
the session for that person until they are sent; the outbox then takes the request
to the council, so none is lost while the back office is down."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from flask import Blueprint, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.clock import today, utcnow
from portal.dependencies import deps
from portal.services import estimates, financial_assessments
from portal.services.financial_assessments import Application
from portal.web.access import acting_name, asks_for_something_new, scope_required
from portal.web.errors import or_404
from portal.web.estimate.forms import PAGES, EstimateForm
from portal.web.financial_assessment.forms import HomeForm, LookAgainForm, SendForm
from portal.web.journeys import Journey, question

bp = Blueprint("financial_assessment", __name__, url_prefix="/your-charges")
JOURNEY = Journey("financial-assessment", [("financial_assessment.home", "owns_home")],
                  check="financial_assessment.check", whose=lambda: g.person_id)
# The estimate's answers, as its form names them.
ESTIMATE_FIELDS = [name for page in PAGES for name in page.fields if name != "council"]


@bp.get("/financial-assessment")
@scope_required("money")
@asks_for_something_new
def start() -> str:
    """What a financial assessment is, and the way in: the estimate first."""
    return render_template("financial_assessment/start.html",
                           carried="estimate" in JOURNEY.answers())


@bp.post("/financial-assessment")
@scope_required("money")
@asks_for_something_new
def carry_over() -> Response | str:
    """The estimate's answers, sent by its page's button: checked again, then kept for
    this person's request."""
    form = EstimateForm()
    if "council" in form:
        del form["council"]  # the request goes to the council holding their record
    if not form.validate():
        return redirect(url_for("estimate.start"))
    answers = form.answers()
    JOURNEY.clear()
    council = deps().councils.holding(g.person_id) or deps().council
    JOURNEY.save(journey=str(uuid.uuid4()),
                 person_name=deps().backoffice.get_person(g.person_id).full_name,
                 # as typed, to change them on the estimate's pages; and as read
                 estimate={name: form[name].data or "" for name in ESTIMATE_FIELDS},
                 answers=asdict(answers),
                 charge=estimates.estimate(answers, council.charging_rules(today())).charge)
    return redirect(url_for("financial_assessment.home"))


@bp.route("/financial-assessment/home", methods=["GET", "POST"])
@scope_required("money")
@asks_for_something_new
def home() -> Response | str | tuple[str, int]:
    if "estimate" not in JOURNEY.answers():
        return redirect(url_for("financial_assessment.start"))
    return JOURNEY.ask(
        "financial_assessment.home", HomeForm,
        lambda form: question("financial_assessment/home.html", form),
        lambda form: {"owns_home": form.owns_home.data,
                      "lives_with_partner": form.lives_with_partner.data},
        "financial_assessment.check")


@bp.route("/financial-assessment/check", methods=["GET", "POST"])
@scope_required("money")
@asks_for_something_new
def check() -> Response | str | tuple[str, int]:
    answers = JOURNEY.answers()
    if "estimate" not in answers:
        return redirect(url_for("financial_assessment.start"))
    if (missing := JOURNEY.missing_before("financial_assessment.check")) is not None:
        return missing
    application = _application(answers)
    form = SendForm()
    if not form.validate_on_submit():
        return question("financial_assessment/check.html", form, answers=answers,
                        application=application)
    made = financial_assessments.ask(
        deps().store, g.person_id, answers["person_name"], g.signed_in.account_id,
        acting_name(answers["person_name"]), application, answers["charge"],
        form.uploads(), answers["journey"], utcnow())
    JOURNEY.clear()
    return redirect(url_for("financial_assessment.detail", assessment_id=made.id, sent=1))


@bp.get("/financial-assessments/<assessment_id>")
@scope_required("money")
def detail(assessment_id: str) -> str:
    found, council_unavailable = or_404(financial_assessments.get, deps().store,
                                        deps().backoffice, g.person_id, assessment_id)
    return render_template("financial_assessment/detail.html", assessment=found,
                           just_sent=bool(request.args.get("sent")),
                           asked_again=bool(request.args.get("asked")) and bool(found.reviews),
                           council_unavailable=council_unavailable)


@bp.route("/financial-assessments/<assessment_id>/look-again", methods=["GET", "POST"])
@scope_required("money")
def look_again(assessment_id: str) -> Response | str | tuple[str, int]:
    """Ask the council to look at its decision again, saying why: once it has decided,
    and once. Without the council, nobody can tell whether it has: what was typed stays."""
    form = LookAgainForm()
    found, council_unavailable = or_404(financial_assessments.get, deps().store,
                                        deps().backoffice, g.person_id, assessment_id)
    if council_unavailable:
        return render_template("financial_assessment/look_again.html", form=form,
                               assessment=found, council_unavailable=True), 503
    if not found.may_ask_again:
        return redirect(url_for("financial_assessment.detail", assessment_id=found.id))
    if not form.validate_on_submit():
        return question("financial_assessment/look_again.html", form, assessment=found)
    financial_assessments.ask_again(
        deps().store, found, g.person_id, form.reasons.data.strip(), g.signed_in.account_id,
        acting_name(found.person_name), utcnow())
    return redirect(url_for("financial_assessment.detail", assessment_id=found.id, asked=1))


# Inside the blueprint ---------------------------------------------------------

def _application(answers: dict[str, Any]) -> Application:
    """The request as kept in the session."""
    return Application(estimates.Answers(**answers["answers"]), str(answers["owns_home"]),
                       answers["lives_with_partner"] == "yes")
