"""What a person sees of their care: the home summary, the plan, the visits."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from portal.clients.backoffice import BackOfficeClient, CarePlan, Person, Visit
from portal.clock import local_date

VISIT_WINDOW_DAYS = 14
UPCOMING = ("booked", "in-progress", "late")

# Pages that need several back-office reads make them at once.
_reads = ThreadPoolExecutor(max_workers=16, thread_name_prefix="backoffice-read")


@dataclass(frozen=True)
class HomeSummary:
    person: Person
    plan: CarePlan | None
    next_visit: Visit | None
    as_of: datetime


@dataclass(frozen=True)
class PlanPage:
    person: Person
    plan: CarePlan | None
    as_of: datetime


@dataclass(frozen=True)
class VisitsPage:
    person: Person
    upcoming: list[Visit]
    recent: list[Visit]
    as_of: datetime


def home(backoffice: BackOfficeClient, person_id: str, now: datetime) -> HomeSummary:
    """The person, their plan and their next visit, read concurrently."""
    today = local_date(now)
    person = _reads.submit(backoffice.get_person, person_id)
    care_plan = _reads.submit(backoffice.get_care_plan, person_id)
    window = _reads.submit(backoffice.list_visits, person_id, today,
                           today + timedelta(VISIT_WINDOW_DAYS))
    coming = [v for v in window.result().visits
              if v.status in UPCOMING and (v.planned_end or v.planned_start) >= now]
    freshness = [person.result().as_of, window.result().as_of]
    if care_plan.result() is not None:
        freshness.append(care_plan.result().as_of)  # type: ignore[union-attr]
    return HomeSummary(person=person.result(), plan=care_plan.result(),
                       next_visit=coming[0] if coming else None, as_of=min(freshness))


def plan(backoffice: BackOfficeClient, person_id: str) -> PlanPage:
    """The person's care and support plan; .plan is None if none is agreed yet."""
    person = _reads.submit(backoffice.get_person, person_id)
    care_plan = _reads.submit(backoffice.get_care_plan, person_id)
    found = care_plan.result()
    return PlanPage(person=person.result(), plan=found,
                    as_of=found.as_of if found else person.result().as_of)


def visits(backoffice: BackOfficeClient, person_id: str, now: datetime) -> VisitsPage:
    """Home care visits over the last and next VISIT_WINDOW_DAYS days."""
    today = local_date(now)
    person = _reads.submit(backoffice.get_person, person_id)
    window = _reads.submit(backoffice.list_visits, person_id,
                           today - timedelta(VISIT_WINDOW_DAYS),
                           today + timedelta(VISIT_WINDOW_DAYS))
    every = window.result().visits
    return VisitsPage(
        person=person.result(),
        upcoming=[v for v in every if local_date(v.planned_start) >= today],
        recent=[v for v in reversed(every) if local_date(v.planned_start) < today],
        as_of=window.result().as_of,
    )
