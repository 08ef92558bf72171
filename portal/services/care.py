"""What a person sees of their care: the home summary, the plan, the visits."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.clients.backoffice import (
    BackOfficeClient,
    CarePlan,
    Contact,
    Person,
    Visit,
    VisitRecord,
)
from portal.clients.errors import NotFound
from portal.clock import local_date
from portal.services.reading import start

VISIT_WINDOW_DAYS = 14
UPCOMING = ("booked", "on-the-way", "in-progress", "late")
PROBLEMS = ("missed", "late")
WEEK = timedelta(days=7)
WEEKS_BACK = 4   # how far back the visits page goes, a week at a time
WEEKS_AHEAD = 3


@dataclass(frozen=True)
class HomeSummary:
    person: Person
    plan: CarePlan | None
    next_visit: Visit | None
    problems: list[Visit]
    as_of: datetime


@dataclass(frozen=True)
class PlanPage:
    person: Person
    plan: CarePlan | None
    as_of: datetime


@dataclass(frozen=True)
class VisitDay:
    day: date
    visits: list[Visit]


@dataclass(frozen=True)
class VisitsPage:
    """Missed and late visits first; then one week of visits, a day at a time."""

    person: Person
    lead_worker: Contact | None
    problems: list[Visit]
    days: list[VisitDay]
    today: date
    earlier: date | None   # the first day of the week before, if it may be shown
    later: date | None     # the first day of the week after, if it may be shown
    as_of: datetime
    now: datetime

    def state(self, visit: Visit) -> str:
        return state_of(visit, self.now)

    def may_report(self, visit: Visit) -> bool:
        """Whether the visit can be reported: it has begun, or should have, within the
        last VISIT_WINDOW_DAYS days (visit_reports.reportable checks it again)."""
        return visit.status not in ("booked", "on-the-way", "cancelled") and \
            self.today - timedelta(VISIT_WINDOW_DAYS) <= local_date(visit.planned_start) \
            and visit.planned_start <= self.now

    @property
    def follows_today(self) -> bool:
        """Whether the week shown holds today, whose visits change as they happen."""
        return self.days[0].day <= self.today <= self.days[-1].day

    @property
    def version(self) -> str:
        """What the visits shown say, in short: it changes when any of them does."""
        said = "|".join(f"{v.id}:{self.state(v)}:{v.actual_start}:{v.actual_end}:"
                        f"{v.expected_start}:{v.moved_to}:{v.carer_first_name}"
                        for day in self.days for v in day.visits)
        return hashlib.sha256(said.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class VisitPage:
    """One visit, and what the care worker recorded of it once it finished."""

    person: Person
    visit: Visit
    record: VisitRecord | None
    now: datetime
    as_of: datetime

    @property
    def state(self) -> str:
        return state_of(self.visit, self.now)

    @property
    def finished(self) -> bool:
        return self.visit.actual_end is not None


def visit(backoffice: BackOfficeClient, person_id: str, visit_id: str, now: datetime
          ) -> VisitPage:
    """One of the person's visits; LookupError for an id the back office does not hold
    for them."""
    person = start(backoffice.get_person, person_id)
    found = start(backoffice.get_visit, person_id, visit_id)
    try:
        detail = found.result()
    except NotFound as missing:
        raise LookupError(visit_id) from missing
    return VisitPage(person.result(), detail.visit, detail.record, now, detail.as_of)


def state_of(visit: Visit, now: datetime) -> str:
    """What the visit is now, as the pages say it: the back office's status, or "due"
    for one still booked whose time has come."""
    return "due" if visit.status == "booked" and visit.planned_start <= now else visit.status


def problems(visits: list[Visit], now: datetime) -> list[Visit]:
    """Missed and late visits in the last VISIT_WINDOW_DAYS days, the latest first."""
    since = local_date(now) - timedelta(VISIT_WINDOW_DAYS)
    return [v for v in reversed(visits)
            if v.status in PROBLEMS and since <= local_date(v.planned_start)
            and v.planned_start <= now]


def home(backoffice: BackOfficeClient, person_id: str, now: datetime) -> HomeSummary:
    """The person, their plan and their next visit, read concurrently."""
    today = local_date(now)
    person = start(backoffice.get_person, person_id)
    care_plan = start(backoffice.get_care_plan, person_id)
    window = start(backoffice.list_visits, person_id,
                   today - timedelta(VISIT_WINDOW_DAYS), today + timedelta(VISIT_WINDOW_DAYS))
    coming = [v for v in window.result().visits
              if v.status in UPCOMING and (v.planned_end or v.planned_start) >= now]
    freshness = [person.result().as_of, window.result().as_of]
    if care_plan.result() is not None:
        freshness.append(care_plan.result().as_of)  # type: ignore[union-attr]
    return HomeSummary(person=person.result(), plan=care_plan.result(),
                       next_visit=coming[0] if coming else None,
                       problems=problems(window.result().visits, now), as_of=min(freshness))


def plan(backoffice: BackOfficeClient, person_id: str) -> PlanPage:
    """The person's care and support plan; .plan is None if none is agreed yet."""
    person = start(backoffice.get_person, person_id)
    care_plan = start(backoffice.get_care_plan, person_id)
    found = care_plan.result()
    return PlanPage(person=person.result(), plan=found,
                    as_of=found.as_of if found else person.result().as_of)


def visits(backoffice: BackOfficeClient, person_id: str, now: datetime,
           week: date | None = None) -> VisitsPage:
    """The missed and late visits of the last VISIT_WINDOW_DAYS days, and the seven
    days of visits from `week` (today if not given)."""
    today = local_date(now)
    # A week may start from WEEKS_BACK weeks before today to WEEKS_AHEAD after.
    earliest = today - timedelta(weeks=WEEKS_BACK)
    latest = today + timedelta(weeks=WEEKS_AHEAD)
    first = min(max(week or today, earliest), latest)
    last = first + WEEK - timedelta(days=1)
    person = start(backoffice.get_person, person_id)
    care_plan = start(backoffice.get_care_plan, person_id)
    window = start(backoffice.list_visits, person_id,
                   min(first, today - timedelta(VISIT_WINDOW_DAYS)), max(last, today))
    every = window.result().visits
    shown = [v for v in every if first <= local_date(v.planned_start) <= last]
    found = care_plan.result()
    return VisitsPage(
        person=person.result(),
        lead_worker=found.lead_worker if found else None,
        problems=problems(every, now),
        days=[VisitDay(day, [v for v in shown if local_date(v.planned_start) == day])
              for day in (first + timedelta(days=n) for n in range(WEEK.days))],
        today=today,
        earlier=first - WEEK if first - WEEK >= earliest else None,
        later=first + WEEK if first + WEEK <= latest else None,
        as_of=window.result().as_of,
        now=now,
    )
