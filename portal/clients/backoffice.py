"""Client for the council back office's Care Record API v1
(portal/contracts/care-record-api-v1.yaml)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import requests

from portal import logs, records
from portal.clients.errors import BackOfficeUnavailable, Conflict, NotFound, ServiceError
from portal.clients.http import build_session
from portal.councils import BackOffice

log = logging.getLogger(__name__)
SERVICE = "back office"
# The largest letter or document the portal will take from the back office.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Person:
    id: str
    council_reference: str
    given_name: str
    family_name: str
    birth_date: date
    preferred_language: str
    as_of: datetime
    # The address the council holds: its lines, then town, then postcode.
    address_lines: tuple[str, ...] = ()
    prefers_post: bool = False  # asked the council to write to them by post

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    team: str | None
    phone: str | None
    email: str | None
    language: str | None = None  # of the role and team, when the council records it


@dataclass(frozen=True)
class Need:
    id: str
    description: str


@dataclass(frozen=True)
class Outcome:
    id: str
    description: str
    rating: str
    rating_comment: str | None


@dataclass(frozen=True)
class Action:
    id: str
    description: str
    by: str
    performer: str | None


@dataclass(frozen=True)
class DirectPayment:
    amount_pence: int
    frequency: str
    needs: list[Need]
    description: str | None


@dataclass(frozen=True)
class CarePlan:
    id: str
    status: str
    language: str
    period_start: date
    eligible_needs: list[Need]
    outcomes: list[Outcome]
    actions: list[Action]
    monitoring: str
    review_arrangements: str
    next_review_date: date
    last_review_date: date | None
    direct_payment: DirectPayment | None
    lead_worker: Contact
    as_of: datetime

    @property
    def council_actions(self) -> list[Action]:
        return [a for a in self.actions if a.by == "council"]

    @property
    def other_actions(self) -> list[Action]:
        return [a for a in self.actions if a.by == "other"]


@dataclass(frozen=True)
class Visit:
    id: str
    planned_start: datetime
    planned_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    carer_first_name: str | None
    status: str
    # When the care worker now expects to arrive (on the way, or running late).
    expected_start: datetime | None = None
    moved_to: datetime | None = None  # the new start of a visit moved


@dataclass(frozen=True)
class TaskDone:
    description: str
    done: bool
    reason: str | None  # why not, as recorded


@dataclass(frozen=True)
class MedicinePrompt:
    medicine: str
    outcome: str  # given, taken or refused
    note: str | None


@dataclass(frozen=True)
class VisitRecord:
    """What the care worker recorded at the end of a visit, in `language`."""

    language: str
    recorded_at: datetime
    note: str | None
    tasks: list[TaskDone]
    medicines: list[MedicinePrompt]


@dataclass(frozen=True)
class VisitDetail:
    visit: Visit
    record: VisitRecord | None  # None until the provider sends one
    as_of: datetime


@dataclass(frozen=True)
class VisitEvent:
    """What a provider's call monitoring said of a visit, as the council's feed gives
    it (ids keyed by the council)."""

    id: str
    person_id: str
    visit_id: str
    status: str
    planned_start: datetime
    expected_start: datetime | None = None
    actual_start: datetime | None = None
    moved_to: datetime | None = None


@dataclass(frozen=True)
class VisitEvents:
    events: list[VisitEvent]
    next: str


@dataclass(frozen=True)
class Visits:
    visits: list[Visit]
    as_of: datetime


@dataclass(frozen=True)
class Authority:
    type: str
    status: str
    start: date | None
    end: date | None
    organisation: str | None
    scopes: list[str] | None = None
    review_date: date | None = None  # a best-interests decision's

    @property
    def lasts_until(self) -> date | None:
        """The last day it is in force, as far as is known: its end, or the day a
        best-interests decision is to be reviewed, whichever comes first."""
        days = [d for d in (self.end, self.review_date) if d is not None]
        return min(days) if days else None

    def live_on(self, day: date) -> bool:
        """In force on this day: registered or active, started, not ended.
        Advocacy always has an end date, and a best-interests decision a review date
        not yet passed; one recorded without is not in force."""
        if self.type == "advocacy" and self.end is None:
            return False
        if self.type == "best-interests" and (self.review_date is None
                                              or self.review_date < day):
            return False
        return (self.status in ("registered", "active")
                and (self.start is None or self.start <= day)
                and (self.end is None or self.end >= day))


@dataclass(frozen=True)
class AuthorityHeld:
    """An authority the asking person holds over someone else."""

    person_id: str
    person_name: str
    holder_name: str
    authority: Authority


@dataclass(frozen=True)
class RelatedPerson:
    id: str
    person_id: str | None
    given_name: str
    family_name: str
    relationship: str
    authorities: list[Authority]


@dataclass(frozen=True)
class RelatedPeople:
    related_people: list[RelatedPerson]
    as_of: datetime


@dataclass(frozen=True)
class ReviewSlot:
    id: str
    start: datetime
    end: datetime
    mode: str  # home, phone, video, office


@dataclass(frozen=True)
class ReviewNotes:
    access_needs: str | None = None
    others_attending: str | None = None
    language_support: str = "none"  # none, welsh-speaker, interpreter
    interpreter_language: str | None = None


@dataclass(frozen=True)
class ReviewChange:
    action: str  # booked, moved, cancelled
    at: datetime
    start: datetime | None


@dataclass(frozen=True)
class ReviewBooking:
    id: str
    status: str  # booked, cancelled, fulfilled, noshow (FHIR Appointment)
    slot_id: str
    start: datetime
    end: datetime
    mode: str
    reason: str
    portal_reference: str | None
    created: datetime
    history: list[ReviewChange]


@dataclass(frozen=True)
class CarerAssessmentStep:
    business_status: str  # received, contacted, assessment-booked, assessed, plan-agreed, closed
    at: datetime


@dataclass(frozen=True)
class CarerAssessmentRequest:
    """A carer's needs assessment request as the council holds it (FHIR ServiceRequest)."""

    id: str
    status: str  # active, completed, revoked
    business_status: str
    priority: str  # routine, urgent
    portal_reference: str | None
    carer_person_id: str | None
    cared_for_name: str
    authored_on: datetime
    history: list[CarerAssessmentStep]


@dataclass(frozen=True)
class AssessmentOutcome:
    kind: str  # eligible (a plan to follow), information-and-advice
    detail: str | None  # what the council suggested, in its own words
    detail_language: str | None


@dataclass(frozen=True)
class AssessmentRequest:
    """A request for an assessment of care and support needs as the council holds it
    (FHIR ServiceRequest): how far it has got, and what the council said."""

    id: str
    status: str  # active, completed, revoked
    business_status: str  # received, contacted, assessment-booked, assessed, closed
    priority: str
    portal_reference: str | None
    authored_on: datetime
    history: list[CarerAssessmentStep]
    assessment_at: datetime | None
    outcome: AssessmentOutcome | None
    closed_reason: str | None
    person_id: str | None  # the care record the council opened for the person


@dataclass(frozen=True)
class KeptPlan:
    """A carer's emergency plan as the council keeps it: its id there, the version it
    has, and since when."""

    id: str
    version: int
    received_at: datetime


@dataclass(frozen=True)
class CouncilTask:
    """Something told to the council through the portal, as the council holds it (a
    FHIR Task): a report about a visit, a change, a request for a financial assessment
    or to look at its decision again (whose `outcome`, once decided, is the weekly
    charge in pence)."""

    id: str
    priority: str  # routine or urgent
    status: str  # received, in-progress, completed
    portal_reference: str | None
    authored_on: datetime
    answer: str | None
    answer_language: str | None
    history: list[tuple[str, datetime]]
    weekly_charge_pence: int | None = None


@dataclass(frozen=True)
class PeriodDue:
    """A period the council asked someone to account for, of their direct payment."""

    id: str
    start: date
    end: date
    due: date


@dataclass(frozen=True)
class DirectPaymentAccount:
    balance_pence: int
    balance_on: date
    payments_in: list[tuple[date, int]]  # (paid on, amount in pence), newest first
    periods_due: list[PeriodDue]
    as_of: datetime


@dataclass(frozen=True)
class InvoicePayment:
    id: str
    amount_pence: int
    paid_at: datetime
    provider: str
    provider_reference: str | None


@dataclass(frozen=True)
class Invoice:
    id: str
    number: str
    kind: str  # home-care, direct-payment-contribution
    period_start: date
    period_end: date
    amount_pence: int
    amount_paid_pence: int
    issued: date
    due_date: date
    status: str  # issued, balanced, cancelled (FHIR Invoice)
    payments: list[InvoicePayment]

    @property
    def outstanding_pence(self) -> int:
        return 0 if self.status == "cancelled" else \
            max(self.amount_pence - self.amount_paid_pence, 0)


@dataclass(frozen=True)
class Charges:
    weekly_charge_pence: int
    invoices: list[Invoice]
    as_of: datetime


@dataclass(frozen=True)
class Document:
    """A letter or document the council holds for the person (FHIR DocumentReference)."""

    id: str
    type: str  # letter, assessment, care-plan or charging-letter
    title: str
    date: date
    languages: tuple[str, ...]  # cy, en, or both for a bilingual document
    content_type: str
    size: int  # bytes


@dataclass(frozen=True)
class Documents:
    documents: list[Document]
    as_of: datetime


@dataclass(frozen=True)
class Attachment:
    id: str
    filename: str
    content_type: str
    size: int  # bytes


@dataclass(frozen=True)
class Message:
    """One message in a conversation with the care team (FHIR Communication)."""

    id: str
    conversation_id: str
    sender: str  # person (or someone for them) or council
    sender_name: str
    sent_at: datetime
    body: str
    language: str | None  # the language the council wrote in
    attachments: list[Attachment]
    portal_reference: str | None
    # The sender's name in Welsh and in English, where the council has both (a team's)
    sender_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversation:
    id: str
    subject: str
    messages: list[Message]  # oldest first
    subject_language: str | None = None  # where the council knows it


@dataclass(frozen=True)
class Conversations:
    conversations: list[Conversation]
    as_of: datetime


@dataclass(frozen=True)
class FromCouncil:
    """A message the council wrote, as the feed names it: never what it says."""

    id: str
    person_id: str
    conversation_id: str
    sent_at: datetime


@dataclass(frozen=True)
class MessageFeed:
    messages: list[FromCouncil]
    next: str  # where to carry on from


@dataclass(frozen=True)
class WeekOfCare:
    """How care at home went in one week of the council's area (exact counts)."""

    start: date
    end: date
    people_receiving_care: int
    visits_on_time: int
    visits_late: int
    visits_missed: int
    visits_cancelled: int
    hours_planned: float
    hours_delivered: float
    people_waiting: int
    waiting_days_median: float | None
    direct_payments: int
    carer_assessments_requested: int
    carer_assessments_completed: int
    # Financial assessments asked for through the portal, those decided in the week, and
    # how long deciding took them (days, the median).
    financial_assessments_asked_online: int = 0
    financial_assessments_decided: int = 0
    financial_assessment_days_median: float | None = None
    # Requests for an assessment of care and support needs made through the portal in
    # the week, those the council first contacted in the week, and how long that took
    # (days from asking, the median).
    assessments_asked_online: int = 0
    assessments_first_contacted: int = 0
    assessment_days_to_contact_median: float | None = None


@dataclass(frozen=True)
class TodaySoFar:
    """Today's visits planned to start before now, by how they went."""

    day: date
    visits_on_time: int
    visits_late: int
    visits_missed: int
    visits_cancelled: int


@dataclass(frozen=True)
class CareAtHome:
    weeks: list[WeekOfCare]
    waiting_now: dict[str, int]  # under_4_weeks, 4_to_12_weeks, over_12_weeks
    as_of: datetime
    today: TodaySoFar | None = None  # None from a back office that does not say


@dataclass(frozen=True)
class _Council:
    """One council's back office: where it is, and a session carrying its key (each its
    own pool of connections, so one slow council holds none of another's)."""

    url: str
    session: requests.Session


class BackOfficeClient:
    """Reads and writes care records at every council served, each call at the council
    whose record it is: the record's key names it (portal.records), and the ids in
    what comes back are keys too. Reads retry; every POST carries an Idempotency-Key."""

    def __init__(self, back_offices: Mapping[str, BackOffice], connect_timeout: float = 2.0,
                 read_timeout: float = 5.0) -> None:
        self.timeout = (connect_timeout, read_timeout)
        self._councils: dict[str, _Council] = {}
        for code, back_office in back_offices.items():
            session = build_session()
            session.headers["Authorization"] = f"Bearer {back_office.api_key}"
            session.headers["Accept"] = "application/json, application/problem+json"
            self._councils[code] = _Council(back_office.url.rstrip("/"), session)

    def forget(self, person_id: str) -> None:
        """Every answer kept about this person is stale from now on (nothing is kept
        here: see portal.clients.cache)."""

    def match_person(self, council: str, council_reference: str, birth_date: date,
                     idempotency_key: str | None = None) -> Person:
        """The person this council holds with this reference and date of birth;
        NotFound if none."""
        body = self._request(
            "POST", (council, "/v1/people/match"),
            json={"council_reference": council_reference, "birth_date": birth_date.isoformat()},
            headers={"Idempotency-Key": idempotency_key or str(uuid.uuid4())},
        )
        return _person(council, body)

    def get_person(self, person_id: str) -> Person:
        council, path = self._person(person_id)
        return _person(council, self._request("GET", (council, path)))

    def get_care_plan(self, person_id: str) -> CarePlan | None:
        """The plan in force, or None when none has been agreed yet."""
        try:
            return _care_plan(self._request("GET", self._person(person_id, "/care-plan")))
        except NotFound as error:
            if error.problem_type == "urn:care-record:no-plan":
                return None
            raise

    def list_visits(self, person_id: str, start: date, end: date) -> Visits:
        body = self._request("GET", self._person(person_id, "/visits"),
                             params={"from": start.isoformat(), "to": end.isoformat()})
        return Visits(visits=[_visit(v) for v in body["visits"]], as_of=_datetime(body["as_of"]))

    def get_visit(self, person_id: str, visit_id: str) -> VisitDetail:
        """One of the person's visits, with what was recorded of it; NotFound if the
        back office holds no such visit for them."""
        body = self._request("GET", self._person(person_id, f"/visits/{_segment(visit_id)}"))
        found = body.get("record")
        return VisitDetail(visit=_visit(body["visit"]), as_of=_datetime(body["as_of"]),
                           record=None if found is None else VisitRecord(
                               language=found["language"],
                               recorded_at=_datetime(found["recorded_at"]),
                               note=found.get("note"),
                               tasks=[TaskDone(t["description"], t["done"], t.get("reason"))
                                      for t in found["tasks"]],
                               medicines=[MedicinePrompt(m["medicine"], m["outcome"],
                                                         m.get("note"))
                                          for m in found["medicines"]]))

    def list_related_people(self, person_id: str) -> RelatedPeople:
        council, path = self._person(person_id, "/related-people")
        body = self._request("GET", (council, path))
        return RelatedPeople(
            related_people=[_related_person(council, r) for r in body["related_people"]],
            as_of=_datetime(body["as_of"]),
        )

    def list_authorities_held(self, person_id: str) -> list[AuthorityHeld]:
        """Authorities (LPA, deputyship, advocacy) this person holds for others."""
        council, path = self._person(person_id, "/authorities-held")
        body = self._request("GET", (council, path))
        return [AuthorityHeld(
            person_id=records.key(h.get("council", council), h["person_id"]),
            person_name=f"{h['person_name']['given']} {h['person_name']['family']}",
            holder_name=f"{h['holder_name']['given']} {h['holder_name']['family']}",
            authority=_authority(h["authority"])) for h in body["authorities_held"]]

    def list_review_slots(self, person_id: str, start: date, end: date) -> list[ReviewSlot]:
        """Free review slots starting between start and end, inclusive."""
        body = self._request("GET", self._person(person_id, "/review-slots"),
                             params={"from": start.isoformat(), "to": end.isoformat()})
        return [ReviewSlot(s["id"], _datetime(s["start"]), _datetime(s["end"]), s["mode"])
                for s in body["slots"]]

    def list_review_bookings(self, person_id: str) -> list[ReviewBooking]:
        body = self._request("GET", self._person(person_id, "/review-bookings"))
        return [_review_booking(b) for b in body["review_bookings"]]

    def book_review(self, person_id: str, slot_id: str, reason: str, reason_detail: str | None,
                    notes: ReviewNotes, portal_reference: str, idempotency_key: str,
                    plan: str = "care-and-support-plan") -> ReviewBooking:
        """Book the slot for a review of this plan; Conflict if it is no longer free."""
        return _review_booking(self._request(
            "POST", self._person(person_id, "/review-bookings"),
            json={"slot_id": slot_id, "reason": reason, "reason_detail": reason_detail,
                  "notes": asdict(notes), "portal_reference": portal_reference,
                  "plan": plan},
            headers={"Idempotency-Key": idempotency_key}))

    def move_review(self, person_id: str, booking_id: str, slot_id: str,
                    idempotency_key: str) -> ReviewBooking:
        """Move a booked review; Conflict if the slot is taken or the review is not booked."""
        return _review_booking(self._request(
            "POST", self._person(person_id, f"/review-bookings/{_segment(booking_id)}/move"),
            json={"slot_id": slot_id}, headers={"Idempotency-Key": idempotency_key}))

    def cancel_review(self, person_id: str, booking_id: str,
                      idempotency_key: str) -> ReviewBooking:
        return _review_booking(self._request(
            "POST", self._person(person_id, f"/review-bookings/{_segment(booking_id)}/cancel"),
            headers={"Idempotency-Key": idempotency_key}))

    def get_carer_support_plan(self, person_id: str) -> CarePlan | None:
        """The support plan agreed with this person as a carer, or None."""
        try:
            return _care_plan(self._request("GET",
                                            self._person(person_id, "/carer-support-plan")))
        except NotFound as error:
            if error.problem_type == "urn:care-record:no-plan":
                return None
            raise

    def request_carer_assessment(self, council: str, request: dict[str, Any],
                                 idempotency_key: str) -> CarerAssessmentRequest:
        """Ask this council for a carer's needs assessment (the contract's
        CarerAssessmentRequestNew). The carer and the person cared for are named by
        their keys; the council is given its own ids for them, and none for a record
        another council holds."""
        return _carer_request(council, self._request(
            "POST", (council, "/v1/carer-assessment-requests"),
            json=_as_council_names(council, request, ("carer", "cared_for")),
            headers={"Idempotency-Key": idempotency_key}))

    def get_carer_assessment_request(self, request_id: str) -> CarerAssessmentRequest:
        """The request of this key: the council that holds it, and its id there."""
        council, own_id = self._split(request_id)
        return _carer_request(council, self._request(
            "GET", (council, f"/v1/carer-assessment-requests/{_segment(own_id)}")))

    def list_carer_assessment_requests(self, person_id: str) -> list[CarerAssessmentRequest]:
        """Every carer's needs assessment request this person made, however made."""
        council, path = self._person(person_id, "/carer-assessment-requests")
        body = self._request("GET", (council, path))
        return [_carer_request(council, r) for r in body["carer_assessment_requests"]]

    def request_assessment(self, council: str, request: dict[str, Any],
                           idempotency_key: str) -> AssessmentRequest:
        """Ask this council for an assessment of care and support needs (the
        contract's AssessmentRequestNew)."""
        return _assessment_request(council, self._request(
            "POST", (council, "/v1/assessment-requests"), json=request,
            headers={"Idempotency-Key": idempotency_key}))

    def get_assessment_request(self, request_id: str) -> AssessmentRequest:
        """The request of this key: the council that holds it, and its id there."""
        council, own_id = self._split(request_id)
        return _assessment_request(council, self._request(
            "GET", (council, f"/v1/assessment-requests/{_segment(own_id)}")))

    def keep_emergency_plan(self, council: str, plan: dict[str, Any],
                            idempotency_key: str) -> KeptPlan:
        """Give this council a carer's emergency plan, or a newer version of it (the
        contract's CarerEmergencyPlanNew): the records it names, its own ids."""
        body = self._request("POST", (council, "/v1/carer-emergency-plans"),
                             json=_as_council_names(council, plan, ("carer", "cared_for")),
                             headers={"Idempotency-Key": idempotency_key})
        return KeptPlan(records.key(council, body["id"]), body["version"],
                        _datetime(body["received_at"]))

    def report_visit(self, person_id: str, report: dict[str, Any],
                     idempotency_key: str) -> CouncilTask:
        """Tell the council about a missed or late visit (the contract's VisitReportNew)."""
        return _task(self._request(
            "POST", self._person(person_id, "/visit-reports"), json=report,
            headers={"Idempotency-Key": idempotency_key}))

    def list_visit_reports(self, person_id: str) -> list[CouncilTask]:
        body = self._request("GET", self._person(person_id, "/visit-reports"))
        return [_task(r) for r in body["visit_reports"]]

    def tell_change(self, person_id: str, change: dict[str, Any],
                    idempotency_key: str) -> CouncilTask:
        """Tell the council about a change: a stay in hospital, a new address, needs
        that have changed (the contract's ChangeNew)."""
        return _task(self._request(
            "POST", self._person(person_id, "/changes"), json=change,
            headers={"Idempotency-Key": idempotency_key}))

    def list_changes(self, person_id: str) -> list[CouncilTask]:
        body = self._request("GET", self._person(person_id, "/changes"))
        return [_task(c) for c in body["changes"]]

    def ask_for_financial_assessment(self, person_id: str, request: dict[str, Any],
                                     idempotency_key: str) -> CouncilTask:
        """Ask for the council's financial assessment (the contract's
        FinancialAssessmentNew: the answers, the evidence and the declaration)."""
        return _task(self._request(
            "POST", self._person(person_id, "/financial-assessments"), json=request,
            headers={"Idempotency-Key": idempotency_key}))

    def list_financial_assessments(self, person_id: str) -> list[CouncilTask]:
        body = self._request("GET", self._person(person_id, "/financial-assessments"))
        return [_task(f) for f in body["financial_assessments"]]

    def ask_for_charging_review(self, person_id: str, request: dict[str, Any],
                                idempotency_key: str) -> CouncilTask:
        """Ask the council to look again at its decision on a financial assessment (the
        contract's ChargingReviewNew: the assessment, in the council's own id, and why)."""
        return _task(self._request(
            "POST", self._person(person_id, "/charging-reviews"), json=request,
            headers={"Idempotency-Key": idempotency_key}))

    def list_charging_reviews(self, person_id: str) -> list[CouncilTask]:
        body = self._request("GET", self._person(person_id, "/charging-reviews"))
        return [_task(r) for r in body["charging_reviews"]]

    def get_direct_payment_account(self, person_id: str) -> DirectPaymentAccount | None:
        """The person's direct-payment account; None for someone with no direct payment."""
        try:
            body = self._request("GET", self._person(person_id, "/direct-payment-account"))
        except NotFound:
            return None
        return DirectPaymentAccount(
            body["balance_pence"], date.fromisoformat(body["balance_on"]),
            [(date.fromisoformat(p["paid_on"]), p["amount_pence"]) for p in body["payments_in"]],
            [PeriodDue(p["id"], date.fromisoformat(p["start"]), date.fromisoformat(p["end"]),
                       date.fromisoformat(p["due"])) for p in body["periods_due"]],
            _datetime(body["as_of"]))

    def send_direct_payment_return(self, person_id: str, sent: dict[str, Any],
                                   idempotency_key: str) -> CouncilTask:
        """Account for a period of a direct payment (the contract's DirectPaymentReturnNew)."""
        return _task(self._request(
            "POST", self._person(person_id, "/direct-payment-returns"), json=sent,
            headers={"Idempotency-Key": idempotency_key}))

    def list_direct_payment_returns(self, person_id: str) -> list[CouncilTask]:
        body = self._request("GET", self._person(person_id, "/direct-payment-returns"))
        return [_task(r) for r in body["direct_payment_returns"]]

    def get_charges(self, person_id: str) -> Charges:
        body = self._request("GET", self._person(person_id, "/charges"))
        return Charges(body["weekly_charge_pence"], [_invoice(i) for i in body["invoices"]],
                       _datetime(body["as_of"]))

    def get_invoice(self, person_id: str, invoice_id: str) -> Invoice:
        return _invoice(self._request(
            "GET", self._person(person_id, f"/invoices/{_segment(invoice_id)}")))

    def record_payment(self, person_id: str, invoice_id: str, amount_pence: int,
                       paid_at: datetime, provider_reference: str, portal_reference: str,
                       idempotency_key: str) -> InvoicePayment:
        """Record a payment against the invoice; recording the same provider_reference
        again changes nothing. Conflict (urn:care-record:overpayment) if more than owed."""
        return _invoice_payment(self._request(
            "POST", self._person(person_id, f"/invoices/{_segment(invoice_id)}/payments"),
            json={"amount_pence": amount_pence, "paid_at": paid_at.isoformat(),
                  "provider": "govuk-pay", "provider_reference": provider_reference,
                  "portal_reference": portal_reference},
            headers={"Idempotency-Key": idempotency_key}))

    def list_documents(self, person_id: str) -> Documents:
        body = self._request("GET", self._person(person_id, "/documents"))
        return Documents([_document(d) for d in body["documents"]], _datetime(body["as_of"]))

    def document_content(self, person_id: str, document_id: str) -> bytes:
        """A document's file, as the council holds it; at most MAX_DOCUMENT_BYTES."""
        return self._file(self._person(person_id, f"/documents/{_segment(document_id)}/content"))

    def list_conversations(self, person_id: str) -> Conversations:
        body = self._request("GET", self._person(person_id, "/conversations"))
        return Conversations(
            [Conversation(c["id"], c["subject"], [_message(m) for m in c["messages"]],
                          c.get("subject_language"))
             for c in body["conversations"]], _datetime(body["as_of"]))

    def send_message(self, person_id: str, message: dict[str, Any],
                     idempotency_key: str) -> Message:
        """A message to the person's care team (the contract's MessageNew)."""
        return _message(self._request("POST", self._person(person_id, "/messages"),
                                      json=message, headers={"Idempotency-Key": idempotency_key}))

    def attachment_content(self, person_id: str, message_id: str, attachment_id: str) -> bytes:
        return self._file(self._person(
            person_id, f"/messages/{_segment(message_id)}/attachments/{_segment(attachment_id)}"))

    def messages_from_council(self, council: str, after: str | None,
                              limit: int = 100) -> MessageFeed:
        """Messages this council wrote to anyone since `after` (a feed's `next`)."""
        body = self._request("GET", (council, "/v1/messages-from-council"),
                             params={"limit": limit, **({"after": after} if after else {})})
        return MessageFeed([FromCouncil(records.key(council, m["id"]),
                                        records.key(council, m["person_id"]),
                                        m["conversation_id"], _datetime(m["sent_at"]))
                            for m in body["messages"]], body["next"])

    def visit_events(self, council: str, after: str | None, limit: int = 100) -> VisitEvents:
        """What this council's providers said of anyone's visits since `after` (a
        feed's `next`)."""
        body = self._request("GET", (council, "/v1/visit-events"),
                             params={"limit": limit, **({"after": after} if after else {})})
        return VisitEvents([VisitEvent(
            id=records.key(council, e["id"]), person_id=records.key(council, e["person_id"]),
            visit_id=records.key(council, e["visit_id"]), status=e["status"],
            planned_start=_datetime(e["planned_start"]),
            expected_start=_optional_datetime(e.get("expected_start")),
            actual_start=_optional_datetime(e.get("actual_start")),
            moved_to=_optional_datetime(e.get("moved_to")))
            for e in body["events"]], body["next"])

    def care_at_home(self, council: str, first: date, weeks: int) -> CareAtHome:
        """The council's figures for its area, `weeks` weeks from the Monday `first`:
        counts only."""
        body = self._request("GET", (council, "/v1/statistics/care-at-home"),
                             params={"from": first.isoformat(), "weeks": weeks})
        return CareAtHome(
            [WeekOfCare(start=date.fromisoformat(w["start"]), end=date.fromisoformat(w["end"]),
                        people_receiving_care=w["people_receiving_care"],
                        visits_on_time=w["visits"]["on_time"], visits_late=w["visits"]["late"],
                        visits_missed=w["visits"]["missed"],
                        visits_cancelled=w["visits"]["cancelled"],
                        hours_planned=w["hours_planned"], hours_delivered=w["hours_delivered"],
                        people_waiting=w["people_waiting"],
                        waiting_days_median=w["waiting_days_median"],
                        direct_payments=w["direct_payments"],
                        carer_assessments_requested=w["carer_assessments_requested"],
                        carer_assessments_completed=w["carer_assessments_completed"],
                        financial_assessments_asked_online=w.get(
                            "financial_assessments_asked_online", 0),
                        financial_assessments_decided=w.get("financial_assessments_decided", 0),
                        financial_assessment_days_median=w.get(
                            "financial_assessment_days_median"),
                        assessments_asked_online=w.get("assessments_asked_online", 0),
                        assessments_first_contacted=w.get("assessments_first_contacted", 0),
                        assessment_days_to_contact_median=w.get(
                            "assessment_days_to_contact_median"))
             for w in body["weeks"]], dict(body["waiting_now"]), _datetime(body["as_of"]),
            None if "today" not in body else TodaySoFar(
                date.fromisoformat(body["today"]["date"]),
                *(body["today"]["visits"][k] for k in ("on_time", "late", "missed",
                                                      "cancelled"))))

    def _split(self, key: str) -> tuple[str, str]:
        """The council a key names, and the id its back office gave; NotFound when
        the key names no council served (it may come from an address typed into a
        browser)."""
        try:
            council, own_id = records.split(key)
        except records.NotAKey:
            raise NotFound(SERVICE, "not a record's key", "urn:portal:not-a-key") from None
        if council not in self._councils:
            raise NotFound(SERVICE, "no council served holds it", "urn:portal:no-such-council")
        return council, own_id

    def _person(self, person_id: str, rest: str = "") -> tuple[str, str]:
        """The council that holds this record, and the record's address there."""
        council, own_id = self._split(person_id)
        return council, f"/v1/people/{_segment(own_id)}{rest}"

    def _file(self, where: tuple[str, str]) -> bytes:
        """A file the back office holds: at most MAX_DOCUMENT_BYTES."""
        council, path = where
        response = self._send("GET", where, headers={"Accept": "*/*"}, stream=True)
        content = bytearray()
        with response:
            try:
                for chunk in response.iter_content(64 * 1024):
                    content += chunk
                    if len(content) > MAX_DOCUMENT_BYTES:
                        raise ServiceError(SERVICE, f"{path} is too large")
            except requests.RequestException as error:
                raise BackOfficeUnavailable(f"cut off reading {path}", council=council) from error
        return bytes(content)

    def _request(self, method: str, where: tuple[str, str], **kwargs: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._send(method, where, **kwargs).json()
        return result

    def _send(self, method: str, where: tuple[str, str], **kwargs: Any) -> requests.Response:
        """The answer of the back office of `where`'s council (its code, then the path)
        when it is a success; else the error it means."""
        council, path = where
        at = self._councils[council]
        what = f"{method} {path} at {council}"
        request_id = logs.request_id()
        if request_id is not None:
            kwargs["headers"] = {**kwargs.get("headers", {}), logs.REQUEST_ID_HEADER: request_id}
        try:
            response = at.session.request(method, at.url + path, timeout=self.timeout, **kwargs)
        except requests.Timeout as error:
            log.error("back office timed out: %s (%s)", what, error)
            raise BackOfficeUnavailable(f"timed out on {what}", council=council) from error
        except requests.ConnectionError as error:
            log.error("back office unreachable: %s (%s)", what, error)
            raise BackOfficeUnavailable(f"unreachable on {what}", council=council) from error
        if response.ok:
            return response
        problem = _problem(response)
        title = problem.get("title", response.reason)
        if response.status_code >= 500 or response.status_code == 429:
            log.error("back office failed: %s -> %s %s", what, response.status_code, title)
            raise BackOfficeUnavailable(f"{response.status_code} on {what}: {title}",
                                        response.status_code, council)
        if response.status_code in (401, 403):
            # The council's key is wrong, revoked or not yet given rights: to the people of
            # that council its service is unavailable (writes wait to be tried again), and
            # whoever runs the portal is told which council's key to look at.
            log.error("back office refused the portal's key: %s -> %s %s (check the "
                      "council's back-office API key)", what, response.status_code, title)
            raise BackOfficeUnavailable(f"{response.status_code} on {what}: {title}",
                                        response.status_code, council)
        if response.status_code == 404:
            raise NotFound(SERVICE, title, problem.get("type", "about:blank"))
        if response.status_code == 409:
            raise Conflict(SERVICE, title, 409, problem.get("type", "about:blank"))
        log.error("back office refused: %s -> %s %s", what, response.status_code, title)
        raise ServiceError(SERVICE, f"{response.status_code} on {what}: {title}",
                           response.status_code)


def _segment(value: str) -> str:
    """An id as one path segment, whatever it holds (it may come from an address typed
    into a browser)."""
    return quote(value, safe="")


def _problem(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _datetime(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _optional_datetime(value: str | None) -> datetime | None:
    return None if value is None else _datetime(value)


def _optional_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _own_id(council: str, person_id: str | None) -> str | None:
    """The id this council's back office has for a record, if the record is its own."""
    if person_id is None:
        return None
    held_by, own_id = records.split(person_id)
    return own_id if held_by == council else None


def _as_council_names(council: str, body: dict[str, Any], parts: tuple[str, ...]
                      ) -> dict[str, Any]:
    """The body with the people its `parts` name given by this council's own ids (none
    for a record another council holds)."""
    return {**body, **{part: {**body[part], "person_id": _own_id(council,
                                                                body[part]["person_id"])}
                       for part in parts}}


def _key(council: str, own_id: str | None) -> str | None:
    """The key of a record this council may name, where it names one."""
    return None if own_id is None else records.key(council, own_id)


def _person(council: str, body: dict[str, Any]) -> Person:
    return Person(
        id=records.key(council, body["id"]),
        council_reference=body["council_reference"],
        given_name=body["name"]["given"],
        family_name=body["name"]["family"],
        birth_date=date.fromisoformat(body["birth_date"]),
        preferred_language=body["preferred_language"],
        as_of=_datetime(body["as_of"]),
        address_lines=_address_lines(body.get("address")),
        prefers_post=bool(body.get("prefers_post")),
    )


def _care_plan(body: dict[str, Any]) -> CarePlan:
    needs = [Need(id=n["id"], description=n["description"]) for n in body["eligible_needs"]]
    needs_by_id = {n.id: n for n in needs}
    payment = body.get("direct_payment")
    worker = body["lead_worker"]
    review = body["review"]
    return CarePlan(
        id=body["id"],
        status=body["status"],
        language=body["language"],
        period_start=date.fromisoformat(body["period_start"]),
        eligible_needs=needs,
        outcomes=[Outcome(id=o["id"], description=o["description"], rating=o["rating"],
                          rating_comment=o.get("rating_comment")) for o in body["outcomes"]],
        actions=[Action(id=a["id"], description=a["description"], by=a["by"],
                        performer=a.get("performer")) for a in body["actions"]],
        monitoring=body["monitoring"],
        review_arrangements=review["arrangements"],
        next_review_date=date.fromisoformat(review["next_review_date"]),
        last_review_date=_optional_date(review.get("last_review_date")),
        direct_payment=None if payment is None else DirectPayment(
            amount_pence=payment["amount_pence"],
            frequency=payment["frequency"],
            needs=[needs_by_id[i] for i in payment["need_ids"] if i in needs_by_id],
            description=payment.get("description"),
        ),
        lead_worker=Contact(name=worker["name"], role=worker["role"], team=worker.get("team"),
                            phone=worker.get("phone"), email=worker.get("email"),
                            language=worker.get("language")),
        as_of=_datetime(body["as_of"]),
    )


def _visit(body: dict[str, Any]) -> Visit:
    actual = body.get("actual") or {}
    return Visit(
        id=body["id"],
        planned_start=_datetime(body["planned"]["start"]),
        planned_end=_optional_datetime(body["planned"].get("end")),
        actual_start=_optional_datetime(actual.get("start")),
        actual_end=_optional_datetime(actual.get("end")),
        carer_first_name=body.get("carer_first_name"),
        status=body["status"],
        expected_start=_optional_datetime(body.get("expected_start")),
        moved_to=_optional_datetime((body.get("moved_to") or {}).get("start")),
    )


def _related_person(council: str, body: dict[str, Any]) -> RelatedPerson:
    return RelatedPerson(
        id=body["id"],
        person_id=_key(body.get("council", council), body.get("person_id")),
        given_name=body["name"]["given"],
        family_name=body["name"]["family"],
        relationship=body["relationship"],
        authorities=[_authority(a) for a in body["authorities"]],
    )


def _authority(body: dict[str, Any]) -> Authority:
    return Authority(type=body["type"], status=body["status"],
                     start=_optional_date(body.get("start")), end=_optional_date(body.get("end")),
                     organisation=body.get("organisation"), scopes=body.get("scopes"),
                     review_date=_optional_date(body.get("review_date")))


def _message(body: dict[str, Any]) -> Message:
    return Message(id=body["id"], conversation_id=body["conversation_id"], sender=body["sender"],
                   sender_name=body["sender_name"], sent_at=_datetime(body["sent_at"]),
                   body=body["body"], language=body.get("language"),
                   attachments=[Attachment(a["id"], a["filename"], a["content_type"], a["size"])
                                for a in body["attachments"]],
                   portal_reference=body.get("portal_reference"),
                   sender_names=dict(body.get("sender_names") or {}))


def _address_lines(address: dict[str, Any] | None) -> tuple[str, ...]:
    if not address:
        return ()
    return tuple(line for line in [*address.get("line", []), address.get("city"),
                                   address.get("postal_code")] if line)


def _document(body: dict[str, Any]) -> Document:
    return Document(id=body["id"], type=body["type"], title=body["title"],
                    date=date.fromisoformat(body["date"]), languages=tuple(body["languages"]),
                    content_type=body["content_type"], size=body["size"])


def _task(body: dict[str, Any]) -> CouncilTask:
    return CouncilTask(
        id=body["id"], priority=body["priority"], status=body["status"],
        portal_reference=body.get("portal_reference"),
        authored_on=_datetime(body["authored_on"]), answer=body.get("answer"),
        answer_language=body.get("answer_language"),
        history=[(h["status"], _datetime(h["at"])) for h in body["history"]],
        weekly_charge_pence=(body.get("outcome") or {}).get("weekly_charge_pence"))


def _carer_request(council: str, body: dict[str, Any]) -> CarerAssessmentRequest:
    return CarerAssessmentRequest(
        id=records.key(council, body["id"]), status=body["status"],
        business_status=body["business_status"],
        priority=body["priority"], portal_reference=body.get("portal_reference"),
        carer_person_id=_key(council, body.get("carer_person_id")),
        cared_for_name=body["cared_for_name"],
        authored_on=_datetime(body["authored_on"]),
        history=[CarerAssessmentStep(h["business_status"], _datetime(h["at"]))
                 for h in body["history"]])


def _assessment_request(council: str, body: dict[str, Any]) -> AssessmentRequest:
    outcome = body.get("outcome")
    return AssessmentRequest(
        id=records.key(council, body["id"]), status=body["status"],
        business_status=body["business_status"], priority=body["priority"],
        portal_reference=body.get("portal_reference"),
        authored_on=_datetime(body["authored_on"]),
        history=[CarerAssessmentStep(h["business_status"], _datetime(h["at"]))
                 for h in body["history"]],
        assessment_at=_optional_datetime(body.get("assessment_at")),
        outcome=None if outcome is None else AssessmentOutcome(
            outcome["kind"], outcome.get("detail"), outcome.get("detail_language")),
        closed_reason=body.get("closed_reason") or None,
        person_id=_key(council, body.get("person_id")))


def _review_booking(body: dict[str, Any]) -> ReviewBooking:
    return ReviewBooking(
        id=body["id"], status=body["status"], slot_id=body["slot_id"],
        start=_datetime(body["start"]), end=_datetime(body["end"]), mode=body["mode"],
        reason=body["reason"], portal_reference=body.get("portal_reference"),
        created=_datetime(body["created"]),
        history=[ReviewChange(h["action"], _datetime(h["at"]), _optional_datetime(h.get("start")))
                 for h in body["history"]])


def _invoice_payment(body: dict[str, Any]) -> InvoicePayment:
    return InvoicePayment(body["id"], body["amount_pence"], _datetime(body["paid_at"]),
                          body["provider"], body.get("provider_reference"))


def _invoice(body: dict[str, Any]) -> Invoice:
    return Invoice(
        id=body["id"], number=body["number"], kind=body["kind"],
        period_start=date.fromisoformat(body["period"]["start"]),
        period_end=date.fromisoformat(body["period"]["end"]),
        amount_pence=body["amount_pence"], amount_paid_pence=body["amount_paid_pence"],
        issued=date.fromisoformat(body["issued"]), due_date=date.fromisoformat(body["due_date"]),
        status=body["status"], payments=[_invoice_payment(p) for p in body["payments"]])
