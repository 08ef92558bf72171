"""Reviews: free slots (FHIR Slot), and bookings made, moved and cancelled (FHIR
Appointment)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify

from portal.clock import utcnow
from portal.sandbox.backoffice import data
from portal.sandbox.backoffice.http import created, date_range, json_body, problem, replayed
from portal.sandbox.backoffice.state import as_of, current, now_utc

bp = Blueprint("reviews", __name__)
MAX_RANGE_DAYS = 62  # review slots: "at most 62 days after from"
TAKEN = "urn:care-record:slot-taken"


def free_slot(person_id: str, slot_id: str, ignoring: str | None = None
              ) -> dict[str, Any] | None:
    """The slot, if it exists and the person has no other live review at its time."""
    try:
        day = date.fromisoformat(slot_id.removeprefix(f"s-{person_id}-")[:10])
    except ValueError:
        return None
    slot = next((s for s in data.review_slots(person_id, day, day, utcnow())
                 if s["id"] == slot_id), None)
    if slot is None or any(b["start"] == slot["start"] and b["status"] == "booked"
                           and b["id"] != ignoring for b in current().bookings.values()
                           if b["person_id"] == person_id):
        return None
    return slot


def booking_body(booking: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in booking.items() if k != "person_id"}
    # The council marks a review done once it has happened.
    if booking["status"] == "booked" and booking["end"] < data._utc(utcnow()):
        shown["status"] = "fulfilled"
    return shown


def live_booking(person_id: str, booking_id: str) -> dict[str, Any] | Response:
    booking = current().bookings.get(booking_id)
    if booking is None or booking["person_id"] != person_id:
        return problem(404, "Review booking not found", "urn:care-record:not-found")
    return booking


@bp.get("/v1/people/<person_id>/review-slots")
def list_review_slots(person_id: str) -> Response:
    held = current()
    held.find(person_id)
    asked = date_range(longest=MAX_RANGE_DAYS)
    if isinstance(asked, Response):
        return asked
    with held.lock:
        slots = [s for s in data.review_slots(person_id, *asked, utcnow())
                 if free_slot(person_id, s["id"]) is not None]
    return jsonify({"slots": slots, "as_of": as_of()})


@bp.get("/v1/people/<person_id>/review-bookings")
def list_review_bookings(person_id: str) -> Response:
    held = current()
    held.find(person_id)
    with held.lock:
        found = sorted((booking_body(b) for b in held.bookings.values()
                        if b["person_id"] == person_id), key=lambda b: b["start"])
    return jsonify({"review_bookings": found, "as_of": as_of()})


@bp.post("/v1/people/<person_id>/review-bookings")
@replayed
def book_review(person_id: str) -> Response:
    held = current()
    held.find(person_id)
    body = json_body()
    slot = free_slot(person_id, str(body.get("slot_id", "")))
    if slot is None:
        return problem(409, "That time is no longer free", TAKEN)
    booking = {
        "id": f"rb-{uuid.uuid4().hex[:12]}", "person_id": person_id, "status": "booked",
        "slot_id": slot["id"], "start": slot["start"], "end": slot["end"],
        "mode": slot["mode"], "reason": body.get("reason", "other"),
        "reason_detail": body.get("reason_detail"), "notes": body.get("notes"),
        "portal_reference": body.get("portal_reference"),
        "plan": body.get("plan") if body.get("plan") in data.PLANS else data.PLANS[0],
        "created": now_utc(),
        "history": [{"action": "booked", "at": now_utc(), "start": slot["start"]}],
    }
    held.bookings[booking["id"]] = booking
    return created(booking_body(booking))


@bp.post("/v1/people/<person_id>/review-bookings/<booking_id>/move")
@replayed
def move_review(person_id: str, booking_id: str) -> Response:
    booking = live_booking(person_id, booking_id)
    if isinstance(booking, Response):
        return booking
    if booking["status"] != "booked":
        return problem(409, "Only a booked review can be moved", "urn:care-record:not-booked")
    slot = free_slot(person_id, str(json_body().get("slot_id", "")), ignoring=booking_id)
    if slot is None:
        return problem(409, "That time is no longer free", TAKEN)
    booking.update(slot_id=slot["id"], start=slot["start"], end=slot["end"], mode=slot["mode"])
    booking["history"].append({"action": "moved", "at": now_utc(), "start": slot["start"]})
    return jsonify(booking_body(booking))


@bp.post("/v1/people/<person_id>/review-bookings/<booking_id>/cancel")
@replayed
def cancel_review(person_id: str, booking_id: str) -> Response:
    booking = live_booking(person_id, booking_id)
    if isinstance(booking, Response):
        return booking
    if booking["status"] == "booked":
        booking["status"] = "cancelled"
        booking["history"].append({"action": "cancelled", "at": now_utc(), "start": None})
    return jsonify(booking_body(booking))
