"""Book a review (one question a page, then check your answers), and Your requests:
each request's timeline, with ways to add it to a calendar, move it or cancel it.

Answers are kept in the session until the person confirms them, for the person
whose care they are about; nothing reaches the portal's records before then."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.clients.backoffice import BackOfficeClient, ReviewSlot
from portal.clock import local_date, utcnow
from portal.dependencies import deps
from portal.services import (
    assessment_requests,
    carers,
    changes,
    direct_payments,
    financial_assessments,
    reading,
    reviews,
    visit_reports,
)
from portal.web.access import acting_name, scope_required
from portal.web.errors import or_404
from portal.web.features import offered
from portal.web.forms import ConfirmForm, optional_text
from portal.web.journeys import Journey, question
from portal.web.labels import REVIEW_MODES
from portal.web.reviews.forms import (
    AnythingElseForm,
    DayForm,
    ModeForm,
    ReasonForm,
    SlotForm,
)

bp = Blueprint("reviews", __name__)
MOVE = "review_move"
# The question pages in order, and the answer each one gives; the answers are about
# the person whose care is in hand.
JOURNEY = Journey("review", [
    ("reviews.reason", "reason"), ("reviews.mode", "mode"), ("reviews.when", "slot"),
    ("reviews.anything_else", "language_support")],
    check="reviews.check", whose=lambda: g.person_id)


@bp.route("/book-a-review", methods=["GET", "POST"])
@scope_required("reviews")
@offered("reviews")
def reason() -> Response | str | tuple[str, int]:
    plan = _plan_asked()
    booked = reviews.open_request(deps().store, g.person_id, utcnow(), plan)
    if booked is not None:
        return render_template("reviews/already_booked.html", booked=booked)
    if not _has_plan(plan):
        return render_template("reviews/no_plan.html",
                               person_name=deps().backoffice.get_person(g.person_id).full_name)
    return JOURNEY.ask("reviews.reason", ReasonForm,
                       lambda form: question("reviews/reason.html", form, plan=plan),
                       lambda form: {"reason": form.reason.data, "detail": form.detail.data,
                                     "reason_detail": optional_text(form.detail.data)},
                       "reviews.mode")


@bp.route("/book-a-review/how", methods=["GET", "POST"])
@scope_required("reviews")
@offered("reviews")
def mode() -> Response | str | tuple[str, int]:
    if (missing := JOURNEY.missing_before("reviews.mode")) is not None:
        return missing
    form = ModeForm(data=JOURNEY.answers())
    if not form.validate_on_submit():
        return question("reviews/mode.html", form)
    if form.mode.data != JOURNEY.answers().get("mode"):
        JOURNEY.save(mode=form.mode.data, slot=None)  # the times offered depend on the way
        return redirect(url_for("reviews.when"))
    return JOURNEY.next("reviews.when")


@bp.route("/book-a-review/when", methods=["GET", "POST"])
@scope_required("reviews")
@offered("reviews")
def when() -> Response | str | tuple[str, int]:
    if (missing := JOURNEY.missing_before("reviews.when")) is not None:
        return missing
    chosen = _day_then_time(JOURNEY.answers()["mode"], JOURNEY.answers().get("slot"),
                            datetime.fromisoformat(JOURNEY.answers()["slot_start"])
                            if JOURNEY.answers().get("slot") else None)
    if not isinstance(chosen, ReviewSlot):
        return chosen
    # Kept so that the request can be made even if the back office is down by then.
    JOURNEY.save(slot=chosen.id, slot_start=chosen.start.isoformat(),
                 slot_end=chosen.end.isoformat(),
                 person_name=deps().backoffice.get_person(g.person_id).full_name)
    return JOURNEY.next("reviews.anything_else")


@bp.route("/book-a-review/anything-else", methods=["GET", "POST"])
@scope_required("reviews")
@offered("reviews")
def anything_else() -> Response | str | tuple[str, int]:
    def answer(form: AnythingElseForm) -> dict[str, Any]:
        support = form.language_support.data
        return {"access_needs": optional_text(form.access_needs.data),
                "others_attending": optional_text(form.others_attending.data),
                "language_support": support,
                "interpreter_language": optional_text(form.interpreter_language.data)
                if support == "interpreter" else None}
    return JOURNEY.ask("reviews.anything_else", AnythingElseForm,
                       lambda form: question("reviews/anything_else.html", form), answer,
                       "reviews.check")


@bp.route("/book-a-review/check", methods=["GET", "POST"])
@scope_required("reviews")
@offered("reviews")
def check() -> Response | str:
    if (missing := JOURNEY.missing_before("reviews.check")) is not None:
        return missing
    answers = JOURNEY.answers()
    chosen = ReviewSlot(answers["slot"], datetime.fromisoformat(answers["slot_start"]),
                        datetime.fromisoformat(answers["slot_end"]), answers["mode"])
    slot = reviews.still_free(deps().backoffice, g.person_id, chosen, utcnow())
    if slot is None:
        JOURNEY.save(slot=None)
        return redirect(url_for("reviews.when", taken=1))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("reviews/check.html", form=form, answers=answers, slot=slot)
    made = reviews.request_review(
        deps().store, g.person_id, answers["person_name"], g.signed_in.account_id,
        acting_name(answers["person_name"]), reviews.Answers(
            answers["reason"], answers.get("reason_detail"), answers["mode"],
            answers.get("access_needs"), answers.get("others_attending"),
            answers["language_support"], answers.get("interpreter_language")),
        slot, utcnow(), plan=answers.get("plan", "care"))
    JOURNEY.clear()
    return redirect(url_for("reviews.confirmation", request_id=made.id))


def _requests_read(backoffice: BackOfficeClient, person_id: str) -> None:
    # The person's name too: for reviews the council booked itself.
    for read in (backoffice.list_review_bookings, backoffice.list_visit_reports,
                 backoffice.list_changes, backoffice.list_financial_assessments,
                 backoffice.list_direct_payment_returns, backoffice.get_person):
        reading.start(read, person_id)


@bp.get("/your-requests")
@scope_required("reviews", "money", reads=_requests_read)
def requests() -> str:
    store, backoffice = deps().store, deps().backoffice
    scopes = g.decision.scopes
    asked = reading.start(reviews.for_person, store, backoffice, g.person_id, utcnow()) \
        if "reviews" in scopes else None
    # Reports about visits and changes told to the council are about the care itself:
    # shown to whoever may see it; financial assessments to whoever may see the money.
    # All are read at once.
    about_care = "plan" in scopes
    reported = reading.start(visit_reports.for_person, store, backoffice, g.person_id) \
        if about_care else None
    told_of = reading.start(changes.for_person, store, backoffice, g.person_id) \
        if about_care else None
    assessed = reading.start(financial_assessments.for_person, store, backoffice,
                             g.person_id) if "money" in scopes else None
    accounted = reading.start(direct_payments.for_person, store, backoffice,
                              g.person_id) if "money" in scopes else None
    # Their own account's requests for care and support, on their own requests alone.
    asked_for_help = reading.start(assessment_requests.for_account, store, backoffice,
                                   g.signed_in.account_id) if g.decision.role == "self" else None
    found = asked.result() if asked else None
    reports = reported.result() if reported else visit_reports.Reports([], False)
    told = told_of.result() if told_of else changes.Changes([], False)
    money = assessed.result() if assessed else financial_assessments.Assessments([], False)
    returned = accounted.result() if accounted else direct_payments.Returns([], False)
    helped = asked_for_help.result() if asked_for_help \
        else assessment_requests.Requests([], False)
    return render_template(
        "reviews/requests.html", found=found, reports=reports.reports, changes=told.changes,
        assessments=money.assessments, returns=returned.returns, asked_for_help=helped.requests,
        council_unavailable=(found is not None and found.council_unavailable)
        or reports.council_unavailable or told.council_unavailable
        or money.council_unavailable or returned.council_unavailable
        or helped.council_unavailable)


@bp.get("/your-requests/<request_id>")
@scope_required("reviews")
def detail(request_id: str) -> str:
    return render_template("reviews/detail.html", review=_theirs(request_id))


@bp.get("/your-requests/<request_id>/confirmation")
@scope_required("reviews")
def confirmation(request_id: str) -> str:
    return render_template("reviews/confirmation.html", review=_theirs(request_id))


@bp.get("/your-requests/<request_id>/review.ics")
@scope_required("reviews")
def calendar(request_id: str) -> Response:
    review = _theirs(request_id)
    if review.status in ("cancelled", "not-booked"):
        abort(404)
    summary = _("Review of the support plan as a carer of %(name)s", name=review.person_name) \
        if review.plan == "carer" else \
        _("Review of the care and support plan of %(name)s", name=review.person_name)
    how = _("How: %(mode)s. Reference: %(reference)s.", mode=REVIEW_MODES[review.mode],
            reference=review.reference)
    body = reviews.calendar_file(review, summary, how, utcnow())
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'attachment; filename="review-{review.reference}.ics"'})


@bp.route("/your-requests/<request_id>/move", methods=["GET", "POST"])
@scope_required("reviews")
@offered("reviews")
def move(request_id: str) -> Response | str | tuple[str, int]:
    review = _changeable(request_id)
    chosen = _day_then_time(review.mode, None, None, review=review)
    if not isinstance(chosen, ReviewSlot):
        return chosen
    session[MOVE] = {"request": request_id, "slot": chosen.id}
    return redirect(url_for("reviews.move_check", request_id=request_id))


@bp.route("/your-requests/<request_id>/move/check", methods=["GET", "POST"])
@scope_required("reviews")
@offered("reviews")
def move_check(request_id: str) -> Response | str:
    review = _changeable(request_id)
    chosen = session.get(MOVE) or {}
    if chosen.get("request") != request_id:
        return redirect(url_for("reviews.move", request_id=request_id))
    slot = reviews.find_slot(deps().backoffice, g.person_id, chosen["slot"], utcnow())
    if slot is None:
        return redirect(url_for("reviews.move", request_id=request_id, taken=1))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("reviews/move_check.html", form=form, review=review, slot=slot)
    reviews.request_move(deps().store, g.person_id, request_id, slot,
                         acting_name(review.person_name), utcnow())
    session.pop(MOVE, None)
    flash(_("We have asked the council to move the review. We will send a message when it "
            "has moved."), "success")
    return redirect(url_for("reviews.detail", request_id=request_id))


@bp.route("/your-requests/<request_id>/cancel", methods=["GET", "POST"])
@scope_required("reviews")
@offered("reviews")
def cancel(request_id: str) -> Response | str:
    review = _changeable(request_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("reviews/cancel.html", form=form, review=review)
    reviews.request_cancel(deps().store, g.person_id, request_id,
                           acting_name(review.person_name), utcnow())
    flash(_("We have asked the council to cancel the review."), "success")
    return redirect(url_for("reviews.detail", request_id=request_id))


# Inside the blueprint ---------------------------------------------------------

def _plan_asked() -> str:
    """Which plan the review is of: named where the journey starts (?plan=care, or
    ?plan=carer for someone's own support plan as a carer) and kept through it, back
    links and changes included; the care and support plan unless named."""
    if "plan" in request.args:
        own_carer_plan = request.args["plan"] == "carer" and g.decision.role == "self"
        JOURNEY.save(plan="carer" if own_carer_plan else "care")
    return str(JOURNEY.answers().get("plan", "care"))


def _has_plan(plan: str) -> bool:
    if plan == "carer":
        return carers.support_plan(deps().backoffice, g.person_id) is not None
    return deps().backoffice.get_care_plan(g.person_id) is not None


def _day_then_time(mode: str, chosen: str | None, chosen_start: datetime | None,
                   **context: Any) -> ReviewSlot | Response | str | tuple[str, int]:
    """Ask for the day, then for a time that day (?day=2026-12-07): the slot once a
    time is chosen, or the page to show until then. Says so when the time chosen
    before was taken meanwhile (?taken=1)."""
    days = dict(reviews.free_slots(deps().backoffice, g.person_id, mode, utcnow()))
    day = request.args.get("day", type=date.fromisoformat)
    taken = request.args.get("taken") and request.method == "GET"
    if day not in days:
        before = local_date(chosen_start).isoformat() if chosen_start else None
        asked = DayForm([d.isoformat() for d in days], data={"day": before})
        if taken:
            asked.day.errors = [
                _("The time you chose has just been taken. Choose another time.")]
        if not asked.validate_on_submit():
            return question("reviews/day.html", asked, days=days, **context)
        return redirect(_this_page(day=asked.day.data))
    form = SlotForm([s.id for s in days[day]], data={"slot": chosen})
    if not form.validate_on_submit():
        return question("reviews/when.html", form, day=day, slots=days[day],
                         days_page=_this_page(), **context)
    return next(s for s in days[day] if s.id == form.slot.data)


def _this_page(**args: str | None) -> str:
    """This page again, still a change from check your answers if it was one."""
    values = {**(request.view_args or {}), "change": request.args.get("change"), **args}
    return url_for(request.endpoint or "reviews.when", **values)


def _theirs(request_id: str) -> reviews.RequestView:
    return or_404(reviews.get, deps().store, g.person_id, request_id)


def _changeable(request_id: str) -> reviews.RequestView:
    review = _theirs(request_id)
    if not review.can_change:
        abort(404)
    return review
