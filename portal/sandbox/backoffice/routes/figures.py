"""The area's figures: counts by week, never a person's record (FHIR MeasureReport)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, request

from portal.clock import utcnow
from portal.sandbox.backoffice import area
from portal.sandbox.backoffice.http import problem
from portal.sandbox.backoffice.state import as_of, current

bp = Blueprint("figures", __name__)


@bp.get("/v1/statistics/care-at-home")
def care_at_home_statistics() -> Response:
    held = current()
    held.statistics_asked.append(utcnow().isoformat())
    try:
        first = date.fromisoformat(request.args["from"])
        weeks = int(request.args["weeks"])
    except (KeyError, ValueError):
        return problem(400, "from must be a date (YYYY-MM-DD) and weeks a whole number")
    if first.weekday() != 0 or not 1 <= weeks <= 53:
        return problem(400, "from must be a Monday, and weeks 1 to 53")
    with held.lock:
        asked = [dict(r, history=list(r["history"])) for r in held.carer_requests.values()]
        assessed = [dict(a, history=list(a["history"]))
                    for a in held.financial_assessments.values()]
        asked_for_help = [dict(r, history=list(r["history"]))
                          for r in held.assessment_requests.values()]
    return jsonify({**area.statistics(held.people, asked, first, weeks, utcnow(),
                                      held.weeks_over, held.visit_news, assessed,
                                      asked_for_help),
                    "as_of": as_of()})
