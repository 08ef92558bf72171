"""Booking, moving and cancelling the review of a person's care and support plan.

A request is saved in the portal first, with a back-office write queued in the
outbox in the same transaction, so it survives the back office being down. The
worker's sync() then brings the back office up to date and, in the transaction
that records what the back office did, queues the messages that tell the person
and their carers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal import calendars, messages
from portal.clients.backoffice import (
    BackOfficeClient,
    ReviewBooking,
    ReviewNotes,
    ReviewSlot,
)
from portal.clients.errors import BackOfficeUnavailable, Conflict
from portal.clock import LONDON, local_date, utcnow
from portal.services import contact, outbox, reading, references
from portal.store import Store
from portal.store.models import ReviewEvent, ReviewRequest

SYNC = "review-sync"  # the outbox's name for "bring the back office up to date"
REASONS = ("plan-due", "changed", "other")
# The plans a review can be of: a care and support plan, or a carer's support plan.
PLANS = ("care", "carer")
CONTRACT_PLANS = {"care": "care-and-support-plan", "carer": "carer-support-plan"}
MODES = ("home", "phone", "video", "office")
LANGUAGE_SUPPORT = ("none", "welsh-speaker", "interpreter")
SLOT_WINDOW_DAYS = 28
REMINDER_TIME = time(10, 0)  # the day before, local time


@dataclass(frozen=True)
class Answers:
    """What the person told us on the question pages."""

    reason: str
    reason_detail: str | None
    mode: str
    access_needs: str | None
    others_attending: str | None
    language_support: str
    interpreter_language: str | None


@dataclass(frozen=True)
class Step:
    """One step of a request's timeline."""

    kind: str  # requested, confirmed, move-requested, moved, not-moved, cancel-requested,
    #            cancelled, not-booked, done
    at: datetime
    start: datetime | None = None
    by_name: str | None = None


@dataclass(frozen=True)
class RequestView:
    id: str
    reference: str
    status: str  # requested, booked, move-requested, cancel-requested, cancelled,
    #              not-booked, done
    start: datetime
    end: datetime
    mode: str
    reason: str
    reason_detail: str | None
    answers: Answers | None
    person_name: str
    requested_by_name: str | None
    version: int
    timeline: list[Step] = field(default_factory=list)
    from_portal: bool = True
    plan: str = "care"

    @property
    def can_change(self) -> bool:
        return self.from_portal and self.status in ("requested", "booked", "move-requested")


@dataclass(frozen=True)
class Requests:
    requests: list[RequestView]
    council_unavailable: bool  # shown from the portal's records alone


def free_slots(backoffice: BackOfficeClient, person_id: str, mode: str,
               now: datetime) -> list[tuple[date, list[ReviewSlot]]]:
    """Free slots for this kind of review over the next four weeks, by local day."""
    today = local_date(now)
    slots = [s for s in backoffice.list_review_slots(
        person_id, today + timedelta(days=1), today + timedelta(days=SLOT_WINDOW_DAYS))
        if s.mode == mode]
    return [(day, list(group)) for day, group in groupby(slots, key=lambda s: local_date(s.start))]


def find_slot(backoffice: BackOfficeClient, person_id: str, slot_id: str,
              now: datetime) -> ReviewSlot | None:
    """The slot, if it is still free."""
    today = local_date(now)
    slots = backoffice.list_review_slots(person_id, today + timedelta(days=1),
                                         today + timedelta(days=SLOT_WINDOW_DAYS))
    return next((s for s in slots if s.id == slot_id), None)


def still_free(backoffice: BackOfficeClient, person_id: str, chosen: ReviewSlot,
               now: datetime) -> ReviewSlot | None:
    """The chosen slot as the back office has it now, or None if it has gone. When
    the back office cannot say, the slot as chosen: the request is kept and the
    outbox books it once the back office is back (or says it could not)."""
    try:
        return find_slot(backoffice, person_id, chosen.id, now)
    except BackOfficeUnavailable:
        return chosen


def request_review(store: Store, person_id: str, person_name: str, account_id: str,
                   actor_name: str, answers: Answers, slot: ReviewSlot,
                   now: datetime, plan: str = "care") -> RequestView:
    """Save the request and queue its booking in the back office, in one transaction.
    One review of each plan at a time: with one still to come (a form sent twice,
    say), that one."""
    if answers.reason not in REASONS or slot.mode not in MODES or \
            answers.language_support not in LANGUAGE_SUPPORT or plan not in PLANS:
        raise ValueError(answers)
    with store.transaction() as db:
        pending = _still_to_come(db, person_id, now, plan)
        if pending is not None:
            return _view(db, pending)
        row = ReviewRequest(
            reference=references.new(references.REVIEW), person_id=person_id,
            person_name=person_name, plan=plan,
            requested_by_account_id=account_id, requested_by_name=actor_name,
            reason=answers.reason, reason_detail=answers.reason_detail, mode=slot.mode,
            access_needs=answers.access_needs, others_attending=answers.others_attending,
            language_support=answers.language_support,
            interpreter_language=answers.interpreter_language, slot_id=slot.id,
            slot_start=slot.start, slot_end=slot.end, wanted="booked", status="requested",
            version=1, synced_version=0, created_at=now)
        db.add(row)
        db.flush()
        _changed(db, row, "requested", slot.start, actor_name, now)
        return _view(db, row)


def request_move(store: Store, person_id: str, request_id: str, slot: ReviewSlot,
                 actor_name: str, now: datetime) -> None:
    with store.transaction() as db:
        row = _changeable(db, person_id, request_id)
        row.slot_id, row.slot_start, row.slot_end, row.mode = \
            slot.id, slot.start, slot.end, slot.mode
        row.version += 1
        _changed(db, row, "move-requested", slot.start, actor_name, now)


def request_cancel(store: Store, person_id: str, request_id: str, actor_name: str,
                   now: datetime) -> None:
    with store.transaction() as db:
        row = _changeable(db, person_id, request_id)
        row.wanted = "cancelled"
        row.version += 1
        _changed(db, row, "cancel-requested", None, actor_name, now)


def open_request(store: Store, person_id: str, now: datetime,
                 plan: str = "care") -> RequestView | None:
    """The review still to come of the person's plan, if there is one (one at a time)."""
    with store.transaction() as db:
        row = _still_to_come(db, person_id, now, plan)
        return None if row is None else _view(db, row)


def get(store: Store, person_id: str, request_id: str) -> RequestView:
    """One of the person's requests; LookupError if it is not theirs."""
    with store.transaction() as db:
        return _view(db, _owned(db, person_id, request_id))


def for_person(store: Store, backoffice: BackOfficeClient, person_id: str,
               now: datetime) -> Requests:
    """The person's review requests, newest first: the portal's records, brought up to
    date with the back office's (a review that has happened, one the council cancelled,
    one the council booked itself). Without the back office, the portal's alone."""
    with store.transaction() as db:
        rows = list(db.scalars(select(ReviewRequest).where(ReviewRequest.person_id == person_id)
                               .order_by(ReviewRequest.created_at.desc())))
        views = [_view(db, row) for row in rows]
    known = {row.backoffice_id for row in rows}
    # The person's name, for reviews the council booked itself: from the portal's own
    # requests if there are any, else asked at once with the bookings (one round).
    person = None if rows else reading.start(backoffice.get_person, person_id)
    try:
        bookings = backoffice.list_review_bookings(person_id)
        councils_own = [b for b in reversed(bookings) if b.id not in known]
        person_name = "" if not councils_own else rows[0].person_name if rows else \
            person.result().full_name  # type: ignore[union-attr]
    except BackOfficeUnavailable:
        return Requests(views, council_unavailable=True)
    by_id = {b.id: b for b in bookings}
    merged = [_with_council(view, by_id.get(row.backoffice_id or ""))
              for view, row in zip(views, rows, strict=True)]
    merged += [_council_booking(b, person_name) for b in councils_own]
    return Requests(merged, council_unavailable=False)


def sync(store: Store, backoffice: BackOfficeClient, request_id: str,
         service_url: str) -> None:
    """Bring the back office up to date with the request, then record what it did
    and queue the messages about it. Safe to run any number of times: each back-office
    write carries an Idempotency-Key, and a synced version is not acted on again."""
    with store.transaction() as db:
        row = db.get(ReviewRequest, request_id)
        if row is None or row.synced_version >= row.version:
            return
        asked = _Snapshot(row.person_id, row.reference, row.reason, row.reason_detail,
                          _answers(row), row.slot_id, row.slot_start, row.wanted,
                          row.backoffice_id, row.booked_slot_id, row.version, row.plan)
    outcome, booking = _write(backoffice, request_id, asked)
    # Who to tell, unless there is nothing to tell (a request withdrawn before the
    # council had it tells nobody, so needs no back-office read).
    recipients = contact.recipients_about(store, backoffice, asked.person_id, local_date(
        utcnow())) if outcome not in (None, "withdrawn") else []
    with store.transaction() as db:
        # One conditional UPDATE claims the recording, so two workers syncing the same
        # request at once (on PostgreSQL or SQLite) cannot both record it.
        claimed = db.execute(
            update(ReviewRequest).where(ReviewRequest.id == request_id,
                                        ReviewRequest.synced_version < asked.version)
            .values(synced_version=asked.version)
            .execution_options(synchronize_session=False)).rowcount  # type: ignore[attr-defined]
        if not claimed or outcome is None:
            return  # another worker recorded this already, or there was nothing to do
        row = db.get(ReviewRequest, request_id, populate_existing=True)
        assert row is not None
        _record(db, row, outcome, booking, asked, recipients, service_url)
        if (row.wanted == "booked" and row.status == "booked"
                and row.slot_id != row.booked_slot_id and row.synced_version >= row.version):
            # Written for an earlier wish than the latest (two workers, one behind the
            # other): go round again.
            row.version += 1
            outbox.enqueue(db, "backoffice", SYNC, row.id, {"version": row.version},
                           about=f"review:{row.id}")


def calendar_file(view: RequestView, summary: str, description: str, now: datetime) -> bytes:
    """An iCalendar file for the review."""
    return calendars.event_file(view.reference, view.start, view.end, summary, description,
                                now, sequence=view.version)


# Inside the module ------------------------------------------------------------

@dataclass(frozen=True)
class _Snapshot:
    person_id: str
    reference: str
    reason: str
    reason_detail: str | None
    answers: Answers
    slot_id: str
    slot_start: datetime
    wanted: str
    backoffice_id: str | None
    booked_slot_id: str | None
    version: int
    plan: str


def _write(backoffice: BackOfficeClient, request_id: str, asked: _Snapshot
           ) -> tuple[str | None, ReviewBooking | None]:
    """Make the back office match what is asked; say what happened."""
    if asked.wanted == "cancelled":
        # A booking whose answer was lost has no id here yet: find it by our reference.
        booking_id = asked.backoffice_id or next(
            (b.id for b in backoffice.list_review_bookings(asked.person_id)
             if b.portal_reference == asked.reference), None)
        if booking_id is None:
            return "withdrawn", None  # cancelled before the council had it
        return "cancelled", backoffice.cancel_review(asked.person_id, booking_id,
                                                     f"{request_id}-cancel")
    try:
        if asked.backoffice_id is None:
            notes = ReviewNotes(asked.answers.access_needs, asked.answers.others_attending,
                                asked.answers.language_support,
                                asked.answers.interpreter_language)
            return "confirmed", backoffice.book_review(
                asked.person_id, asked.slot_id, asked.reason, asked.reason_detail, notes,
                asked.reference, f"{request_id}-book", plan=CONTRACT_PLANS[asked.plan])
        if asked.slot_id != asked.booked_slot_id:
            return "moved", backoffice.move_review(asked.person_id, asked.backoffice_id,
                                                   asked.slot_id,
                                                   f"{request_id}-move-{asked.version}")
    except Conflict as error:
        if error.problem_type != "urn:care-record:slot-taken":
            raise
        return ("not-booked" if asked.backoffice_id is None else "not-moved"), None
    return None, None


def _record(db: Session, row: ReviewRequest, outcome: str, booking: ReviewBooking | None,
            asked: _Snapshot, recipients: list[contact.Recipient], service_url: str) -> None:
    now = utcnow()
    about = f"review:{row.id}"
    tell = _Teller(db, row, recipients, service_url)
    if booking is not None and outcome in ("confirmed", "moved"):
        row.status = "booked"
        row.backoffice_id = booking.id
        row.booked_slot_id, row.booked_start, row.booked_end = \
            booking.slot_id, booking.start, booking.end
        outbox.withdraw(db, about, "review-reminder")
        _event(db, row, outcome, booking.start, None, now)
        tell("review-booked" if outcome == "confirmed" else "review-moved", booking.start)
        reminder_at = datetime.combine(local_date(booking.start) - timedelta(days=1),
                                       REMINDER_TIME, LONDON)
        if reminder_at > now:
            tell("review-reminder", booking.start, not_before=reminder_at)
    elif outcome == "cancelled":
        row.status = "cancelled"
        outbox.withdraw(db, about, "review-reminder")
        _event(db, row, "cancelled", None, None, now)
        tell("review-cancelled", row.booked_start or row.slot_start)
    elif outcome == "withdrawn":
        row.status = "cancelled"
        _event(db, row, "cancelled", None, None, now)
    elif outcome == "not-booked":
        row.status = "not-booked"
        _event(db, row, "not-booked", asked.slot_start, None, now)
        tell("review-not-booked", asked.slot_start)
    elif outcome == "not-moved":
        # The review stays where the back office has it.
        assert row.booked_slot_id and row.booked_start and row.booked_end
        if row.slot_id == asked.slot_id:
            row.slot_id, row.slot_start, row.slot_end = \
                row.booked_slot_id, row.booked_start, row.booked_end
        _event(db, row, "not-moved", asked.slot_start, None, now)
        tell("review-not-booked", asked.slot_start)


class _Teller:
    """Queues one message to each recipient, in their language."""

    def __init__(self, db: Session, row: ReviewRequest, recipients: list[contact.Recipient],
                 service_url: str) -> None:
        self.db, self.row, self.recipients = db, row, recipients
        self.service_url = service_url
        self.url = service_url.rstrip("/") + "/your-requests"

    def __call__(self, key: str, start: datetime, not_before: datetime | None = None) -> None:
        for to in self.recipients:
            if not to.wants(key):
                continue
            stop_url = to.stop_link(self.service_url, key)
            outbox.tell(self.db, to, key, self._values(start, stop_url), not_before=not_before,
                        about=f"review:{self.row.id}", unsubscribe_url=stop_url)

    def _values(self, start: datetime, stop_url: str | None
                ) -> Callable[[str], dict[str, Any]]:
        """A review message's personalisation, in a language."""
        def values(language: str) -> dict[str, Any]:
            return {
                "person_name": self.row.person_name,
                "plan_of": messages.plan_of(self.row.plan, self.row.person_name, language),
                "when": messages.when(start, language),
                "when_mutated": messages.when(start, language, after_preposition=True),
                "how": messages.REVIEW_MODES[language][self.row.mode],
                "reference": self.row.reference, "url": self.url,
                **({"stop_url": stop_url} if stop_url else {}),
            }
        return values


def _changed(db: Session, row: ReviewRequest, kind: str, start: datetime | None,
             by_name: str, now: datetime) -> None:
    """Note a change the person asked for, and queue the back-office write for it."""
    _event(db, row, kind, start, by_name, now)
    outbox.enqueue(db, "backoffice", SYNC, row.id, {"version": row.version},
                   about=f"review:{row.id}")


def _event(db: Session, row: ReviewRequest, kind: str, start: datetime | None,
           by_name: str | None, now: datetime) -> None:
    db.add(ReviewEvent(request_id=row.id, kind=kind, start=start, by_name=by_name, at=now))


def _still_to_come(db: Session, person_id: str, now: datetime,
                   plan: str) -> ReviewRequest | None:
    return db.scalars(select(ReviewRequest).where(
        ReviewRequest.person_id == person_id, ReviewRequest.plan == plan,
        ReviewRequest.wanted == "booked",
        ReviewRequest.status.in_(("requested", "booked")),
        ReviewRequest.slot_end > now).order_by(ReviewRequest.slot_start)).first()


def _owned(db: Session, person_id: str, request_id: str) -> ReviewRequest:
    row = db.get(ReviewRequest, request_id)
    if row is None or row.person_id != person_id:
        raise LookupError(request_id)
    return row


def _changeable(db: Session, person_id: str, request_id: str) -> ReviewRequest:
    """One of the person's requests that can still be moved or cancelled."""
    row = _owned(db, person_id, request_id)
    if row.wanted != "booked" or row.status not in ("requested", "booked"):
        raise LookupError(request_id)
    return row


def _answers(row: ReviewRequest) -> Answers:
    return Answers(row.reason, row.reason_detail, row.mode, row.access_needs,
                   row.others_attending, row.language_support, row.interpreter_language)


def _status(row: ReviewRequest) -> str:
    if row.wanted == "cancelled" and row.status != "cancelled":
        return "cancel-requested"
    if row.status == "booked" and row.slot_id != row.booked_slot_id:
        return "move-requested"
    return row.status


def _view(db: Session, row: ReviewRequest) -> RequestView:
    steps = [Step(e.kind, e.at, e.start, e.by_name) for e in db.scalars(
        select(ReviewEvent).where(ReviewEvent.request_id == row.id).order_by(ReviewEvent.id))]
    return RequestView(row.id, row.reference, _status(row), row.slot_start, row.slot_end,
                       row.mode, row.reason, row.reason_detail, _answers(row), row.person_name,
                       row.requested_by_name, row.version, steps, plan=row.plan)


def _with_council(view: RequestView, booking: ReviewBooking | None) -> RequestView:
    """What the council has done since: held the review, or cancelled it."""
    if booking is None or view.status not in ("booked", "move-requested"):
        return view
    if booking.status == "fulfilled":
        return _replace(view, "done", Step("done", booking.end, booking.start))
    if booking.status == "cancelled":
        at = next((h.at for h in booking.history if h.action == "cancelled"), booking.end)
        return _replace(view, "cancelled", Step("cancelled", at))
    return view


def _replace(view: RequestView, status: str, step: Step) -> RequestView:
    return replace(view, status=status, timeline=[*view.timeline, step])


def _council_booking(booking: ReviewBooking, person_name: str) -> RequestView:
    """A review the council booked itself (by phone, say)."""
    kinds = {"booked": "confirmed", "moved": "moved", "cancelled": "cancelled"}
    steps = [Step(kinds[h.action], h.at, h.start) for h in booking.history]
    status = {"booked": "booked", "fulfilled": "done"}.get(booking.status, "cancelled")
    if status == "done":
        steps.append(Step("done", booking.end, booking.start))
    return RequestView(booking.id, booking.portal_reference or booking.id, status,
                       booking.start, booking.end, booking.mode, booking.reason, None, None,
                       person_name, None, 1, steps, from_portal=False)
