"""Sandbox back office: serves the Care Record API v1 from the demo data."""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from portal.clock import today, utcnow
from portal.sandbox import faults as fault_injection
from portal.sandbox.backoffice import area, conversations, data, documents

PROBLEM = "application/problem+json"
MAX_RANGE_DAYS = 62  # review slots: "at most 62 days after from"
IDEMPOTENCY_KEY_LENGTH = (8, 128)


class NotAnObject(Exception):
    """A request body that is not the JSON object every POST of the contract takes."""


class UnknownProperties(Exception):
    """A body with properties its schema does not allow (`additionalProperties: false`)."""


def json_body(closed_to: frozenset[str] | None = None) -> dict[str, Any]:
    """The request's JSON object; with `closed_to`, one holding no other properties."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise NotAnObject()
    if closed_to is not None and set(body) - closed_to:
        raise UnknownProperties(", ".join(sorted(set(body) - closed_to)))
    return body


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
               faults: fault_injection.Faults | None = None,
               council: str | None = None) -> Flask:
    """The sandbox back office, answering only requests that carry api_key: of one
    council (its demo people and its area), or, without one, of every demo person."""
    app = Flask(__name__)
    everyone = data.people()
    people = {**{pid: d for pid, d in everyone.items() if council in (None, d.council)},
              **area.people(today(), council)}
    app.extensions["people"] = people
    by_reference = {d.person["council_reference"].upper(): d for d in people.values()}
    # Review bookings (FHIR Appointment) made through the API, by id.
    bookings: dict[str, dict[str, Any]] = {}
    # Answers to POSTs, by operation (method and path) and Idempotency-Key: (status,
    # body). A key belongs to one operation: used on another, it is a new request there.
    replies: dict[tuple[str, str, str], tuple[int, dict[str, Any]]] = {}
    lock = threading.RLock()
    app.extensions["review_bookings"] = bookings
    # Invoices by person, with the payments recorded against them (the council's ledger).
    ledger = {pid: data.invoices(pid, today()) for pid in people}
    app.extensions["ledger"] = ledger
    # Carer's needs assessment requests (FHIR ServiceRequest), by id.
    carer_requests = {r["id"]: dict(r) for d in people.values() for r in d.carer_requests}
    app.extensions["carer_requests"] = carer_requests
    app.extensions["sandbox_faults"] = faults or fault_injection.Faults()
    fault_injection.install(
        app, app.extensions["sandbox_faults"],
        lambda status: problem(status, "Back office unavailable", "urn:care-record:unavailable"))

    def as_of() -> str:
        # The sandbox "syncs" every quarter hour, like a batch-fed back office.
        now = utcnow().replace(second=0, microsecond=0)
        return (now - timedelta(minutes=now.minute % 15)).isoformat().replace("+00:00", "Z")

    # The X-Request-Id of each call, latest last, as a real system's logs would show.
    request_ids: deque[str | None] = deque(maxlen=1000)
    app.extensions["request_ids"] = request_ids

    @app.before_request
    def authenticate() -> Response | None:
        if request.path.startswith("/_sandbox/"):
            return None
        request_ids.append(request.headers.get("X-Request-Id"))
        if request.headers.get("Authorization") != f"Bearer {api_key}":
            return problem(401, "Missing or wrong API key")
        if request.method == "POST" and not \
                IDEMPOTENCY_KEY_LENGTH[0] <= len(request.headers.get("Idempotency-Key", "")) \
                <= IDEMPOTENCY_KEY_LENGTH[1]:
            return problem(400, "An Idempotency-Key header of 8 to 128 characters is required")
        return None

    class UnknownPerson(Exception):
        pass

    def find(person_id: str) -> data.DemoPerson:
        if person_id not in people:
            raise UnknownPerson(person_id)
        return people[person_id]

    def date_range(longest: int | None = None) -> tuple[date, date] | Response:
        """The query's from and to dates, or the problem with them: they must run
        forwards, and span no more than `longest` days where the contract says so."""
        try:
            start = date.fromisoformat(request.args["from"])
            end = date.fromisoformat(request.args["to"])
        except (KeyError, ValueError):
            return problem(400, "from and to must be dates (YYYY-MM-DD)")
        if end < start:
            return problem(400, "The range must run forwards")
        if longest is not None and (end - start).days > longest:
            return problem(400, f"The range must span at most {longest} days")
        return start, end

    @app.errorhandler(UnknownPerson)
    def unknown_person(_error: UnknownPerson) -> Response:
        return problem(404, "Person not found", "urn:care-record:not-found")

    def replayed(change: Any) -> Any:
        """Answer a repeated Idempotency-Key with the first answer, without acting again."""
        def once(*args: Any, **kwargs: Any) -> Response:
            key = (request.method, request.path, request.headers["Idempotency-Key"])
            with lock:
                if key not in replies:
                    answer = change(*args, **kwargs)
                    if answer.status_code < 500:
                        replies[key] = (answer.status_code, answer.get_json())
                    return answer
                status, body = replies[key]
            response = jsonify(body)
            response.status_code = status
            if status >= 400:
                response.content_type = PROBLEM
            return response
        once.__name__ = change.__name__
        return once

    @app.post("/v1/people/match")
    @replayed
    def match_person() -> Response:
        body = json_body(closed_to=frozenset({"council_reference", "birth_date"}))
        reference = str(body.get("council_reference", "")).strip().upper()
        demo = by_reference.get(reference)
        if demo is None or demo.person["birth_date"] != body.get("birth_date"):
            return problem(404, "No person matches these details", "urn:care-record:no-match")
        return jsonify({**demo.person, "as_of": as_of()})

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
        asked = date_range()
        if isinstance(asked, Response):
            return asked
        visits = data.visits(demo, *asked, utcnow())
        return jsonify({"visits": visits, "as_of": as_of()})

    def elsewhere(person_id: str | None) -> dict[str, str]:
        """The council holding a demo person's record, when that is another council."""
        if person_id is None or person_id in people or person_id not in everyone:
            return {}
        return {"council": everyone[person_id].council}

    @app.get("/v1/people/<person_id>/related-people")
    def list_related_people(person_id: str) -> Response:
        demo = find(person_id)
        related = [{**r, **elsewhere(r.get("person_id"))} for r in demo.related]
        return jsonify({"related_people": related, "as_of": as_of()})

    @app.get("/v1/people/<person_id>/authorities-held")
    def list_authorities_held(person_id: str) -> Response:
        # Wales' councils share who holds which authority for whom: the authorities a
        # person holds over people whose records other councils hold are listed too.
        find(person_id)
        held = [{"person_id": other.person["id"], **elsewhere(other.person["id"]),
                 "person_name": other.person["name"], "holder_name": related["name"],
                 "authority": authority}
                for other in everyone.values() for related in other.related
                if related.get("person_id") == person_id
                for authority in related["authorities"]]
        return jsonify({"authorities_held": held, "as_of": as_of()})

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
                               and b["id"] != ignoring for b in bookings.values()
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
        booking = bookings.get(booking_id)
        if booking is None or booking["person_id"] != person_id:
            return problem(404, "Review booking not found", "urn:care-record:not-found")
        return booking

    def now_utc() -> str:
        return data._utc(utcnow().replace(microsecond=0))

    @app.get("/v1/people/<person_id>/review-slots")
    def list_review_slots(person_id: str) -> Response:
        find(person_id)
        asked = date_range(longest=MAX_RANGE_DAYS)
        if isinstance(asked, Response):
            return asked
        with lock:
            slots = [s for s in data.review_slots(person_id, *asked, utcnow())
                     if free_slot(person_id, s["id"]) is not None]
        return jsonify({"slots": slots, "as_of": as_of()})

    @app.get("/v1/people/<person_id>/review-bookings")
    def list_review_bookings(person_id: str) -> Response:
        find(person_id)
        with lock:
            found = sorted((booking_body(b) for b in bookings.values()
                            if b["person_id"] == person_id), key=lambda b: b["start"])
        return jsonify({"review_bookings": found, "as_of": as_of()})

    @app.post("/v1/people/<person_id>/review-bookings")
    @replayed
    def book_review(person_id: str) -> Response:
        find(person_id)
        body = json_body()
        slot = free_slot(person_id, str(body.get("slot_id", "")))
        if slot is None:
            return problem(409, "That time is no longer free", "urn:care-record:slot-taken")
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
        bookings[booking["id"]] = booking
        response = jsonify(booking_body(booking))
        response.status_code = 201
        return response

    @app.post("/v1/people/<person_id>/review-bookings/<booking_id>/move")
    @replayed
    def move_review(person_id: str, booking_id: str) -> Response:
        booking = live_booking(person_id, booking_id)
        if isinstance(booking, Response):
            return booking
        if booking["status"] != "booked":
            return problem(409, "Only a booked review can be moved", "urn:care-record:not-booked")
        body = json_body()
        slot = free_slot(person_id, str(body.get("slot_id", "")), ignoring=booking_id)
        if slot is None:
            return problem(409, "That time is no longer free", "urn:care-record:slot-taken")
        booking.update(slot_id=slot["id"], start=slot["start"], end=slot["end"],
                       mode=slot["mode"])
        booking["history"].append({"action": "moved", "at": now_utc(), "start": slot["start"]})
        return jsonify(booking_body(booking))

    @app.post("/v1/people/<person_id>/review-bookings/<booking_id>/cancel")
    @replayed
    def cancel_review(person_id: str, booking_id: str) -> Response:
        booking = live_booking(person_id, booking_id)
        if isinstance(booking, Response):
            return booking
        if booking["status"] == "booked":
            booking["status"] = "cancelled"
            booking["history"].append({"action": "cancelled", "at": now_utc(), "start": None})
        return jsonify(booking_body(booking))

    @app.get("/v1/people/<person_id>/carer-support-plan")
    def get_carer_support_plan(person_id: str) -> Response:
        demo = find(person_id)
        if demo.carer_plan is None:
            return problem(404, "No carer's support plan has been agreed",
                           "urn:care-record:no-plan")
        return jsonify({**demo.carer_plan, "as_of": as_of()})

    @app.get("/v1/people/<person_id>/carer-assessment-requests")
    def list_carer_assessment_requests(person_id: str) -> Response:
        find(person_id)
        with lock:
            found = sorted((r for r in carer_requests.values()
                            if r["carer_person_id"] == person_id),
                           key=lambda r: r["authored_on"])
        return jsonify({"carer_assessment_requests": found, "as_of": as_of()})

    @app.get("/v1/carer-assessment-requests/<request_id>")
    def get_carer_assessment_request(request_id: str) -> Response:
        with lock:
            found = carer_requests.get(request_id)
        if found is None:
            return problem(404, "Carer's assessment request not found",
                           "urn:care-record:not-found")
        return jsonify({**found, "as_of": as_of()})

    @app.post("/v1/carer-assessment-requests")
    @replayed
    def request_carer_assessment() -> Response:
        body = json_body(closed_to=frozenset(data.CARER_REQUEST_FIELDS))
        wrong = data.carer_request_problem(body)
        if wrong is not None:
            return problem(400, "The request does not match the contract",
                           "urn:care-record:invalid-request", wrong)
        carer_id = body["carer"].get("person_id")
        if carer_id is not None and carer_id not in people:
            return problem(400, "The request does not match the contract",
                           "urn:care-record:invalid-request",
                           "carer.person_id is not a person the council holds")
        at = now_utc()
        made = {"id": f"car-{uuid.uuid4().hex[:12]}", "status": "active",
                "business_status": "received", "priority": body["priority"],
                "portal_reference": body["portal_reference"], "carer_person_id": carer_id,
                "cared_for_name": body["cared_for"]["name"], "authored_on": at,
                "history": [{"business_status": "received", "at": at}]}
        with lock:
            carer_requests[made["id"]] = made
        response = jsonify({**made, "as_of": as_of()})
        response.status_code = 201
        return response

    def tasks(path: str, listed_as: str, fields: tuple[str, ...],
              problem_of: Callable[[dict[str, Any]], str | None],
              kept: Callable[[dict[str, Any]], dict[str, Any]],
              urgent: Callable[[dict[str, Any]], bool]) -> dict[str, dict[str, Any]]:
        """Things people tell the council through the portal (FHIR Tasks: reports
        about visits, changes), by id: listed, told, and answered in drills."""
        held: dict[str, dict[str, Any]] = {}
        app.extensions[listed_as] = held

        @app.get(f"/v1/people/<person_id>/{path}", endpoint=f"list_{listed_as}")
        def listed(person_id: str) -> Response:
            find(person_id)
            with lock:
                found = sorted(({k: v for k, v in t.items() if k != "person_id"}
                                for t in held.values() if t["person_id"] == person_id),
                               key=lambda t: t["authored_on"])
            return jsonify({listed_as: found, "as_of": as_of()})

        @app.post(f"/v1/people/<person_id>/{path}", endpoint=f"tell_{listed_as}")
        @replayed
        def told(person_id: str) -> Response:
            find(person_id)
            body = json_body(closed_to=frozenset(fields))
            wrong = problem_of(body)
            if wrong is not None:
                return problem(400, "The request does not match the contract",
                               "urn:care-record:invalid-request", wrong)
            at = now_utc()
            made = {"id": f"t-{uuid.uuid4().hex[:12]}", "person_id": person_id, **kept(body),
                    "priority": "urgent" if urgent(body) else "routine", "status": "received",
                    "portal_reference": body["portal_reference"], "authored_on": at,
                    "answer": None, "answer_language": None,
                    "history": [{"status": "received", "at": at}]}
            with lock:
                held[made["id"]] = made
            response = jsonify({k: v for k, v in made.items() if k != "person_id"})
            response.status_code = 201
            return response

        @app.post(f"/_sandbox/{path}/<task_id>/answer", endpoint=f"answer_{listed_as}")
        def answer(task_id: str) -> Response:
            """For drills: the council answers and closes it."""
            body = json_body()
            with lock:
                found = held.get(task_id)
                if found is None:
                    return problem(404, "Not found")
                found.update(status="completed", answer=str(body.get("answer", "")),
                             answer_language=body.get("language") if body.get("language") in (
                                 "cy", "en") else None)
                found["history"].append({"status": "completed", "at": now_utc()})
                return jsonify(found)

        return held

    tasks("visit-reports", "visit_reports", data.VISIT_REPORT_FIELDS, data.visit_report_problem,
          lambda body: {"visit_id": body["visit_id"], "what_happened": body["what_happened"]},
          lambda body: bool(body["at_risk"]))
    tasks("changes", "changes", data.CHANGE_FIELDS, data.change_problem,
          lambda body: {"kind": body["kind"]},
          lambda body: body["kind"] in data.URGENT_CHANGES or bool(body["at_risk"]))

    # How often the area's figures were asked for: tests see the portal ask at most
    # once a minute, whatever the number of pages and processes.
    statistics_asked: list[str] = []
    app.extensions["statistics_asked"] = statistics_asked
    weeks_over: dict[date, area.VisitCounts] = {}

    @app.get("/v1/statistics/care-at-home")
    def care_at_home_statistics() -> Response:
        statistics_asked.append(utcnow().isoformat())
        try:
            first = date.fromisoformat(request.args["from"])
            weeks = int(request.args["weeks"])
        except (KeyError, ValueError):
            return problem(400, "from must be a date (YYYY-MM-DD) and weeks a whole number")
        if first.weekday() != 0 or not 1 <= weeks <= 53:
            return problem(400, "from must be a Monday, and weeks 1 to 53")
        with lock:
            asked = [dict(r, history=list(r["history"])) for r in carer_requests.values()]
        return jsonify({**area.statistics(people, asked, first, weeks, utcnow(), weeks_over),
                        "as_of": as_of()})

    @app.post("/_sandbox/carer-assessment-requests/<request_id>/progress")
    def progress_carer_request(request_id: str) -> Response:
        """For drills: the council moves the request on (contacted, assessed ...)."""
        step = str(json_body().get("business_status", ""))
        with lock:
            found = carer_requests.get(request_id)
            if found is None or step not in data.CARER_REQUEST_STEPS:
                return problem(404, "No such request or step")
            found["business_status"] = step
            found["status"] = "completed" if step in ("plan-agreed", "closed") else "active"
            found["history"].append({"business_status": step, "at": now_utc()})
            return jsonify(found)

    @app.post("/_sandbox/people/<person_id>/related-people")
    def add_related_person(person_id: str) -> Response:
        """For drills: the council records someone related to the person, with an
        authority (a best-interests decision, say)."""
        demo = find(person_id)
        related = json_body()
        with lock:
            demo.related.append({"id": f"r-{uuid.uuid4().hex[:8]}", **related})
        response = jsonify(related)
        response.status_code = 201
        return response

    def invoice_of(person_id: str, invoice_id: str) -> dict[str, Any] | None:
        find(person_id)
        return next((i for i in ledger.get(person_id, []) if i["id"] == invoice_id), None)

    talk = conversations.Conversations(utcnow(), holding=people.keys())
    app.extensions["conversations"] = talk

    @app.get("/v1/people/<person_id>/conversations")
    def list_conversations(person_id: str) -> Response:
        find(person_id)
        return jsonify({"conversations": [conversations.conversation_body(c)
                                          for c in talk.listed(person_id)], "as_of": as_of()})

    @app.post("/v1/people/<person_id>/messages")
    @replayed
    def send_message(person_id: str) -> Response:
        find(person_id)
        body = json_body(closed_to=conversations.FIELDS)
        wrong = talk.problem_with(body, person_id)
        if wrong is not None:
            return problem(400, "The message does not match the contract",
                           "urn:care-record:invalid-request", wrong)
        response = jsonify(talk.send(person_id, body, utcnow()))
        response.status_code = 201
        return response

    @app.get("/v1/people/<person_id>/messages/<message_id>/attachments/<attachment_id>")
    def get_attachment(person_id: str, message_id: str, attachment_id: str) -> Response:
        find(person_id)
        content = talk.attachment(person_id, message_id, attachment_id)
        if content is None:
            return problem(404, "Attachment not found", "urn:care-record:not-found")
        return Response(content, content_type="application/octet-stream")

    @app.get("/v1/messages-from-council")
    def messages_from_council() -> Response:
        after, limit = request.args.get("after", "0"), request.args.get("limit", "100")
        if not (after.isascii() and after.isdigit() and limit.isascii() and limit.isdigit()
                and len(after) <= 40 and 1 <= int(limit) <= 500):
            return problem(400, "after and limit must be whole numbers",
                           "urn:care-record:invalid-request")
        found = talk.feed(int(after), int(limit))
        return jsonify({"messages": found, "next": str(int(after) + len(found))})

    @app.post("/_sandbox/people/<person_id>/conversations/<conversation_id>/reply")
    def reply_to_conversation(person_id: str, conversation_id: str) -> Response:
        """For drills: the care team replies."""
        body = json_body()
        language = body.get("language") if body.get("language") in ("cy", "en") else None
        made = talk.reply(person_id, conversation_id, str(body.get("body", "")), language,
                          utcnow())
        if made is None:
            return problem(404, "No such conversation")
        return jsonify(made)

    @app.get("/v1/people/<person_id>/documents")
    def list_documents(person_id: str) -> Response:
        find(person_id)
        return jsonify({"documents": documents.documents(person_id, today()), "as_of": as_of()})

    @app.get("/v1/people/<person_id>/documents/<document_id>/content")
    def document_content(person_id: str, document_id: str) -> Response:
        find(person_id)
        listed = any(d["id"] == document_id for d in documents.documents(person_id, today()))
        body = documents.content(document_id) if listed else None
        if body is None:
            return problem(404, "Document not found", "urn:care-record:not-found")
        return Response(body, content_type="application/pdf")

    @app.get("/v1/people/<person_id>/charges")
    def get_charges(person_id: str) -> Response:
        find(person_id)
        with lock:
            return jsonify({"weekly_charge_pence": data.WEEKLY_CHARGES.get(person_id, 0),
                            "invoices": ledger.get(person_id, []), "as_of": as_of()})

    @app.get("/v1/people/<person_id>/invoices/<invoice_id>")
    def get_invoice(person_id: str, invoice_id: str) -> Response:
        with lock:
            invoice = invoice_of(person_id, invoice_id)
            if invoice is None:
                return problem(404, "Invoice not found", "urn:care-record:not-found")
            return jsonify({**invoice, "as_of": as_of()})

    @app.post("/v1/people/<person_id>/invoices/<invoice_id>/payments")
    @replayed
    def record_payment(person_id: str, invoice_id: str) -> Response:
        invoice = invoice_of(person_id, invoice_id)
        if invoice is None:
            return problem(404, "Invoice not found", "urn:care-record:not-found")
        body = json_body()
        amount = body.get("amount_pence")
        if not isinstance(amount, int) or amount <= 0 or not body.get("provider_reference"):
            return problem(400, "amount_pence (pence, above 0) and provider_reference are "
                                "required")
        known = next((p for p in invoice["payments"]
                      if p["provider_reference"] == body["provider_reference"]), None)
        if known is not None:  # the same payment recorded again: nothing changes
            return jsonify(known)
        if amount > invoice["amount_pence"] - invoice["amount_paid_pence"]:
            return problem(409, "The payment is more than is owed on the invoice",
                           "urn:care-record:overpayment")
        payment = {"id": f"pay-{uuid.uuid4().hex[:12]}", "amount_pence": amount,
                   "paid_at": body.get("paid_at") or now_utc(),
                   "provider": str(body.get("provider") or "govuk-pay"),
                   "provider_reference": body["provider_reference"],
                   "portal_reference": body.get("portal_reference")}
        invoice["payments"].append(payment)
        invoice["amount_paid_pence"] += amount
        if invoice["amount_paid_pence"] >= invoice["amount_pence"]:
            invoice["status"] = "balanced"
        response = jsonify(payment)
        response.status_code = 201
        return response

    @app.post("/_sandbox/people/<person_id>/invoices")
    def add_invoice(person_id: str) -> Response:
        """For drills: a new invoice of this amount, due in a fortnight."""
        find(person_id)
        amount = int(json_body().get("amount_pence", 2410))
        day = today()
        with lock:
            invoices = ledger.setdefault(person_id, [])
            invoice = {
                "id": f"inv-{person_id}-{uuid.uuid4().hex[:8]}",
                "number": f"INV-{uuid.uuid4().hex[:8].upper()}", "kind": "home-care",
                "period": {"start": (day - timedelta(days=27)).isoformat(),
                           "end": day.isoformat()},
                "amount_pence": amount, "amount_paid_pence": 0, "issued": day.isoformat(),
                "due_date": (day + timedelta(days=14)).isoformat(), "status": "issued",
                "payments": []}
            invoices.append(invoice)
        response = jsonify(invoice)
        response.status_code = 201
        return response

    @app.errorhandler(NotAnObject)
    def not_an_object(_error: NotAnObject) -> Response:
        return problem(400, "The request body must be a JSON object",
                       "urn:care-record:invalid-request")

    @app.errorhandler(404)
    def not_found(_error: Exception) -> Response:
        return problem(404, "No such resource")

    @app.errorhandler(UnknownProperties)
    def unknown_properties(error: UnknownProperties) -> Response:
        return problem(400, "The request body has properties the contract does not allow",
                       "urn:care-record:invalid-request", f"Not allowed: {error}")

    @app.errorhandler(HTTPException)
    def other_http(error: HTTPException) -> Response:
        """Any other HTTP error as a problem, keeping its headers (a 405's Allow)."""
        response = problem(error.code or 400, error.name)
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    return app
