"""Asking a council for an assessment of care and support needs: for yourself, for
someone else (with their agreement, or saying why it cannot be had), or as their
advocate; signed in or not. Anyone who appears to need care and support has a right
to an assessment (Social Services and Well-being (Wales) Act 2014, s. 19).

A request is saved first, with its back-office write queued in the outbox in the
same transaction (progress.tell_once), so it is kept while the back office is down
and sent once however often the answers are sent. The worker's send() gives it to
the council and, in the transaction that records that the council has it, queues
the message that tells the asker, in the language they chose, by the way they
chose. A signed-in asker follows it here through the council's answer; someone who
asked for themselves links the record the council opens for them in one step."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.clients.backoffice import AssessmentOutcome, BackOfficeClient
from portal.clients.backoffice import AssessmentRequest as Held
from portal.clients.errors import BackOfficeUnavailable, NotFound
from portal.services import accounts, outbox, progress, reading, references
from portal.services.accounts import LinkOutcome
from portal.store import Store
from portal.store.models import AssessmentRequest as Row

SEND = "assessment-request-send"  # the outbox's name for "give the request to the council"

# The answers someone can give, as the contract names them.
RELATIONS = ("self", "someone-else", "advocate")
URGENCY = ("at-risk-now", "soon", "not-urgent")
# Whether the person agrees; else why their agreement cannot be had. "does-not-agree"
# is never sent: the council cannot assess someone who refuses and is not at risk.
AGREEMENT = ("agreed", "lacks-capacity", "at-risk", "does-not-agree")
ADVOCATE = ("wanted", "not-wanted", "not-sure")
CONTACT_BY = ("email", "phone")
LANGUAGES = ("cy", "en")
# Where a request is at the council (FHIR Task.businessStatus), in order. The first
# step after received is the council's first contact with the asker.
STEPS = ("received", "contacted", "assessment-booked", "assessed", "closed")


@dataclass(frozen=True)
class Answers:
    """What the asker told us on the question pages."""

    urgency: str
    relation: str
    agreement: str | None  # None when asking for themselves
    person_name: str
    birth_date: str | None  # ISO 8601
    address: str
    postcode: str
    person_phone: str | None
    what_matters: str
    what_is_hard: str
    who_helps: str | None
    advocate: str | None  # None when asking as their advocate
    asker_name: str
    relationship: str | None  # None when asking for themselves
    contact_by: str
    email: str | None
    phone: str | None
    best_times: str | None
    language: str  # the asker's: for what we send, and the council's contact
    assessment_language: str  # the person's: for the assessment

    @property
    def urgent(self) -> bool:
        return self.urgency in ("at-risk-now", "soon")

    @property
    def for_self(self) -> bool:
        return self.relation == "self"

    def check(self) -> None:
        """ValueError unless every choice is one the contract knows, and the person's
        agreement is had or it is said why it cannot be."""
        chosen = [(self.urgency, URGENCY), (self.relation, RELATIONS),
                  (self.contact_by, CONTACT_BY), (self.language, LANGUAGES),
                  (self.assessment_language, LANGUAGES)]
        if any(value not in allowed for value, allowed in chosen):
            raise ValueError(self)
        if self.for_self != (self.agreement is None) or (
                self.agreement is not None and self.agreement not in AGREEMENT[:3]):
            raise ValueError(self)
        if (self.relation == "advocate") != (self.advocate is None) or (
                self.advocate is not None and self.advocate not in ADVOCATE):
            raise ValueError(self)
        if not (self.email if self.contact_by == "email" else self.phone):
            raise ValueError(self)


@dataclass(frozen=True)
class RequestView:
    id: str
    reference: str
    council: str
    person_name: str
    relation: str
    urgent: bool
    created_at: datetime
    answers: Answers
    account_id: str | None
    status: str = "sent"  # sent, then the council's STEPS
    timeline: list[progress.Step] = field(default_factory=list)
    assessment_at: datetime | None = None
    outcome: AssessmentOutcome | None = None
    closed_reason: str | None = None
    record_person_id: str | None = None  # the care record the council opened for them

    @property
    def record_to_link(self) -> bool:
        """Whether the asker may link the record the council opened, in one step: only
        when the request was for themselves."""
        return self.relation == "self" and self.record_person_id is not None


@dataclass(frozen=True)
class Requests:
    requests: list[RequestView]
    council_unavailable: bool  # shown from the portal's records alone


def ask(store: Store, account_id: str | None, token: str, council: str, answers: Answers,
        now: datetime) -> RequestView:
    """Save the request and queue it for the council, in one transaction; sent again
    with the same token (the journey's own id), it is the request made the first time."""
    answers.check()

    def new() -> Row:
        return Row(reference=references.new(references.ASSESSMENT_REQUEST), token=token,
                   account_id=account_id, council=council, relation=answers.relation,
                   person_name=answers.person_name, urgent=answers.urgent,
                   language=answers.language,
                   answers=json.dumps(asdict(answers), ensure_ascii=False), created_at=now)

    return progress.tell_once(store, Row, ("token", token), new, SEND, "assessment-request",
                              _view)


def get(store: Store, request_id: str) -> RequestView:
    """A request, as the portal holds it; LookupError if there is none. Whose it is
    to see is for the caller to say (`account_id` of the view)."""
    with store.transaction() as db:
        row = db.get(Row, request_id)
        if row is None:
            raise LookupError(request_id)
        return _view(row)


def for_account(store: Store, backoffice: BackOfficeClient, account_id: str) -> Requests:
    """The account's requests, newest first, each with how far the council has got;
    without the back office, the portal's own records alone."""
    with store.transaction() as db:
        rows = list(db.scalars(select(Row).where(Row.account_id == account_id)
                               .order_by(Row.created_at.desc())))
        views = [_view(row) for row in rows]
        at_council = {row.id: row.backoffice_id for row in rows if row.backoffice_id}
    try:  # each asked of its council at once: the page waits for the slowest
        reads = {request_id: reading.start(backoffice.get_assessment_request, backoffice_id)
                 for request_id, backoffice_id in at_council.items()}
        held = {request_id: read.result() for request_id, read in reads.items()}
    except BackOfficeUnavailable:
        return Requests(views, council_unavailable=True)
    return Requests([_with_council(view, held.get(view.id)) for view in views], False)


def one_for_account(store: Store, backoffice: BackOfficeClient, account_id: str,
                    request_id: str) -> tuple[RequestView, bool]:
    """One of the account's requests with the council's answer (as for_account), and
    whether the council could not be asked. LookupError if it is not theirs."""
    with store.transaction() as db:
        row = db.get(Row, request_id)
        if row is None or row.account_id is None or row.account_id != account_id:
            raise LookupError(request_id)
        view, backoffice_id = _view(row), row.backoffice_id
    if backoffice_id is None:
        return view, False
    try:
        return _with_council(view, backoffice.get_assessment_request(backoffice_id)), False
    except BackOfficeUnavailable:
        return view, True


def link_record(store: Store, backoffice: BackOfficeClient, account_id: str,
                request_id: str, now: datetime) -> LinkOutcome | None:
    """Link the record the council opened after the assessment to the account that
    asked for itself: no reference to find, because the council named the record in
    its answer to this request. LookupError if the request is not theirs; None when
    there is none to link (asked for someone else, or no record yet), or another
    account holds it."""
    view, _unavailable = one_for_account(store, backoffice, account_id, request_id)
    if not view.record_to_link or view.record_person_id is None:
        return None
    try:
        person = backoffice.get_person(view.record_person_id)
    except NotFound:
        return None
    return accounts.link_person(store, account_id, person, now)


def send(store: Store, backoffice: BackOfficeClient, request_id: str, service_url: str) -> None:
    """Give the request to the council, then record that it has it and queue the
    message that tells the asker. Safe to run any number of times: the write carries
    an Idempotency-Key, and a request the council has is not recorded again."""
    with store.transaction() as db:
        row = db.get(Row, request_id)
        if row is None or row.backoffice_id is not None:
            return
        body, council = _contract_body(row), row.council
    held = backoffice.request_assessment(council, body, f"{request_id}-send")
    with store.transaction() as db:
        row = outbox.record_received(db, Row, request_id, held.id)
        if row is not None:  # else another worker told the asker already
            _tell(db, row, service_url)


# Inside the module ------------------------------------------------------------

def _answers(row: Row) -> Answers:
    return Answers(**json.loads(row.answers))


def _view(row: Row) -> RequestView:
    ours = progress.ours(row)
    return RequestView(row.id, row.reference, row.council, row.person_name, row.relation,
                       row.urgent, row.created_at, _answers(row), row.account_id,
                       ours.status, ours.timeline)


def _with_council(view: RequestView, held: Held | None) -> RequestView:
    """The council's steps since it had the request, and what it said."""
    if held is None:
        return view
    return replace(view, status=held.business_status,
                   timeline=[view.timeline[0], *(progress.Step(h.business_status, h.at)
                                                 for h in held.history)],
                   assessment_at=held.assessment_at, outcome=held.outcome,
                   closed_reason=held.closed_reason, record_person_id=held.person_id)


def _contract_body(row: Row) -> dict[str, Any]:
    """The request as the contract's AssessmentRequestNew."""
    a = _answers(row)
    return {
        "portal_reference": row.reference, "priority": "urgent" if a.urgent else "routine",
        "at_risk_now": a.urgency == "at-risk-now",
        "asked_by": {"relation": a.relation, "name": a.asker_name,
                     "relationship": a.relationship, "preferred_language": a.language,
                     "contact": {"by": a.contact_by, "email": a.email, "phone": a.phone,
                                 "best_times": a.best_times}},
        "subject": {"name": a.person_name, "birth_date": a.birth_date, "address": a.address,
                    "postal_code": a.postcode, "phone": a.person_phone,
                    "preferred_language": a.assessment_language},
        "agreement": a.agreement or "own-request",
        "what_matters": a.what_matters, "what_is_hard": a.what_is_hard,
        "who_helps": a.who_helps, "advocate": a.advocate or "is-advocate",
    }


def _tell(db: Session, row: Row, service_url: str) -> None:
    """Tell the asker the council has their request, in the language they chose, by
    the way they chose to be contacted."""
    a = _answers(row)
    key = "assessment-request-urgent" if row.urgent else "assessment-request-received"
    channel, address = ("email", a.email) if a.contact_by == "email" else ("sms", a.phone)
    assert address is not None  # Answers.check() saw it given
    url = service_url.rstrip("/") + "/ask-for-care-and-support"
    outbox.enqueue(db, channel, f"{key}-{channel}-{row.language}", address, {
        "person_name": row.person_name, "reference": row.reference, "url": url,
    }, about=f"assessment-request:{row.id}")
