"""Requests for an assessment of care and support needs (FHIR ServiceRequest), from
anyone: the person themselves, someone asking for them, or their advocate. The
council moves each on in drills: contacted, the assessment booked, its outcome, or
closed with a reason; and, where the assessment leads to a plan, the record it made."""

from __future__ import annotations

import uuid
from typing import Any

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

bp = Blueprint("assessments", __name__)


@bp.post("/v1/assessment-requests")
@replayed
def request_assessment() -> Response:
    body = json_body(closed_to=frozenset(data.ASSESSMENT_REQUEST_FIELDS))
    wrong = data.assessment_request_problem(body)
    if wrong is not None:
        return not_the_contract(wrong)
    at = now_utc()
    made = {"id": f"asr-{uuid.uuid4().hex[:12]}", "status": "active",
            "business_status": "received", "priority": body["priority"],
            "portal_reference": body["portal_reference"], "authored_on": at,
            "history": [{"business_status": "received", "at": at}],
            "assessment_at": None, "outcome": None, "closed_reason": None,
            "person_id": None}
    held = current()
    with held.lock:
        held.assessment_requests[made["id"]] = {**made, "asked": body}
    return created({**made, "as_of": as_of()})


@bp.get("/v1/assessment-requests/<request_id>")
def get_assessment_request(request_id: str) -> Response:
    held = current()
    with held.lock:
        found = held.assessment_requests.get(request_id)
    if found is None:
        return problem(404, "Assessment request not found", "urn:care-record:not-found")
    return jsonify({**_shown(found), "as_of": as_of()})


@bp.get("/_sandbox/assessment-requests")
def every_request() -> Response:
    """For drills: every request asked through the portal, with the ids to move them on."""
    held = current()
    with held.lock:
        found = [_shown(r) for r in held.assessment_requests.values() if r["asked"]]
    return jsonify(sorted(found, key=lambda r: r["authored_on"]))


@bp.post("/_sandbox/assessment-requests/<request_id>/progress")
def progress(request_id: str) -> Response:
    """For drills: the council moves the request on. `business_status` is the step;
    with assessment-booked, `assessment_at` (ISO 8601); with assessed, `outcome`
    (eligible or information-and-advice) and its `detail`, and for eligible, with
    `make_record`, the care record the council opened for the person; with closed,
    `closed_reason`."""
    held = current()
    said = json_body()
    step = str(said.get("business_status", ""))
    with held.lock:
        found = held.assessment_requests.get(request_id)
        if found is None or step not in data.ASSESSMENT_REQUEST_STEPS:
            return problem(404, "No such request or step")
        if step == "assessment-booked":
            found["assessment_at"] = str(said["assessment_at"])
        if step == "assessed":
            if said.get("outcome") not in data.ASSESSMENT_OUTCOMES:
                return problem(400, "outcome must be eligible or information-and-advice")
            found["outcome"] = {"kind": said["outcome"], "detail": said.get("detail"),
                                "detail_language": said.get("detail_language")}
            if said.get("make_record") and said["outcome"] == "eligible":
                found["person_id"] = _open_record(found["asked"]["subject"])
        if step == "closed":
            found["closed_reason"] = str(said.get("closed_reason") or "")
        found["business_status"] = step
        found["status"] = "completed" if step in ("assessed", "closed") else "active"
        found["history"].append({"business_status": step, "at": now_utc()})
        return jsonify(_shown(found))


def _shown(found: dict[str, Any]) -> dict[str, Any]:
    """The request as the contract gives it: what was asked stays with the council."""
    return {key: value for key, value in found.items() if key != "asked"}


def _open_record(subject: dict[str, Any]) -> str:
    """A care record for the person the request was about, as the council opens one
    when an assessment finds needs a plan will meet."""
    held = current()
    number = 9000 + len(held.people)
    given, _, family = subject["name"].partition(" ")
    person_id = f"p-{number}"
    held.people[person_id] = data.DemoPerson(
        data.person_record(person_id, f"N{number}", given, family or given,
                         subject.get("birth_date") or "1950-01-01",
                         subject["preferred_language"], subject["address"].splitlines(),
                         "", subject["postal_code"], None),
        council=held.council or data.GWYNEDD)
    held.everyone[person_id] = held.people[person_id]
    held.ledger[person_id] = []
    return person_id
