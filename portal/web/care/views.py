"""Your care: the home page, the care and support plan, the visits."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from portal.clock import utcnow
from portal.services import care, reviews
from portal.web import deps
from portal.web.access import scope_required

bp = Blueprint("care", __name__, url_prefix="/your-care")


@bp.get("")
@scope_required("plan")
def home() -> str:
    may_book = "reviews" in g.decision.scopes
    return render_template(
        "care/home.html", summary=care.home(deps().backoffice, g.person_id, utcnow()),
        may_book=may_book,
        review=reviews.open_request(deps().store, g.person_id, utcnow()) if may_book else None)


@bp.get("/plan")
@scope_required("plan")
def plan() -> str:
    return render_template("care/plan.html", page=care.plan(deps().backoffice, g.person_id))


@bp.get("/visits")
@scope_required("plan")
def visits() -> str:
    return render_template("care/visits.html",
                           page=care.visits(deps().backoffice, g.person_id, utcnow()))
