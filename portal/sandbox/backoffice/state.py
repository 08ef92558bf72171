"""What one sandbox back office holds, as one typed object: its demo people, the
reviews booked, the council's ledger, the carer's assessment requests, what people
told the council, the conversations. Each council's back office is one instance;
tests reach it as `state.of(app)`."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import Flask, current_app

from portal.clock import today, utcnow
from portal.sandbox import faults as fault_injection
from portal.sandbox.backoffice import area, data
from portal.sandbox.backoffice.conversations import Conversations

Held = dict[str, dict[str, Any]]  # things the back office holds, by id


class UnknownPerson(Exception):
    """A person this back office does not hold."""


@dataclass
class BackOffice:
    api_key: str
    council: str | None  # its GSS code; None: one back office holding every demo person
    everyone: dict[str, data.DemoPerson]  # every demo person, whichever council holds them
    people: dict[str, data.DemoPerson]    # those this back office holds, and its area
    faults: fault_injection.Faults
    conversations: Conversations
    # Invoices by person, with the payments recorded against them (the ledger).
    ledger: dict[str, list[dict[str, Any]]]
    # Carer's needs assessment requests (FHIR ServiceRequest), by id.
    carer_requests: Held
    # Requests for an assessment of care and support needs (FHIR ServiceRequest), by id.
    assessment_requests: Held = field(default_factory=dict)
    # Carers' emergency plans, by id: the highest version of each.
    emergency_plans: Held = field(default_factory=dict)
    # Review bookings (FHIR Appointment) made through the API, by id.
    bookings: Held = field(default_factory=dict)
    # What people told the council through the portal (FHIR Tasks), by id.
    visit_reports: Held = field(default_factory=dict)
    changes: Held = field(default_factory=dict)
    financial_assessments: Held = field(default_factory=dict)
    # Asking the council to look again at its decision on one of those.
    charging_reviews: Held = field(default_factory=dict)
    direct_payment_returns: Held = field(default_factory=dict)
    # What the providers' call monitoring said of a visit since the day was laid out
    # (on the way, running late, moved...), by visit id: laid over it when listed.
    visit_news: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The same, as the feed of visit events gives it, in the order said.
    visit_events: list[dict[str, Any]] = field(default_factory=list)
    # Answers to POSTs, by operation (method and path) and Idempotency-Key: (status,
    # body). A key belongs to one operation: used on another, it is a new request there.
    replies: dict[tuple[str, str, str], tuple[int, dict[str, Any]]] = field(
        default_factory=dict)
    # The X-Request-Id of each call, latest last, as a real system's logs would show.
    request_ids: deque[str | None] = field(default_factory=lambda: deque(maxlen=1000))
    # When the area's figures were asked for: tests see the portal ask at most once a
    # minute, whatever the number of pages and processes.
    statistics_asked: list[str] = field(default_factory=list)
    weeks_over: dict[date, area.VisitCounts] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def of_council(cls, api_key: str, council: str | None,
                   faults: fault_injection.Faults | None = None) -> BackOffice:
        """A back office of one council (its demo people and its area), or, without
        one, of every demo person."""
        everyone = data.people()
        people = {**{pid: d for pid, d in everyone.items() if council in (None, d.council)},
                  **area.people(today(), council)}
        return cls(
            api_key=api_key, council=council, everyone=everyone, people=people,
            faults=faults or fault_injection.Faults(),
            conversations=Conversations(utcnow(), holding=people.keys()),
            ledger={pid: data.invoices(pid, today()) for pid in people},
            carer_requests={r["id"]: dict(r) for d in people.values()
                            for r in d.carer_requests},
            financial_assessments={a["id"]: dict(a) for d in people.values()
                                   for a in d.financial_assessments},
            assessment_requests=area.asked_for_help(today(), council))

    @property
    def by_reference(self) -> dict[str, data.DemoPerson]:
        return {d.person["council_reference"].upper(): d for d in self.people.values()}

    def find(self, person_id: str) -> data.DemoPerson:
        """The person, if this back office holds them; else UnknownPerson (a 404)."""
        if person_id not in self.people:
            raise UnknownPerson(person_id)
        return self.people[person_id]

    def elsewhere(self, person_id: str | None) -> dict[str, str]:
        """The council holding a demo person's record, when that is another council."""
        if person_id is None or person_id in self.people or person_id not in self.everyone:
            return {}
        return {"council": self.everyone[person_id].council}

    def tasks(self, listed_as: str) -> Held:
        """What people told the council of one kind (visit_reports, changes,
        financial_assessments, charging_reviews, direct_payment_returns)."""
        held: Held = getattr(self, listed_as)
        return held


def of(app: Flask) -> BackOffice:
    """What this sandbox back office app holds."""
    held: BackOffice = app.extensions["backoffice"]
    return held


def current() -> BackOffice:
    """What the back office answering this request holds."""
    return of(current_app)


def as_of() -> str:
    # The sandbox "syncs" every quarter hour, like a batch-fed back office.
    now = utcnow().replace(second=0, microsecond=0)
    return (now - timedelta(minutes=now.minute % 15)).isoformat().replace("+00:00", "Z")


def now_utc() -> str:
    return data._utc(utcnow().replace(microsecond=0))
