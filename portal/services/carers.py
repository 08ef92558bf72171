"""Unpaid carers in their own right: saying you look after someone, asking for a
carer's needs assessment, following it, and reading your own support plan.

A carer's area is theirs alone. It hangs off their own account (and their own care
record, once linked), never off the record of the person they look after, so
neither sees the other's through the access someone gave to act for them.

An assessment request is saved first, with its back-office write queued in the
outbox in the same transaction, so it is kept while the back office is down. The
worker's send() then gives it to the council and, in the transaction that records
that the council has it, queues the messages that tell the carer."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import records
from portal.clients.backoffice import BackOfficeClient, CarePlan, CarerAssessmentRequest
from portal.clients.errors import BackOfficeUnavailable
from portal.services import contact, outbox, references
from portal.store import Store
from portal.store.models import Account
from portal.store.models import CarerAssessmentRequest as RequestRow

SEND = "carer-assessment-send"  # the outbox's name for "give the request to the council"

# The answers a carer can give, as the contract names them.
COUNCIL_CARE = ("yes", "no", "not-sure")
TASKS = ("personal-care", "medicines", "meals", "housework", "shopping", "getting-about",
         "emotional-support", "watching-over", "money-and-paperwork", "other")
HOURS = ("under-20", "20-34", "35-49", "50-or-more")
CARRY_ON = ("yes", "with-more-support", "no")
WHAT_MATTERS = ("work", "learning", "health", "sleep", "time-for-myself", "other")
CONTACT_BY = ("email", "phone")
LANGUAGES = ("cy", "en")
# Where a request is, at the council (FHIR Task.businessStatus), in order.
STEPS = ("received", "contacted", "assessment-booked", "assessed", "plan-agreed", "closed")


@dataclass(frozen=True)
class Answers:
    """What the carer told us on the question pages."""

    cared_for_name: str
    cared_for_person_id: str | None  # someone they act for in the portal, if chosen
    relationship: str
    lives_together: bool
    council_care: str
    tasks: tuple[str, ...]
    tasks_detail: str | None
    hours: str
    carry_on: str
    carry_on_detail: str | None
    what_matters: tuple[str, ...]
    what_matters_detail: str | None
    contact_by: str
    email: str | None
    phone: str | None
    best_times: str | None
    language: str
    access_needs: str | None

    @property
    def urgent(self) -> bool:
        """They cannot or do not want to carry on caring: the council must act quickly,
        and must not assume they will carry on meanwhile."""
        return self.carry_on == "no"

    def check(self) -> None:
        """ValueError unless every choice is one the contract knows."""
        chosen = [(self.council_care, COUNCIL_CARE), (self.hours, HOURS),
                  (self.carry_on, CARRY_ON), (self.contact_by, CONTACT_BY),
                  (self.language, LANGUAGES)]
        if any(value not in allowed for value, allowed in chosen) or not self.tasks \
                or not set(self.tasks) <= set(TASKS) or not self.what_matters \
                or not set(self.what_matters) <= set(WHAT_MATTERS):
            raise ValueError(self)


@dataclass(frozen=True)
class Step:
    kind: str  # requested, then the council's STEPS
    at: datetime


@dataclass(frozen=True)
class RequestView:
    id: str
    reference: str
    cared_for_name: str
    urgent: bool
    status: str  # requested (not yet with the council), then the council's STEPS
    created_at: datetime
    answers: Answers | None  # None for a request the council took itself (by phone)
    timeline: list[Step] = field(default_factory=list)

    @property
    def from_portal(self) -> bool:
        return self.answers is not None


@dataclass(frozen=True)
class Requests:
    requests: list[RequestView]
    council_unavailable: bool  # shown from the portal's records alone


def is_carer(store: Store, account_id: str) -> bool:
    """Whether they have told us they look after someone."""
    with store.transaction() as db:
        account = db.get(Account, account_id)
        return account is not None and account.carer_since is not None


def look_after_someone(store: Store, account_id: str, now: datetime) -> None:
    """They look after someone: from now on they have a carer's area. Saying it twice
    changes nothing."""
    with store.transaction() as db:
        _say_carer(db, account_id, now)


def council_to_ask(cared_for_person_id: str | None, chosen: str | None,
                   carer_person_id: str | None, otherwise: str) -> str:
    """The council a carer asks (for an assessment) or tells (their emergency plan):
    that of the person cared for, where the portal knows their record; else the one the
    carer chose, the council of the area the person lives in; else that of the carer's
    own record; else `otherwise` (the one council served)."""
    if cared_for_person_id:
        return records.council_of(cared_for_person_id)
    if chosen:
        return chosen
    return records.council_of(carer_person_id) if carer_person_id else otherwise


def ask_for_assessment(store: Store, account_id: str, council: str,
                       carer_person_id: str | None, carer_name: str, answers: Answers,
                       now: datetime) -> RequestView:
    """Save the request and queue it for the council, in one transaction."""
    answers.check()
    with store.transaction() as db:
        _say_carer(db, account_id, now)
        row = RequestRow(reference=references.new(references.CARER_ASSESSMENT),
                         account_id=account_id, council=council,
                         carer_person_id=carer_person_id,
                         carer_name=carer_name, cared_for_name=answers.cared_for_name,
                         urgent=answers.urgent, language=answers.language,
                         answers=json.dumps(asdict(answers), ensure_ascii=False),
                         created_at=now)
        db.add(row)
        db.flush()
        outbox.enqueue(db, "backoffice", SEND, row.id, {}, about=f"carer-assessment:{row.id}")
        return _view(row)


def get(store: Store, account_id: str, request_id: str) -> RequestView:
    """One of the carer's own requests, as the portal holds it; LookupError if it is
    not theirs."""
    with store.transaction() as db:
        row = db.get(RequestRow, request_id)
        if row is None or row.account_id != account_id:
            raise LookupError(request_id)
        return _view(row)


def for_carer(store: Store, backoffice: BackOfficeClient, account_id: str,
              carer_person_id: str | None) -> Requests:
    """The carer's requests, newest first: those made here, with how far the council
    has got, and, for a carer with a record, those the council took another way (by
    phone, say). Without the back office, the portal's own alone."""
    with store.transaction() as db:
        rows = list(db.scalars(select(RequestRow).where(RequestRow.account_id == account_id)
                               .order_by(RequestRow.created_at.desc())))
        views = [_view(row) for row in rows]
        at_council = {row.reference: row.backoffice_id for row in rows if row.backoffice_id}
    try:
        held = backoffice.list_carer_assessment_requests(carer_person_id) \
            if carer_person_id else []
        listed = {r.portal_reference for r in held}
        # A carer with no record there: each request the council has, one by one.
        held += [backoffice.get_carer_assessment_request(backoffice_id)
                 for reference, backoffice_id in at_council.items() if reference not in listed]
    except BackOfficeUnavailable:
        return Requests(views, council_unavailable=True)
    by_reference = {r.portal_reference: r for r in held if r.portal_reference}
    ours = {view.reference for view in views}
    merged = [_with_council(view, by_reference.get(view.reference)) for view in views]
    merged += [_councils_own(r) for r in sorted(held, key=lambda r: r.authored_on, reverse=True)
               if r.portal_reference not in ours]
    return Requests(merged, council_unavailable=False)


def support_plan(backoffice: BackOfficeClient, carer_person_id: str) -> CarePlan | None:
    """The support plan the council agreed with the carer, if there is one."""
    return backoffice.get_carer_support_plan(carer_person_id)


def send(store: Store, backoffice: BackOfficeClient, request_id: str, service_url: str) -> None:
    """Give the request to the council, then record that it has it and queue the
    messages that say so. Safe to run any number of times: the write carries an
    Idempotency-Key, and a request the council has is not recorded again."""
    with store.transaction() as db:
        row = db.get(RequestRow, request_id)
        if row is None or row.backoffice_id is not None:
            return
        body, account_id, person_id = _contract_body(row), row.account_id, row.carer_person_id
        council = row.council
    held = backoffice.request_carer_assessment(council, body, f"{request_id}-send")
    with store.transaction() as db:
        row = outbox.record_received(db, RequestRow, request_id, held.id)
        if row is not None:  # else another worker told the carer already
            _tell(db, row, contact.recipients_in(db, person_id, [account_id]), service_url)


# Inside the module ------------------------------------------------------------

def _say_carer(db: Session, account_id: str, now: datetime) -> None:
    account = db.get(Account, account_id)
    if account is None:
        raise LookupError(account_id)
    if account.carer_since is None:
        account.carer_since = now


def _answers(row: RequestRow) -> Answers:
    saved = json.loads(row.answers)
    return Answers(**{**saved, "tasks": tuple(saved["tasks"]),
                      "what_matters": tuple(saved["what_matters"])})


def _view(row: RequestRow) -> RequestView:
    steps = [Step("requested", row.created_at)]
    if row.received_at is not None:
        steps.append(Step("received", row.received_at))
    return RequestView(row.id, row.reference, row.cared_for_name, row.urgent,
                       "received" if row.received_at else "requested", row.created_at,
                       _answers(row), steps)


def _with_council(view: RequestView, held: CarerAssessmentRequest | None) -> RequestView:
    """The council's steps since it had the request."""
    if held is None:
        return view
    return replace(view, status=held.business_status, timeline=[
        view.timeline[0], *(Step(h.business_status, h.at) for h in held.history)])


def _councils_own(held: CarerAssessmentRequest) -> RequestView:
    """A request the council took another way (by phone, say)."""
    return RequestView(held.id, held.portal_reference or held.id, held.cared_for_name,
                       held.priority == "urgent", held.business_status, held.authored_on,
                       None, [Step(h.business_status, h.at) for h in held.history])


def _contract_body(row: RequestRow) -> dict[str, Any]:
    """The request as the contract's CarerAssessmentRequestNew."""
    a = _answers(row)
    return {
        "portal_reference": row.reference, "priority": "urgent" if row.urgent else "routine",
        "carer": {"person_id": row.carer_person_id, "name": row.carer_name,
                  "preferred_language": a.language},
        "cared_for": {"person_id": a.cared_for_person_id, "name": a.cared_for_name,
                      "relationship": a.relationship, "lives_with_carer": a.lives_together,
                      "gets_council_care": a.council_care},
        "caring": {"tasks": list(a.tasks), "tasks_detail": a.tasks_detail,
                   "hours_per_week": a.hours},
        "able_and_willing": a.carry_on, "able_and_willing_detail": a.carry_on_detail,
        "what_matters": list(a.what_matters), "what_matters_detail": a.what_matters_detail,
        "contact": {"by": a.contact_by, "email": a.email, "phone": a.phone,
                    "best_times": a.best_times, "access_needs": a.access_needs},
    }


def _tell(db: Session, row: RequestRow, recipients: list[contact.Recipient],
          service_url: str) -> None:
    """Tell the carer the council has their request, in the language they chose for it."""
    key = "carer-assessment-urgent" if row.urgent else "carer-assessment-received"
    url = service_url.rstrip("/") + "/support-for-carers"
    for to in recipients:
        outbox.enqueue(db, to.channel, f"{key}-{to.channel}-{row.language}", to.address, {
            "cared_for_name": row.cared_for_name, "reference": row.reference, "url": url,
        }, about=f"carer-assessment:{row.id}")
