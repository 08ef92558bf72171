"""Asking for the council's financial assessment online: the answers of "What will I
pay" carried over, what the council needs beyond them (never bank details), the
evidence (a pension letter, a bank statement: the files messages take), the
declaration; then followed on "Your requests" to the council's decision, the weekly
charge and its reasons, shown beside the estimate. Someone who thinks the decision
wrong asks the council to look at it again (a review of a charging decision: the
Part 4 and 5 Code of Practice, Annex E), once, saying why; that is followed the same
way, to what the council decides on looking again.

A request is saved first, with its back-office write queued in the outbox in the
same transaction, so it is kept while the back office is down; the worker's send()
gives it to the council once (progress.send_once), forgets the files' content the
moment the council has them, and tells the person and whoever asked, each in their
own language."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from portal.clients.backoffice import BackOfficeClient
from portal.files import Upload
from portal.services import contact, outbox, progress, reading, references
from portal.services.estimates import Answers
from portal.store import Store
from portal.store.models import ChargingReview, FinancialAssessment

SEND = "financial-assessment-send"  # the outbox's name for "give it to the council"
SEND_REVIEW = "charging-review-send"  # and for "ask the council to look at it again"
OWNS_HOME = ("yes", "no", "shared")
MOST_EVIDENCE = 3
LONGEST_REASONS = 5000  # why the decision is wrong, as the contract takes it


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
class ReviewView:
    """Asking the council to look again at its decision, and what it decided then."""

    id: str
    reference: str
    reasons: str
    told_by_name: str
    progress: progress.Progress


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
    reviews: list[ReviewView] = field(default_factory=list)  # oldest first

    @property
    def decided(self) -> bool:
        return self.progress.status == "completed"

    @property
    def may_ask_again(self) -> bool:
        """Whether the council may be asked to look at its decision again: once it has
        decided, and once only (after that, the Ombudsman)."""
        return self.decided and not self.reviews

    @property
    def weekly_charge_pence(self) -> int | None:
        """What the council decided they pay a week, the last time it looked."""
        looked = [r.progress.weekly_charge_pence for r in self.reviews
                  if r.progress.weekly_charge_pence is not None]
        return looked[-1] if looked else self.progress.weekly_charge_pence


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
    """One of the person's requests, with what the council has done and decided (and
    on looking again), and whether the council could not be asked; LookupError if it
    is not theirs."""
    views, unavailable = _with_council(
        backoffice, person_id, [progress.theirs(store, FinancialAssessment, person_id,
                                                assessment_id, _view)])
    return views[0], unavailable


def for_person(store: Store, backoffice: BackOfficeClient, person_id: str) -> Assessments:
    """The person's requests, newest first, with what the council has done and
    decided. Without the back office, the portal's own records alone."""
    return Assessments(*_with_council(
        backoffice, person_id, progress.of_person(store, FinancialAssessment, person_id, _view)))


def ask_again(store: Store, assessment: AssessmentView, person_id: str, reasons: str,
              account_id: str, actor_name: str, now: datetime) -> ReviewView:
    """Ask the council to look again at its decision on this assessment (as `get` gave
    it), saying why, and queue it for the council, in one transaction: once for each
    assessment, so sent twice (or from two pages at once), asked once. ValueError if
    the council has not decided, or has been asked to look again already."""
    if not assessment.may_ask_again:
        raise ValueError("not a decision the council may be asked to look at again")
    return progress.tell_once(
        store, ChargingReview, ("financial_assessment_id", assessment.id), lambda: ChargingReview(
            reference=references.new(references.CHARGING_REVIEW),
            financial_assessment_id=assessment.id, person_id=person_id, reasons=reasons,
            told_by_account_id=account_id, told_by_name=actor_name, created_at=now),
        SEND_REVIEW, "charging-review", _review_view)


def send_review(store: Store, backoffice: BackOfficeClient, review_id: str,
                service_url: str) -> None:
    """Give the council the request to look again, then tell the person and whoever
    asked that it has it (safe to run any number of times)."""
    def assessment(db: Session | None, row: ChargingReview) -> FinancialAssessment:
        found = db.get(FinancialAssessment, row.financial_assessment_id) if db else None
        assert found is not None  # a review's assessment is never deleted
        return found

    progress.send_once(
        store, ChargingReview, review_id, lambda row: row.told_by_account_id,
        lambda row: {"financial_assessment_id": assessment(object_session(row), row)
                     .backoffice_id, "reasons": row.reasons, "told_by": row.told_by_name,
                     "portal_reference": row.reference},
        lambda person_id, body: backoffice.ask_for_charging_review(
            person_id, body, f"{review_id}-send"),
        lambda db, row, recipients: _told(db, row, recipients, service_url,
                                          "charging-review-received", assessment(db, row)))


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
    db = object_session(row)
    return AssessmentView(row.id, row.reference, row.person_name,
                          Application.from_json(row.answers), row.estimate_pence,
                          [f.filename for f in progress.files_of(db, row.id)],
                          row.told_by_name, progress.ours(row),
                          [_review_view(r) for r in db.scalars(
                              select(ChargingReview)
                              .where(ChargingReview.financial_assessment_id == row.id)
                              .order_by(ChargingReview.created_at))] if db else [])


def _review_view(row: ChargingReview) -> ReviewView:
    return ReviewView(row.id, row.reference, row.reasons, row.told_by_name, progress.ours(row))


def _with_council(backoffice: BackOfficeClient, person_id: str, views: list[AssessmentView]
                  ) -> tuple[list[AssessmentView], bool]:
    """The requests with what the council has done and decided, on looking again too
    (both read at once, the second only if it has been asked to look again), and
    whether the council could not be asked."""
    reviews = [r for v in views for r in v.reviews]
    looked = reading.start(backoffice.list_charging_reviews, person_id) if reviews else None
    merged, unavailable = progress.with_council(
        views, lambda: backoffice.list_financial_assessments(person_id))
    if looked is None:
        return merged, unavailable
    again, not_again = progress.with_council(reviews, looked.result)
    by_id = {r.id: r for r in again}
    return ([replace(v, reviews=[by_id[r.id] for r in v.reviews]) for v in merged],
            unavailable or not_again)


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
    """The council has it: its files' content is no longer ours to keep; tell them."""
    progress.forget_files(db, row.id)
    _told(db, row, recipients, service_url, "financial-assessment-received", row)


def _told(db: Session, row: FinancialAssessment | ChargingReview,
          recipients: list[contact.Recipient], service_url: str, template: str,
          assessment: FinancialAssessment) -> None:
    """Tell them the council has it, each in their own language, by the reference of
    what was sent."""
    for to in recipients:
        outbox.tell(db, to, template, lambda language: {
            "person_name": assessment.person_name, "reference": row.reference,
            "url": service_url.rstrip("/") + "/your-requests",
        }, about=f"{template.removesuffix('-received')}:{row.id}")
