"""Report a missed or late visit (one question a page, then check your answers), and
follow it: the council receives it, looks into it and answers.

A visit can be reported by the person, or by whoever may see their visits for them.
The first question checks the visit is theirs and keeps its time with the answers,
in the session, for that person and that visit; so the report can be sent even if
the back office is down by then, and the outbox takes it to the council."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portal.clients.backoffice import Visit
from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import visit_reports
from portal.web.access import acting_name, scope_required
from portal.web.errors import or_404
from portal.web.features import offered
from portal.web.forms import ConfirmForm, RiskForm, optional_text
from portal.web.journeys import Journey, question
from portal.web.visit_reports.forms import DetailsForm, WhatForm

bp = Blueprint("visit_reports", __name__, url_prefix="/your-care")
# The question pages in order, and the answer each gives; about one person's one visit.
JOURNEY = Journey("visit_report", [
    ("visit_reports.what", "what_happened"), ("visit_reports.risk", "at_risk"),
    ("visit_reports.details", "asked_details")],
    check="visit_reports.check",
    whose=lambda: f"{g.person_id}/{(request.view_args or {}).get('visit_id')}")


@bp.route("/visits/<visit_id>/report", methods=["GET", "POST"])
@scope_required("plan")
@offered("visit-reports")
def what(visit_id: str) -> Response | str | tuple[str, int]:
    visit = _visit(visit_id)
    return JOURNEY.ask(
        "visit_reports.what", WhatForm,
        lambda form: question("visit_reports/what.html", form, visit_id=visit_id,
                              visit_start=visit.planned_start),
        lambda form: {"what_happened": form.what_happened.data,
                      "visit_start": visit.planned_start.isoformat(),
                      "person_name": deps().backoffice.get_person(g.person_id).full_name},
        "visit_reports.risk")


@bp.route("/visits/<visit_id>/report/at-risk", methods=["GET", "POST"])
@scope_required("plan")
@offered("visit-reports")
def risk(visit_id: str) -> Response | str | tuple[str, int]:
    return JOURNEY.ask("visit_reports.risk", RiskForm,
                       _shown("visit_reports/risk.html", visit_id),
                       lambda f: {"at_risk": f.at_risk.data}, "visit_reports.details")


@bp.route("/visits/<visit_id>/report/anything-else", methods=["GET", "POST"])
@scope_required("plan")
@offered("visit-reports")
def details(visit_id: str) -> Response | str | tuple[str, int]:
    return JOURNEY.ask("visit_reports.details", DetailsForm,
                       _shown("visit_reports/details.html", visit_id),
                       lambda f: {"details": optional_text(f.details.data),
                                  "asked_details": True}, "visit_reports.check")


@bp.route("/visits/<visit_id>/report/check", methods=["GET", "POST"])
@scope_required("plan")
@offered("visit-reports")
def check(visit_id: str) -> Response | str:
    if (missing := JOURNEY.missing_before("visit_reports.check")) is not None:
        return missing
    answers = JOURNEY.answers()
    visit_start = datetime.fromisoformat(answers["visit_start"])
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("visit_reports/check.html", form=form, answers=answers,
                               visit_id=visit_id, visit_start=visit_start)
    made = visit_reports.report(
        deps().store, g.person_id, answers["person_name"], g.signed_in.account_id,
        acting_name(answers["person_name"]), visit_id, visit_start, answers["what_happened"],
        answers["at_risk"] == "yes", answers.get("details"), utcnow())
    JOURNEY.clear()
    return redirect(url_for("visit_reports.detail", report_id=made.id, sent=1))


@bp.get("/visit-reports/<report_id>")
@scope_required("plan")
def detail(report_id: str) -> str:
    report, council_unavailable = or_404(visit_reports.get, deps().store, deps().backoffice,
                                         g.person_id, report_id)
    return render_template("visit_reports/detail.html", just_sent=bool(request.args.get("sent")),
                           report=report, council_unavailable=council_unavailable)


# Inside the blueprint ---------------------------------------------------------

def _visit(visit_id: str) -> Visit:
    """The visit being reported, if it is theirs and recent enough; else not found."""
    visit = visit_reports.reportable(deps().backoffice, g.person_id, visit_id, utcnow())
    if visit is None:
        abort(404)
    return visit


def _shown(template: str, visit_id: str) -> Callable[[Any], str | tuple[str, int]]:
    """A later question's page: its visit was checked on the first, and kept."""
    return lambda form: question(
        template, form, visit_id=visit_id,
        visit_start=datetime.fromisoformat(JOURNEY.answers()["visit_start"]))
