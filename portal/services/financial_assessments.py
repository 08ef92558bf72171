"""Asking for the council's financial assessment online: the answers of "What will I
pay" carried over, what the council needs beyond them (never bank details), the
evidence (a pension letter, a bank statement: the files messages take), the
declaration; then followed on "Your requests" to the council's decision, the weekly
charge and its reasons, shown beside the estimate.

A request is saved first, with its back-office write queued in the outbox in the
same transaction, so it is kept while the back office is down; the worker's send()
gives it to the council once (progress.send_once), forgets the files' content the
moment the council has them, and tells the person and whoever asked, each in their
own language."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, object_session

from portal.clients.backoffice import BackOfficeClient
from portal.files import Upload
from portal.services import contact, outbox, progress, references
from portal.services.estimates import Answers
from portal.store import Store
from portal.store.models import FinancialAssessment

SEND = "financial-assessment-send"  # the outbox's name for "give it to the council"
OWNS_HOME = ("yes", "no", "shared")
MOST_EVIDENCE = 3


@dataclass(frozen=True)
class Application:
    """What someone tells the council for its financial assessment: the estimate's
    answers, and what the council needs beyond them."""

    answers: Answers
    owns_home: str          # one of OWNS_HOME
    lives_with_partner: bool

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Application:
        saved: dict[str, Any] = json.loads(text)
        return cls(Answers(**saved["answers"]), saved["owns_home"], saved["lives_with_partner"])


@dataclass(frozen=True)
class AssessmentView:
    id: str
    reference: str
    person_name: str
    application: Application
    estimate_pence: int
    evidence: list[str]      # the files' names
    told_by_name: str
    progress: progress.Progress


@dataclass(frozen=True)
class Assessments:
    assessments: list[AssessmentView]
    council_unavailable: bool  # shown from the portal's records alone


def ask(store: Store, person_id: str, person_name: str, account_id: str, actor_name: str,
        application: Application, estimate_pence: int, evidence: list[Upload],
        journey: str, now: datetime) -> AssessmentView:
    """Save the request with its evidence and queue it for the council, in one
    transaction. `journey` names the question pages' answers: sent twice (or twice at
    once), one request."""
    if application.owns_home not in OWNS_HOME or len(evidence) > MOST_EVIDENCE:
        raise ValueError("not a request the contract takes")
    return progress.tell_once(
        store, FinancialAssessment, ("journey", journey), lambda: FinancialAssessment(
            reference=references.new(references.FINANCIAL_ASSESSMENT), journey=journey,
            person_id=person_id, person_name=person_name, answers=application.to_json(),
            estimate_pence=estimate_pence, told_by_account_id=account_id,
            told_by_name=actor_name, created_at=now),
        SEND, "financial-assessment", _view, evidence)


def get(store: Store, backoffice: BackOfficeClient, person_id: str, assessment_id: str
        ) -> tuple[AssessmentView, bool]:
    """One of the person's requests, with what the council has done and decided, and
    whether the council could not be asked; LookupError if it is not theirs."""
    return progress.one_with_council(store, FinancialAssessment, person_id, assessment_id,
                                     _view, lambda: backoffice.list_financial_assessments(
                                         person_id))


def for_person(store: Store, backoffice: BackOfficeClient, person_id: str) -> Assessments:
    """The person's requests, newest first, with what the council has done and
    decided. Without the back office, the portal's own records alone."""
    return Assessments(*progress.with_council(
        progress.of_person(store, FinancialAssessment, person_id, _view),
        lambda: backoffice.list_financial_assessments(person_id)))


def send(store: Store, backoffice: BackOfficeClient, assessment_id: str,
         service_url: str) -> None:
    """Give the request to the council, then forget the files' content and tell the
    person and whoever asked that it has it (safe to run any number of times)."""
    progress.send_once(
        store, FinancialAssessment, assessment_id, lambda row: row.told_by_account_id,
        lambda row: _contract(store, row),
        lambda person_id, body: backoffice.ask_for_financial_assessment(
            person_id, body, f"{assessment_id}-send"),
        lambda db, row, recipients: _received(db, row, recipients, service_url))


# Inside the module ------------------------------------------------------------

def _view(row: FinancialAssessment) -> AssessmentView:
    return AssessmentView(row.id, row.reference, row.person_name,
                          Application.from_json(row.answers), row.estimate_pence,
                          [f.filename for f in progress.files_of(object_session(row), row.id)],
                          row.told_by_name, progress.ours(row))


def _contract(store: Store, row: FinancialAssessment) -> dict[str, Any]:
    """The request as the contract's FinancialAssessmentNew says it."""
    application = Application.from_json(row.answers)
    answers = application.answers
    with store.transaction() as db:
        evidence = progress.files_for_council(db, row.id)
    return {
        "answers": {
            "pension_age": answers.pension_age, "disability_benefit": answers.disability_benefit,
            "night_care": answers.night_care,
            "weekly_income_pence": {k: v for k, v in answers.income.items() if v},
            "savings_pence": answers.savings, "housing_costs_pence": answers.housing_costs,
            "disability_costs_pence": answers.disability_costs,
            "care_cost_pence": answers.care_cost, "owns_home": application.owns_home,
            "lives_with_partner": application.lives_with_partner},
        "estimate_pence": row.estimate_pence, "evidence": evidence, "declared": True,
        "told_by": row.told_by_name, "portal_reference": row.reference}


def _received(db: Session, row: FinancialAssessment, recipients: list[contact.Recipient],
              service_url: str) -> None:
    """The council has it: its files' content is no longer ours to keep; tell them,
    each in their own language."""
    progress.forget_files(db, row.id)
    for to in recipients:
        outbox.tell(db, to, "financial-assessment-received", lambda language: {
            "person_name": row.person_name, "reference": row.reference,
            "url": service_url.rstrip("/") + "/your-requests",
        }, about=f"financial-assessment:{row.id}")
