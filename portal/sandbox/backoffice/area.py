"""The rest of the council's area, for its figures: people receiving care at home
who do not use the portal, people waiting for care, and carers who asked for an
assessment by phone. Laid out relative to today, the same every time, so the
public data page always has a quarter of a year to show.

Their records are as real as the demo people's (a test can read each one through
the contract and count for itself); they have no plan text, as nothing reads it."""

from __future__ import annotations

import random
import statistics as stats
from datetime import date, datetime, time, timedelta
from typing import Any

from portal.clock import local_date
from portal.sandbox.backoffice import data

RECEIVING = 160   # people whose care at home began at some point in the last 2½ years
WAITING = 24      # people waiting now for care at home to start
CARERS = 110      # carers who asked for a needs assessment in the last 15 weeks
ASSESSED = 600    # people who asked online for a financial assessment in the last 15 weeks
ASKED = 300       # requests for an assessment of care and support needs made online, the same
# Daily rounds of visits: (local start, minutes).
ROUNDS = (
    [(time(8, 0), 45)],
    [(time(8, 30), 30), (time(19, 0), 30)],
    [(time(7, 45), 45), (time(12, 15), 30), (time(18, 0), 30)],
    [(time(8, 0), 60), (time(12, 30), 30), (time(16, 30), 30), (time(21, 0), 30)],
)
GIVEN = ("Alun", "Bethan", "Carys", "Dewi", "Eirlys", "Ffion", "Gareth", "Haf", "Ioan", "Jean",
         "Keith", "Lowri", "Mair", "Nerys", "Olwen", "Peter", "Rhodri", "Sandra", "Tomos", "Wyn")
FAMILY = ("Ap Iwan", "Bowen", "Davies", "Edwards", "Griffiths", "Howells", "James", "Lewis",
          "Morris", "Owen", "Parry", "Pritchard", "Rees", "Roberts", "Williams")


# Where each council's made-up people live, and how many there are of them for every
# hundred of Gwynedd's (the council of the sandbox that holds every demo person).
AREAS = {data.GWYNEDD: ("Caernarfon", "LL55 1AA", 100),
         data.CEREDIGION: ("Aberteifi", "SA43 1AA", 60),
         data.MERTHYR_TUDFUL: ("Merthyr Tudful", "CF47 8BB", 45)}


def asked_for_help(today: date, council: str | None = None) -> dict[str, dict[str, Any]]:
    """Requests for an assessment of care and support needs made through the portal in
    the last 15 weeks, by id, as this council's back office holds them: most contacted
    within a week, a few not yet. The same every time, and different in each council."""
    _city, _postcode, share = AREAS.get(council or data.GWYNEDD, AREAS[data.GWYNEDD])
    chance = random.Random(20261207 + (0 if council in (None, data.GWYNEDD)  # noqa: S311
                                       else int(council[-2:])))
    found = {}
    for number in range(6001, 6001 + ASKED * share // 100):
        asked = chance.randint(0, 105)
        steps = [("received", asked)]
        contacted = asked - chance.choice((0, 1, 1, 2, 2, 3, 4, 6, 9))
        if contacted >= 0 and chance.random() < 0.95:
            steps.append(("contacted", contacted))
        made = data.assessment_request(f"asr-{number}", f"AS-AREA-{number}", steps)
        found[made["id"]] = made
    return found


def people(today: date, council: str | None = None) -> dict[str, data.DemoPerson]:
    """The area's other people, by back-office id: of this council's area (Gwynedd's
    without one); each council's the same every time, and not another's."""
    city, postcode, share = AREAS.get(council or data.GWYNEDD, AREAS[data.GWYNEDD])
    # Made-up people, the same every time, and different in each council.
    chance = random.Random(20261124 + (0 if council in (None, data.GWYNEDD)  # noqa: S311
                                       else int(council[-2:])))
    found: dict[str, data.DemoPerson] = {}

    def person(number: int, prefix: str) -> dict[str, Any]:
        pid = f"{prefix}-{number}"
        born = f"19{chance.randint(30, 70)}-0{chance.randint(1, 9)}-1{chance.randint(0, 9)}"
        return data.person_record(pid, f"X{number:06d}", chance.choice(GIVEN),
                                  chance.choice(FAMILY), born,
                                  "cy" if chance.random() < 0.3 else "en", ["1 Stryd Fawr"],
                                  city, postcode, None)

    for number in range(9001, 9001 + RECEIVING * share // 100):
        began = today - timedelta(days=chance.randint(0, 900))
        ended = (today - timedelta(days=chance.randint(0, 120))
                 if chance.random() < 0.12 else None)
        if ended is not None and ended < began:
            began, ended = ended, began
        paid_directly = chance.random() < 0.12
        demo = data.DemoPerson(
            person=person(number, "p"), care_from=began, care_until=ended,
            waiting_since=began - timedelta(days=chance.randint(3, 70)),
            rounds=[] if paid_directly else chance.choice(ROUNDS),
            carers=["Alys", "Bryn", "Cerys", "Dylan"], direct_payment=paid_directly,
            mishaps=(45, 8, 20))
        found[demo.person["id"]] = demo
    for number in range(9501, 9501 + WAITING * share // 100):
        demo = data.DemoPerson(person=person(number, "p"),
                               waiting_since=today - timedelta(days=chance.randint(1, 130)))
        found[demo.person["id"]] = demo
    for number in range(8001, 8001 + CARERS * share // 100):
        demo = data.DemoPerson(person=person(number, "p"))
        asked = chance.randint(0, 105)
        steps = [("received", asked)]
        for step, after in (("contacted", 3), ("assessment-booked", 4), ("assessed", 14)):
            if steps[-1][1] - after < 0 or chance.random() < 0.1:
                break
            steps.append((step, steps[-1][1] - after - chance.randint(0, 3)))
        if steps[-1][1] < 0:
            steps.pop()
        demo.carer_requests = [data._carer_request(f"car-{number}", demo.person["id"],
                                                   "Someone they care for", "routine", steps)]
        found[demo.person["id"]] = demo
    for number in range(7001, 7001 + ASSESSED * share // 100):
        demo = data.DemoPerson(person=person(number, "p"))
        asked = chance.randint(0, 105)
        took = chance.randint(2, 35)
        demo.financial_assessments = [data.financial_assessment(
            f"fa-{number}", demo.person["id"], asked, asked - took if took <= asked else None,
            chance.randrange(0, 10001, 5))]
        found[demo.person["id"]] = demo
    return found


VisitCounts = tuple[dict[str, int], float, float]


def statistics(people: dict[str, data.DemoPerson], carer_requests: list[dict[str, Any]],
               first: date, weeks: int, now: datetime,
               weeks_over: dict[date, VisitCounts] | None = None,
               news: dict[str, dict[str, Any]] | None = None,
               assessments: list[dict[str, Any]] | None = None,
               asked_for_help: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The contract's CareAtHomeStatistics, counted from every record held, each visit
    as it is listed (with what the call monitoring said of it since: `news`). The visits
    of a week that is over never change: counted once, they are kept in `weeks_over`.
    `assessments`: the financial assessments asked for through the portal;
    `asked_for_help`: the requests for an assessment of care and support needs."""
    today = local_date(now)
    found = []
    for number in range(weeks):
        start = first + timedelta(weeks=number)
        end = start + timedelta(days=6)
        at_end = min(end, today)
        if weeks_over is not None and end < today and start in weeks_over:
            visits, planned, delivered = weeks_over[start]
        else:
            visits, planned, delivered = _visits(people, start, at_end, now, news)
            if weeks_over is not None and end < today:
                weeks_over[start] = (visits, planned, delivered)
        waiting = sorted((at_end - d.waiting_since).days for d in people.values()
                         if d.waiting_on(at_end) and d.waiting_since)
        decided = [_days_to_decide(a) for a in assessments or ()
                   if a["status"] == "completed"
                   and start <= _day(a["history"][-1]["at"]) <= end]
        contacted = [_days_to_first_contact(r) for r in asked_for_help or ()
                     if len(r["history"]) > 1 and start <= _day(r["history"][1]["at"]) <= end]
        found.append({
            "start": start.isoformat(), "end": end.isoformat(),
            "people_receiving_care": sum(d.receiving_care_on(at_end) for d in people.values()),
            "visits": visits, "hours_planned": round(planned, 2),
            "hours_delivered": round(delivered, 2), "people_waiting": len(waiting),
            "waiting_days_median": float(stats.median(waiting)) if waiting else None,
            "direct_payments": sum(d.paid_directly and d.receiving_care_on(at_end)
                                   for d in people.values()),
            "carer_assessments_requested": sum(
                start <= _day(r["authored_on"]) <= end for r in carer_requests),
            "carer_assessments_completed": sum(
                any(h["business_status"] == "assessed" and start <= _day(h["at"]) <= end
                    for h in r["history"]) for r in carer_requests),
            "financial_assessments_asked_online": sum(
                start <= _day(a["authored_on"]) <= end for a in assessments or ()),
            "financial_assessments_decided": len(decided),
            "financial_assessment_days_median": float(stats.median(decided)) if decided
            else None,
            "assessments_asked_online": sum(
                start <= _day(r["authored_on"]) <= end for r in asked_for_help or ()
                if r["portal_reference"]),
            "assessments_first_contacted": len(contacted),
            "assessment_days_to_contact_median": float(stats.median(contacted))
            if contacted else None,
        })
    waited = [(today - d.waiting_since).days for d in people.values()
              if d.waiting_on(today) and d.waiting_since]
    return {"weeks": found,
            "today": {"date": today.isoformat(),
                      "visits": _visits(people, today, today, now, news)[0]},
            "waiting_now": {
        "under_4_weeks": sum(days < 28 for days in waited),
        "4_to_12_weeks": sum(28 <= days <= 84 for days in waited),
        "over_12_weeks": sum(days > 84 for days in waited)}}


def _visits(people: dict[str, data.DemoPerson], start: date, at_end: date, now: datetime,
            news: dict[str, dict[str, Any]] | None = None) -> VisitCounts:
    """The visits of the days from start to at_end, by how they went, and their hours."""
    visits = {"on_time": 0, "late": 0, "missed": 0, "cancelled": 0}
    planned = delivered = 0.0
    for demo in people.values():
        if not demo.rounds:
            continue
        for visit in data.visits(demo, start, at_end, now, news):
            if visit["status"] not in ("completed", "late", "missed", "cancelled"):
                continue
            visits["on_time" if visit["status"] == "completed" else visit["status"]] += 1
            planned += _hours(visit["planned"])
            if visit["actual"] is not None and visit["actual"]["end"] is not None:
                delivered += _hours(visit["actual"])
    return visits, planned, delivered


def _hours(period: dict[str, str]) -> float:
    return (datetime.fromisoformat(period["end"]) - datetime.fromisoformat(period["start"])
            ).total_seconds() / 3600


def _days_to_decide(assessment: dict[str, Any]) -> float:
    asked = datetime.fromisoformat(assessment["authored_on"])
    decided = datetime.fromisoformat(assessment["history"][-1]["at"])
    return round((decided - asked).total_seconds() / 86400, 1)


def _days_to_first_contact(request: dict[str, Any]) -> float:
    asked = datetime.fromisoformat(request["authored_on"])
    contacted = datetime.fromisoformat(request["history"][1]["at"])
    return round((contacted - asked).total_seconds() / 86400, 1)


def _day(moment: str) -> date:
    return local_date(datetime.fromisoformat(moment))
