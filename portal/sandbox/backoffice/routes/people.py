"""People: matching a record for linking, the record, its plan and visits, and who is
related to whom, with what authority."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import Blueprint, Response, jsonify

from portal.clock import utcnow
from portal.sandbox.backoffice import data
from portal.sandbox.backoffice.http import (
    INVALID,
    created,
    date_range,
    feed_window,
    json_body,
    problem,
    replayed,
)
from portal.sandbox.backoffice.state import BackOffice, as_of, current, now_utc

bp = Blueprint("people", __name__)


@bp.post("/v1/people/match")
@replayed
def match_person() -> Response:
    body = json_body(closed_to=frozenset({"council_reference", "birth_date"}))
    reference = str(body.get("council_reference", "")).strip().upper()
    demo = current().by_reference.get(reference)
    if demo is None or demo.person["birth_date"] != body.get("birth_date"):
        return problem(404, "No person matches these details", "urn:care-record:no-match")
    return jsonify({**demo.person, "as_of": as_of()})


@bp.get("/v1/people/<person_id>")
def get_person(person_id: str) -> Response:
    return jsonify({**current().find(person_id).person, "as_of": as_of()})


@bp.get("/v1/people/<person_id>/care-plan")
def get_care_plan(person_id: str) -> Response:
    demo = current().find(person_id)
    if demo.plan is None:
        return problem(404, "No care and support plan has been agreed yet",
                       "urn:care-record:no-plan")
    return jsonify({**demo.plan, "as_of": as_of()})


@bp.get("/v1/people/<person_id>/visits")
def list_visits(person_id: str) -> Response:
    held = current()
    demo = held.find(person_id)
    asked = date_range()
    if isinstance(asked, Response):
        return asked
    return jsonify({"visits": data.visits(demo, *asked, utcnow(), held.visit_news),
                    "as_of": as_of()})


@bp.get("/v1/people/<person_id>/visits/<visit_id>")
def get_visit(person_id: str, visit_id: str) -> Response:
    held = current()
    visit = _visit(held, held.find(person_id), visit_id)
    if visit is None:
        return problem(404, "No such visit", "urn:care-record:not-found")
    news = held.visit_news.get(visit_id, {})
    record = news["record"] if "record" in news else data.visit_record(visit)
    return jsonify({"visit": visit, "record": record, "as_of": as_of()})


@bp.get("/v1/people/<person_id>/related-people")
def list_related_people(person_id: str) -> Response:
    held = current()
    related = [{**r, **held.elsewhere(r.get("person_id"))}
               for r in held.find(person_id).related]
    return jsonify({"related_people": related, "as_of": as_of()})


@bp.get("/v1/people/<person_id>/authorities-held")
def list_authorities_held(person_id: str) -> Response:
    # Wales' councils share who holds which authority for whom: the authorities a
    # person holds over people whose records other councils hold are listed too.
    held = current()
    held.find(person_id)
    found = [{"person_id": other.person["id"], **held.elsewhere(other.person["id"]),
              "person_name": other.person["name"], "holder_name": related["name"],
              "authority": authority}
             for other in held.everyone.values() for related in other.related
             if related.get("person_id") == person_id
             for authority in related["authorities"]]
    return jsonify({"authorities_held": found, "as_of": as_of()})


@bp.post("/_sandbox/people/<person_id>/related-people")
def add_related_person(person_id: str) -> Response:
    """For drills: the council records someone related to the person, with an
    authority (a best-interests decision, say)."""
    held = current()
    demo = held.find(person_id)
    related = json_body()
    with held.lock:
        demo.related.append({"id": f"r-{uuid.uuid4().hex[:8]}", **related})
    return created(related)


# What a provider's call monitoring may say of a visit, and what each needs with it.
VISIT_NEWS = {"booked": set(), "on-the-way": set(), "in-progress": {"actual"},
              "completed": {"actual"}, "late": set(), "missed": set(), "cancelled": set(),
              "moved": {"moved_to"}}


@bp.post("/_sandbox/people/<person_id>/visits/<visit_id>")
def visit_news(person_id: str, visit_id: str) -> Response:
    """For the demo and drills: what the provider's call monitoring says of one of the
    person's visits now, as {"status": ..., "expected_start": ..., "actual": {...},
    "moved_to": {...}} (a care worker on the way, running late with a new expected time,
    arrived, finished, missed, cancelled, or moved to another time)."""
    held = current()
    planned = _visit(held, held.find(person_id), visit_id)
    if planned is None:
        return problem(404, "No such visit", "urn:care-record:not-found")
    news = json_body(closed_to=frozenset({"status", "expected_start", "actual", "moved_to",
                                          "carer_first_name", "record"}))
    needs = VISIT_NEWS.get(str(news.get("status")))
    if needs is None or not needs <= news.keys():
        return problem(400, "Say what happened: a status, and what it needs", INVALID,
                       f"status is one of {', '.join(VISIT_NEWS)}; in-progress and "
                       "completed need actual, moved needs moved_to")
    with held.lock:
        held.visit_news[visit_id] = news
        held.visit_events.append({
            "id": str(len(held.visit_events) + 1), "person_id": person_id,
            "visit_id": visit_id, "status": news["status"],
            "planned_start": planned["planned"]["start"],
            "expected_start": news.get("expected_start"),
            "actual_start": (news.get("actual") or {}).get("start"),
            "moved_to": (news.get("moved_to") or {}).get("start"), "at": now_utc()})
    return created({"id": visit_id, **news})


@bp.get("/v1/visit-events")
def visit_events() -> Response:
    window = feed_window()
    if isinstance(window, Response):
        return window
    after, limit = window
    held = current()
    with held.lock:
        found = held.visit_events[after:after + limit]
    return jsonify({"events": found, "next": str(after + len(found))})


def _visit(held: BackOffice, demo: data.DemoPerson, visit_id: str) -> dict[str, Any] | None:
    """The person's visit with this id (v-<person>-<day>-<round>), as it stands now."""
    _, _, day_and_round = visit_id.partition(f"v-{demo.person['id']}-")
    try:
        day = date.fromisoformat(day_and_round[:10])
    except ValueError:
        return None
    return next((v for v in data.visits(demo, day, day, utcnow(), held.visit_news)
                 if v["id"] == visit_id), None)
