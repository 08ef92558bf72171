"""Sandbox back office: serves the Care Record API v1 from the demo data."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask, Response, jsonify, request

from portal.sandbox import faults as fault_injection
from portal.sandbox.backoffice import data

PROBLEM = "application/problem+json"
MAX_RANGE_DAYS = 62


def problem(status: int, title: str, type_: str = "about:blank", detail: str | None = None
            ) -> Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM
    return response


def create_app(api_key: str = "sandbox-backoffice-key",
               faults: fault_injection.Faults | None = None) -> Flask:
    """The sandbox back office, answering only requests that carry api_key."""
    app = Flask(__name__)
    people = data.people()
    by_reference = {d.person["council_reference"].upper(): d for d in people.values()}
    idempotent: dict[str, tuple[str, Response]] = {}
    lock = threading.Lock()
    app.extensions["sandbox_faults"] = faults or fault_injection.Faults()
    fault_injection.install(
        app, app.extensions["sandbox_faults"],
        lambda status: problem(status, "Back office unavailable", "urn:care-record:unavailable"))

    def as_of() -> str:
        # The sandbox "syncs" every quarter hour, like a batch-fed back office.
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        return (now - timedelta(minutes=now.minute % 15)).isoformat().replace("+00:00", "Z")

    @app.before_request
    def authenticate() -> Response | None:
        if request.path.startswith("/_sandbox/"):
            return None
        if request.headers.get("Authorization") != f"Bearer {api_key}":
            return problem(401, "Missing or wrong API key")
        if request.method == "POST" and not request.headers.get("Idempotency-Key"):
            return problem(400, "Idempotency-Key header is required")
        return None

    class UnknownPerson(Exception):
        pass

    def find(person_id: str) -> data.DemoPerson:
        if person_id not in people:
            raise UnknownPerson(person_id)
        return people[person_id]

    @app.errorhandler(UnknownPerson)
    def unknown_person(_error: UnknownPerson) -> Response:
        return problem(404, "Person not found", "urn:care-record:not-found")

    @app.post("/v1/people/match")
    def match_person() -> Response:
        key = request.headers["Idempotency-Key"]
        body = request.get_json(silent=True) or {}
        with lock:
            if key in idempotent:
                return idempotent[key][1]
        reference = str(body.get("council_reference", "")).strip().upper()
        demo = by_reference.get(reference)
        if demo is None or demo.person["birth_date"] != body.get("birth_date"):
            response = problem(404, "No person matches these details", "urn:care-record:no-match")
        else:
            response = jsonify({**demo.person, "as_of": as_of()})
        with lock:
            idempotent[key] = (key, response)
        return response

    @app.get("/v1/people/<person_id>")
    def get_person(person_id: str) -> Response:
        demo = find(person_id)
        return jsonify({**demo.person, "as_of": as_of()})

    @app.get("/v1/people/<person_id>/care-plan")
    def get_care_plan(person_id: str) -> Response:
        demo = find(person_id)
        if demo.plan is None:
            return problem(404, "No care and support plan has been agreed yet",
                           "urn:care-record:no-plan")
        return jsonify({**demo.plan, "as_of": as_of()})

    @app.get("/v1/people/<person_id>/visits")
    def list_visits(person_id: str) -> Response:
        demo = find(person_id)
        try:
            start = date.fromisoformat(request.args["from"])
            end = date.fromisoformat(request.args["to"])
        except (KeyError, ValueError):
            return problem(400, "from and to must be dates (YYYY-MM-DD)")
        if end < start or (end - start).days > MAX_RANGE_DAYS:
            return problem(
                400, f"The range must run forwards and span at most {MAX_RANGE_DAYS} days")
        visits = data.visits(demo, start, end, datetime.now(UTC))
        return jsonify({"visits": visits, "as_of": as_of()})

    @app.get("/v1/people/<person_id>/related-people")
    def list_related_people(person_id: str) -> Response:
        demo = find(person_id)
        return jsonify({"related_people": demo.related, "as_of": as_of()})

    @app.get("/v1/people/<person_id>/authorities-held")
    def list_authorities_held(person_id: str) -> Response:
        find(person_id)
        held = [{"person_id": other.person["id"], "person_name": other.person["name"],
                 "holder_name": related["name"], "authority": authority}
                for other in people.values() for related in other.related
                if related.get("person_id") == person_id
                for authority in related["authorities"]]
        return jsonify({"authorities_held": held, "as_of": as_of()})

    @app.errorhandler(404)
    def not_found(_error: Exception) -> Response:
        return problem(404, "No such resource")

    @app.errorhandler(405)
    def not_allowed(_error: Exception) -> Response:
        return problem(405, "Method not allowed")

    return app
