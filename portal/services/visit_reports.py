"""Reporting a missed or late visit, and following what the council does about it.

A report is saved first, with its back-office write queued in the outbox in the
same transaction, so it is kept while the back office is down. The worker's send()
then gives it to the council and, in the transaction that records that the council
has it, queues the messages that say so to the person and whoever reported it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import messages
from portal.clients.backoffice import BackOfficeClient, Visit
from portal.clock import local_date
from portal.services import contact, outbox, progress, references
from portal.services.care import VISIT_WINDOW_DAYS
from portal.store import Store
from portal.store.models import VisitReport

SEND = "visit-report-send"  # the outbox's name for "give the report to the council"
PROBLEMS = ("nobody-came", "came-late", "left-early", "someone-unexpected")
# How far back a visit can be reported: the window "Your visits" shows problems for.
REPORT_WITHIN_DAYS = VISIT_WINDOW_DAYS


@dataclass(frozen=True)
class ReportView:
    id: str
    reference: str
    visit_start: datetime
    what_happened: str
    at_risk: bool
    details: str | None
    reported_by_name: str
    progress: progress.Progress


@dataclass(frozen=True)
class Reports:
    reports: list[ReportView]
    council_unavailable: bool  # shown from the portal's records alone


def reportable(backoffice: BackOfficeClient, person_id: str, visit_id: str,
               now: datetime) -> Visit | None:
    """The person's visit, if it has begun (or should have) within the last
    REPORT_WITHIN_DAYS days; None for any other id."""
    today = local_date(now)
    visits = backoffice.list_visits(person_id, today - timedelta(days=REPORT_WITHIN_DAYS),
                                    today).visits
    return next((v for v in visits if v.id == visit_id and v.planned_start <= now), None)


def report(store: Store, person_id: str, person_name: str, account_id: str, actor_name: str,
           visit_id: str, visit_start: datetime, what_happened: str, at_risk: bool,
           details: str | None, now: datetime) -> ReportView:
    """Save the report and queue it for the council, in one transaction. One report a
    visit: with one made already (a form sent twice, say), that one."""
    if what_happened not in PROBLEMS:
        raise ValueError(what_happened)
    with store.transaction() as db:
        made = db.scalar(select(VisitReport).where(VisitReport.person_id == person_id,
                                                   VisitReport.visit_id == visit_id))
        if made is not None:
            return _view(made)
        row = VisitReport(
            reference=references.new(references.VISIT_REPORT), person_id=person_id,
            person_name=person_name, visit_id=visit_id, visit_start=visit_start,
            what_happened=what_happened, at_risk=at_risk, details=details,
            reported_by_account_id=account_id, reported_by_name=actor_name, created_at=now)
        db.add(row)
        db.flush()
        outbox.enqueue(db, "backoffice", SEND, row.id, {}, about=f"visit-report:{row.id}")
        return _view(row)


def get(store: Store, backoffice: BackOfficeClient, person_id: str, report_id: str
        ) -> tuple[ReportView, bool]:
    """One of the person's reports, with what the council has done and said (as
    for_person), and whether the council could not be asked; LookupError if it is
    not theirs."""
    return progress.one_with_council(store, VisitReport, person_id, report_id, _view,
                                     lambda: backoffice.list_visit_reports(person_id))


def for_person(store: Store, backoffice: BackOfficeClient, person_id: str) -> Reports:
    """The person's reports, newest first, with what the council has done and said.
    Without the back office, the portal's own records alone."""
    return Reports(*progress.with_council(
        progress.of_person(store, VisitReport, person_id, _view),
        lambda: backoffice.list_visit_reports(person_id)))


def send(store: Store, backoffice: BackOfficeClient, report_id: str, service_url: str) -> None:
    """Give the report to the council, then tell the person and whoever reported it
    that it has it (progress.send_once: safe to run any number of times)."""
    progress.send_once(
        store, VisitReport, report_id, lambda row: row.reported_by_account_id,
        lambda row: {"visit_id": row.visit_id, "what_happened": row.what_happened,
                     "at_risk": row.at_risk, "details": row.details,
                     "reported_by": row.reported_by_name, "portal_reference": row.reference},
        lambda person_id, body: backoffice.report_visit(person_id, body, f"{report_id}-send"),
        lambda db, row, recipients: _tell(db, row, recipients, service_url))


# Inside the module ------------------------------------------------------------

def _view(row: VisitReport) -> ReportView:
    return ReportView(row.id, row.reference, row.visit_start, row.what_happened, row.at_risk,
                      row.details, row.reported_by_name, progress.ours(row))


def _tell(db: Session, row: VisitReport, recipients: list[contact.Recipient],
          service_url: str) -> None:
    """Tell them the council has the report, each in their own language."""
    for to in recipients:
        outbox.tell(db, to, "visit-report-received", lambda language: {
            "person_name": row.person_name, "reference": row.reference,
            "when": messages.when(row.visit_start, language),
            "when_mutated": messages.when(row.visit_start, language, after_preposition=True),
            "url": service_url.rstrip("/") + "/your-requests",
        }, about=f"visit-report:{row.id}")
