"""Your care: the home page, the care and support plan, the visits."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, g, render_template, request

from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import care, reviews
from portal.web.access import scope_required
from portal.web.errors import or_404

bp = Blueprint("care", __name__, url_prefix="/your-care")


@bp.get("")
@scope_required("plan", reads=lambda backoffice, person_id: care.home(backoffice, person_id,
                                                                      utcnow()))
def home() -> str:
    summary = care.home(deps().backoffice, g.person_id, utcnow())
    # A review is of the plan: with no plan yet, there is nothing to review.
    may_book = "reviews" in g.decision.scopes and summary.plan is not None
    return render_template(
        "care/home.html", summary=summary, may_book=may_book,
        review=reviews.open_request(deps().store, g.person_id, utcnow()) if may_book else None)


@bp.get("/plan")
@scope_required("plan", reads=care.plan)
def plan() -> str:
    return render_template("care/plan.html", page=care.plan(deps().backoffice, g.person_id))


def _week() -> date | None:
    # ?from=2026-12-10 shows the week from that day; anything else, the week from today.
    return request.args.get("from", type=date.fromisoformat)


@bp.get("/visits")
@scope_required("plan", reads=lambda backoffice, person_id: care.visits(backoffice, person_id,
                                                                        utcnow(), _week()))
def visits() -> str:
    return render_template("care/visits.html",
                           page=care.visits(deps().backoffice, g.person_id, utcnow(), _week()))


@bp.get("/visits/<visit_id>")
@scope_required("plan", reads=lambda backoffice, person_id: care.visit(
    backoffice, person_id, (request.view_args or {})["visit_id"], utcnow()))
def visit(visit_id: str) -> str:
    """One visit: what is happening, and once it finished what the care worker recorded
    (unless the person keeps that from whoever is acting for them)."""
    return render_template("care/visit.html", page=or_404(
        care.visit, deps().backoffice, g.person_id, visit_id, utcnow()))
