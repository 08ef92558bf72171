"""Unpaid carers: the support plan agreed with a carer, their requests for a carer's
needs assessment (FHIR ServiceRequest), moved on by the council in drills, and their
emergency plans, the highest version of each kept."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, jsonify

from portal.sandbox.backoffice import data
from portal.sandbox.backoffice.http import (
    created,
    json_body,
    not_the_contract,
    problem,
    replayed,
)
from portal.sandbox.backoffice.state import as_of, current, now_utc

bp = Blueprint("carers", __name__)


@bp.get("/v1/people/<person_id>/carer-support-plan")
def get_carer_support_plan(person_id: str) -> Response:
    demo = current().find(person_id)
    if demo.carer_plan is None:
        return problem(404, "No carer's support plan has been agreed", "urn:care-record:no-plan")
    return jsonify({**demo.carer_plan, "as_of": as_of()})


@bp.get("/v1/people/<person_id>/carer-assessment-requests")
def list_carer_assessment_requests(person_id: str) -> Response:
    held = current()
    held.find(person_id)
    with held.lock:
        found = sorted((r for r in held.carer_requests.values()
                        if r["carer_person_id"] == person_id), key=lambda r: r["authored_on"])
    return jsonify({"carer_assessment_requests": found, "as_of": as_of()})


@bp.get("/v1/carer-assessment-requests/<request_id>")
def get_carer_assessment_request(request_id: str) -> Response:
    held = current()
    with held.lock:
        found = held.carer_requests.get(request_id)
    if found is None:
        return problem(404, "Carer's assessment request not found", "urn:care-record:not-found")
    return jsonify({**found, "as_of": as_of()})


@bp.post("/v1/carer-assessment-requests")
@replayed
def request_carer_assessment() -> Response:
    held = current()
    body = json_body(closed_to=frozenset(data.CARER_REQUEST_FIELDS))
    wrong = data.carer_request_problem(body)
    if wrong is not None:
        return not_the_contract(wrong)
    carer_id = body["carer"].get("person_id")
    if carer_id is not None and carer_id not in held.people:
        return not_the_contract("carer.person_id is not a person the council holds")
    at = now_utc()
    made = {"id": f"car-{uuid.uuid4().hex[:12]}", "status": "active",
            "business_status": "received", "priority": body["priority"],
            "portal_reference": body["portal_reference"], "carer_person_id": carer_id,
            "cared_for_name": body["cared_for"]["name"], "authored_on": at,
            "history": [{"business_status": "received", "at": at}]}
    with held.lock:
        held.carer_requests[made["id"]] = made
    return created({**made, "as_of": as_of()})


@bp.post("/_sandbox/carer-assessment-requests/<request_id>/progress")
def progress_carer_request(request_id: str) -> Response:
    """For drills: the council moves the request on (contacted, assessed ...)."""
    held = current()
    step = str(json_body().get("business_status", ""))
    with held.lock:
        found = held.carer_requests.get(request_id)
        if found is None or step not in data.CARER_REQUEST_STEPS:
            return problem(404, "No such request or step")
        found["business_status"] = step
        found["status"] = "completed" if step in ("plan-agreed", "closed") else "active"
        found["history"].append({"business_status": step, "at": now_utc()})
        return jsonify(found)


@bp.post("/v1/carer-emergency-plans")
@replayed
def keep_emergency_plan() -> Response:
    held = current()
    body = json_body(closed_to=frozenset(data.EMERGENCY_PLAN_FIELDS))
    wrong = data.emergency_plan_problem(body)
    if wrong is not None:
        return not_the_contract(wrong)
    with held.lock:
        kept = next((p for p in held.emergency_plans.values()
                     if p["portal_reference"] == body["portal_reference"]), None)
        if kept is None:
            kept = {"id": f"cep-{uuid.uuid4().hex[:12]}",
                    "portal_reference": body["portal_reference"], "version": 0}
            held.emergency_plans[kept["id"]] = kept
        if body["version"] > kept["version"]:  # one sent late changes nothing
            kept.update(version=body["version"], received_at=now_utc(), plan=body)
        return created({**kept, "as_of": as_of()})


@bp.get("/v1/carer-emergency-plans/<plan_id>")
def get_emergency_plan(plan_id: str) -> Response:
    held = current()
    with held.lock:
        found = held.emergency_plans.get(plan_id)
    if found is None:
        return problem(404, "Emergency plan not found", "urn:care-record:not-found")
    return jsonify({**found, "as_of": as_of()})
