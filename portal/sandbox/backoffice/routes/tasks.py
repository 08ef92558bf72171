"""What people tell the council through the portal (FHIR Tasks): reports about
visits, changes in their lives, financial assessments and asking the council to look
at one again, direct payment returns; listed, told, and answered by the council in
drills. One blueprint for each kind, made by `blueprint`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
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


def blueprint(path: str, listed_as: str, fields: tuple[str, ...],
              problem_of: Callable[[dict[str, Any]], str | None],
              kept: Callable[[dict[str, Any]], dict[str, Any]],
              urgent: Callable[[dict[str, Any]], bool],
              outcome: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
              refers: Callable[[str, dict[str, Any]], str | None] = lambda _p, _b: None
              ) -> Blueprint:
    """The API of one kind of task, held in the back office's `listed_as`. A kind
    with an `outcome` (FHIR Task.output) has one from what the council's answer says;
    `refers(person_id, body)` says what is wrong with what a task refers to, if anything."""
    bp = Blueprint(listed_as, __name__)

    @bp.get(f"/v1/people/<person_id>/{path}")
    def listed(person_id: str) -> Response:
        held = current()
        held.find(person_id)
        with held.lock:
            found = sorted(({k: v for k, v in t.items() if k != "person_id"}
                            for t in held.tasks(listed_as).values()
                            if t["person_id"] == person_id), key=lambda t: t["authored_on"])
        return jsonify({listed_as: found, "as_of": as_of()})

    @bp.post(f"/v1/people/<person_id>/{path}")
    @replayed
    def told(person_id: str) -> Response:
        held = current()
        held.find(person_id)
        body = json_body(closed_to=frozenset(fields))
        wrong = problem_of(body)
        if wrong is None:
            with held.lock:
                wrong = refers(person_id, body)
        if wrong is not None:
            return not_the_contract(wrong)
        at = now_utc()
        made = {"id": f"t-{uuid.uuid4().hex[:12]}", "person_id": person_id, **kept(body),
                "priority": "urgent" if urgent(body) else "routine", "status": "received",
                "portal_reference": body["portal_reference"], "authored_on": at,
                "answer": None, "answer_language": None,
                "history": [{"status": "received", "at": at}]}
        with held.lock:
            held.tasks(listed_as)[made["id"]] = made
        return created({k: v for k, v in made.items() if k != "person_id"})

    @bp.get(f"/_sandbox/{path}")
    def every() -> Response:
        """For drills: every one held, oldest first, to find one by its portal reference."""
        held = current()
        with held.lock:
            found = sorted((dict(t) for t in held.tasks(listed_as).values()),
                           key=lambda t: t["authored_on"])
        return jsonify({listed_as: found})

    @bp.post(f"/_sandbox/{path}/<task_id>/answer")
    def answer(task_id: str) -> Response:
        """For drills: the council answers and closes it."""
        held = current()
        body = json_body()
        with held.lock:
            found = held.tasks(listed_as).get(task_id)
            if found is None:
                return problem(404, "Not found")
            found.update(status="completed", answer=str(body.get("answer", "")),
                         answer_language=body.get("language") if body.get("language") in (
                             "cy", "en") else None)
            if outcome is not None:
                found["outcome"] = outcome(body)
            found["history"].append({"status": "completed", "at": now_utc()})
            return jsonify(found)

    return bp


visit_reports = blueprint(
    "visit-reports", "visit_reports", data.VISIT_REPORT_FIELDS, data.visit_report_problem,
    lambda body: {"visit_id": body["visit_id"], "what_happened": body["what_happened"]},
    lambda body: bool(body["at_risk"]))
changes = blueprint(
    "changes", "changes", data.CHANGE_FIELDS, data.change_problem,
    lambda body: {"kind": body["kind"]},
    lambda body: body["kind"] in data.URGENT_CHANGES or bool(body["at_risk"]))


def _evidence_names(body: dict[str, Any]) -> dict[str, Any]:
    return {"evidence": [e["filename"] for e in body["evidence"]], "outcome": None}


def _weekly_charge(body: dict[str, Any]) -> dict[str, Any] | None:
    charge = body.get("weekly_charge_pence")
    return {"weekly_charge_pence": charge} if isinstance(charge, int) and charge >= 0 else None


financial_assessments = blueprint(
    "financial-assessments", "financial_assessments", data.FINANCIAL_ASSESSMENT_FIELDS,
    data.financial_assessment_problem, _evidence_names, lambda body: False, _weekly_charge)



def _decided_assessment(person_id: str, body: dict[str, Any]) -> str | None:
    """A review is of one of the person's financial assessments the council decided."""
    assessment = current().financial_assessments.get(body["financial_assessment_id"])
    if assessment is None or assessment["person_id"] != person_id:
        return "financial_assessment_id must be a financial assessment of this person"
    if assessment["status"] != "completed":
        return "financial_assessment_id must be a financial assessment the council has decided"
    return None


charging_reviews = blueprint(
    "charging-reviews", "charging_reviews", data.CHARGING_REVIEW_FIELDS,
    data.charging_review_problem,
    lambda body: {"part_of": body["financial_assessment_id"], "reasons": body["reasons"],
                  "told_by": body["told_by"], "outcome": None},
    lambda body: False, _weekly_charge, _decided_assessment)

direct_payment_returns = blueprint(
    "direct-payment-returns", "direct_payment_returns", data.DIRECT_PAYMENT_RETURN_FIELDS,
    data.direct_payment_return_problem, lambda body: {"period_id": body["period_id"]},
    lambda body: False)
