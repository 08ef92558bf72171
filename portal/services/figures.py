"""How care at home is going: the figures on the public data page, from the back
office's counts and the portal's own records, with nothing about any one person.

Every figure is a dataset: rows of the same columns, week by week for the last
WEEKS weeks that are over, or one row per kind. DATASETS names each dataset's
columns and what each holds; the web layer gives them words in Welsh and English.
Every count goes through `disclosure` before it is in a row.

Only weeks that are over are published, and a week's rows are kept as first
published (`published`): a figure that changed as people act would let anyone who
can add one event watch the rounded figure step and learn the exact count behind
it. Every figure counts what happened in its week (a flow), never a running total.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, select
from sqlalchemy.orm import Session

from portal.clients.backoffice import BackOfficeClient, CareAtHome, TodaySoFar, WeekOfCare
from portal.clock import LONDON, local_date
from portal.services import disclosure
from portal.store import Store
from portal.store.models import (
    Account,
    AuditEvent,
    MessageTally,
    OutboxMessage,
    Payment,
    ReviewEvent,
    ReviewRequest,
)

WEEKS = 12  # the weeks that are over, latest last

# Column types, as CSV on the Web names them.
DATE, BOOLEAN, INTEGER, DECIMAL, STRING = "date", "boolean", "integer", "decimal", "string"
WEEK = (("week_start", DATE), ("week_end", DATE), ("week_complete", BOOLEAN))
# The area a council's figures are for: its GSS code and names, or Wales'.
AREA = (("area_code", STRING), ("area_name_en", STRING), ("area_name_cy", STRING))
AREA_COLUMNS = tuple(name for name, _ in AREA)
COUNCIL, PORTAL = "council", "portal"  # where a dataset's figures come from
Row = dict[str, Any]


@dataclass(frozen=True)
class Area:
    """A council served, or every council served together (WALES)."""

    code: str      # its GSS code
    name_en: str
    name_cy: str

    def cells(self) -> Row:
        return {"area_code": self.code, "area_name_en": self.name_en,
                "area_name_cy": self.name_cy}

    def name(self, language: str) -> str:
        return self.name_cy if language == "cy" else self.name_en


# Every council the service serves, together: Wales' own GSS code.
WALES = Area("W92000004", "Wales: every council in this service",
             "Cymru: pob cyngor yn y gwasanaeth hwn")


@dataclass(frozen=True)
class Dataset:
    name: str
    source: str
    columns: tuple[tuple[str, str], ...]  # (name, type), in order
    # One row a week (its first columns, after a council's AREA, are WEEK), or else one
    # row a kind (a channel and language, how long waited: codes whose words are the
    # web layer's).
    weekly: bool = True


DATASETS = (
    Dataset("care-at-home", COUNCIL, (*AREA, *WEEK, ("people_receiving_care", INTEGER),
                                      ("direct_payments", INTEGER))),
    Dataset("home-care-visits", COUNCIL, (
        *AREA, *WEEK, ("visits", INTEGER), ("on_time", INTEGER), ("late", INTEGER),
        ("missed", INTEGER), ("cancelled", INTEGER), ("on_time_percent", DECIMAL),
        ("late_percent", DECIMAL), ("missed_percent", DECIMAL), ("cancelled_percent", DECIMAL))),
    Dataset("visits-today", COUNCIL, (
        *AREA, ("day", DATE), ("visits", INTEGER), ("on_time", INTEGER), ("late", INTEGER),
        ("missed", INTEGER), ("cancelled", INTEGER), ("on_time_percent", DECIMAL),
        ("late_percent", DECIMAL), ("missed_percent", DECIMAL), ("cancelled_percent", DECIMAL)),
        weekly=False),
    Dataset("hours-of-care", COUNCIL, (*AREA, *WEEK, ("hours_planned", DECIMAL),
                                       ("hours_delivered", DECIMAL),
                                       ("delivered_percent", DECIMAL))),
    Dataset("waiting-for-care", COUNCIL, (*AREA, *WEEK, ("people_waiting", INTEGER),
                                          ("median_days_waited", INTEGER))),
    Dataset("waiting-now", COUNCIL, (*AREA, ("waited", STRING), ("people_waiting", INTEGER)),
            weekly=False),
    Dataset("carers-assessments", COUNCIL, (*AREA, *WEEK, ("asked_for", INTEGER),
                                            ("done", INTEGER))),
    Dataset("assessment-requests", COUNCIL, (*AREA, *WEEK, ("asked_online", INTEGER),
                                             ("first_contacted", INTEGER),
                                             ("median_days_to_first_contact", DECIMAL))),
    Dataset("financial-assessments", COUNCIL, (*AREA, *WEEK, ("asked_online", INTEGER),
                                               ("decided", INTEGER),
                                               ("median_days_to_decide", DECIMAL))),
    Dataset("reviews-online", PORTAL, (*WEEK, ("asked_for", INTEGER), ("confirmed", INTEGER),
                                       ("median_hours_to_confirm", DECIMAL),
                                       ("p90_hours_to_confirm", DECIMAL))),
    Dataset("payments-online", PORTAL, (*WEEK, ("payments", INTEGER), ("succeeded", INTEGER),
                                        ("success_percent", DECIMAL))),
    Dataset("messages-sent", PORTAL, (*WEEK, ("email", INTEGER), ("text", INTEGER),
                                      ("letter", INTEGER), ("email_delivered_percent", DECIMAL),
                                      ("text_delivered_percent", DECIMAL))),
    Dataset("messages-by-language", PORTAL, (
        *WEEK, ("channel", STRING), ("language", STRING), ("sent", INTEGER),
        ("delivered", INTEGER), ("delivered_percent", DECIMAL)), weekly=False),
    Dataset("welsh-language", PORTAL, (*WEEK, ("people", INTEGER), ("chose_welsh", INTEGER),
                                       ("welsh_percent", DECIMAL))),
    Dataset("acting-for-someone", PORTAL, (
        *WEEK, ("given_in_portal", INTEGER), ("lasting_power_of_attorney", INTEGER),
        ("deputyship", INTEGER), ("advocacy", INTEGER), ("best_interests", INTEGER))),
)
BY_NAME = {d.name: d for d in DATASETS}
WAITED = ("under-4-weeks", "4-to-12-weeks", "over-12-weeks")
CHANNELS = (("email", "email"), ("sms", "text"), ("letter", "letter"))  # ours, published
SENT_BY = tuple(ours for ours, _ in CHANNELS)  # the outbox's channels that reach a person
LANGUAGES = ("cy", "en", "cy+en")
# Notify's last word for a message that reached the person: an email or text
# delivered, a letter printed and posted.
DELIVERED = ("delivered", "received")
# The access log's roles of someone acting for another, by the basis they act on.
BASES = (("carer", "given_in_portal"), ("attorney", "lasting_power_of_attorney"),
         ("deputy", "deputyship"), ("advocate", "advocacy"),
         ("best-interests", "best_interests"))

@dataclass(frozen=True)
class Week:
    start: date      # a Monday
    end: date        # the Sunday
    complete: bool = True  # over: only weeks that are over are published

    @property
    def begins(self) -> datetime:
        return _midnight(self.start)

    @property
    def ends(self) -> datetime:
        return _midnight(self.end + timedelta(days=1))

    def cells(self) -> Row:
        return {"week_start": self.start.isoformat(), "week_end": self.end.isoformat(),
                "week_complete": self.complete}


def weeks_to(now: datetime) -> list[Week]:
    """The last WEEKS weeks that are over, Monday to Sunday in Wales, latest last."""
    today = local_date(now)
    last = today - timedelta(days=today.weekday() + 7)
    return [Week(start, start + timedelta(days=6))
            for start in (last - timedelta(weeks=n) for n in range(WEEKS - 1, -1, -1))]


def from_council(backoffice: BackOfficeClient, area: Area, now: datetime) -> CareAtHome:
    """The council's exact counts from its back office, over the weeks published;
    raises BackOfficeUnavailable."""
    weeks = weeks_to(now)
    return backoffice.care_at_home(area.code, weeks[0].start, len(weeks))


def area_rows(now: datetime, area: Area, found: CareAtHome) -> dict[str, list[Row]]:
    """The council datasets' rows for one area, each count suppressed and rounded."""
    return {name: [{**area.cells(), **row} for row in rows]
            for name, rows in _council_rows(weeks_to(now), found).items()}


def wales_rows(now: datetime, each: dict[str, CareAtHome],
               published: dict[str, dict[str, list[Row]]]) -> dict[str, list[Row]]:
    """The council datasets' rows for every council served together, from each one's
    exact counts (`each`, by council) and the rows published for it (`published`): a
    figure any council's rows hold back is held back in the total too, or subtracting
    the other councils from it would give that council's away (disclosure.over_areas)."""
    areas = list(each.values())
    summed = CareAtHome(
        weeks=[WeekOfCare(
            start=week.start, end=week.end,
            **{field: sum(getattr(a.weeks[index], field) for a in areas)
               for field in _SUMMED},
            # A median of medians is no median: not worked out for all councils together.
            waiting_days_median=None)
            for index, week in enumerate(areas[0].weeks)],
        waiting_now={band: sum(a.waiting_now[band] for a in areas)
                     for band in areas[0].waiting_now},
        as_of=min(a.as_of for a in areas),
        today=_today_together([a.today for a in areas]))
    return {name: disclosure.over_areas(rows, [published[code][name] for code in each],
                                        counted=_counted(name))
            for name, rows in area_rows(now, WALES, summed).items()}


# A week's exact counts, each the sum of the councils'.
_SUMMED = ("people_receiving_care", "visits_on_time", "visits_late", "visits_missed",
           "visits_cancelled", "hours_planned", "hours_delivered", "people_waiting",
           "direct_payments", "carer_assessments_requested", "carer_assessments_completed",
           "financial_assessments_asked_online", "financial_assessments_decided",
           "assessments_asked_online", "assessments_first_contacted")


_TODAY = ("visits_on_time", "visits_late", "visits_missed", "visits_cancelled")


def _today_together(each: list[TodaySoFar | None]) -> TodaySoFar | None:
    """Today so far for every council together, where every council says it, of one day."""
    said = [today for today in each if today is not None]
    if not said or len(said) < len(each) or len({today.day for today in said}) > 1:
        return None
    return TodaySoFar(said[0].day, *(sum(getattr(today, field) for today in said)
                                     for field in _TODAY))


def _counted(name: str) -> tuple[str, ...]:
    """A dataset's columns that count people or events (or total hours over them)."""
    return tuple(column for column, kind in BY_NAME[name].columns
                 if kind in (INTEGER, DECIMAL) and not column.endswith("_percent")
                 and not column.startswith("median"))


def _visits_by_outcome(counted: WeekOfCare | TodaySoFar) -> tuple[dict[str, Any], Any]:
    """Visits by how they went, each held back or rounded, and their total."""
    return disclosure.breakdown({
        "on_time": counted.visits_on_time, "late": counted.visits_late,
        "missed": counted.visits_missed, "cancelled": counted.visits_cancelled})


def _council_rows(weeks: list[Week], area: CareAtHome) -> dict[str, list[Row]]:
    count = disclosure.count
    rows: dict[str, list[Row]] = defaultdict(list)
    for week, w in zip(weeks, area.weeks, strict=True):
        cells = week.cells()
        receiving = count(w.people_receiving_care)
        rows["care-at-home"].append({**cells, "people_receiving_care": receiving,
                                     "direct_payments": count(w.direct_payments)})
        parts, visits = _visits_by_outcome(w)
        rows["home-care-visits"].append({
            **cells, "visits": visits, **parts,
            **{f"{k}_percent": disclosure.percent(v, visits) for k, v in parts.items()}})
        took_place = w.visits_on_time + w.visits_late
        planned = disclosure.amount(w.hours_planned, sum((
            w.visits_on_time, w.visits_late, w.visits_missed, w.visits_cancelled)))
        delivered = disclosure.amount(w.hours_delivered, took_place)
        rows["hours-of-care"].append({
            **cells, "hours_planned": planned, "hours_delivered": delivered,
            "delivered_percent": round(100 * delivered / planned, 1)
            if planned and delivered is not None else None})
        rows["waiting-for-care"].append({
            **cells, "people_waiting": count(w.people_waiting),
            "median_days_waited": None if w.people_waiting < disclosure.FOR_MEDIAN
            or w.waiting_days_median is None else round(w.waiting_days_median)})
        rows["carers-assessments"].append({
            **cells, "asked_for": count(w.carer_assessments_requested),
            "done": count(w.carer_assessments_completed)})
        rows["assessment-requests"].append({
            **cells, "asked_online": count(w.assessments_asked_online),
            "first_contacted": count(w.assessments_first_contacted),
            "median_days_to_first_contact": None
            if w.assessments_first_contacted < disclosure.FOR_MEDIAN
            or w.assessment_days_to_contact_median is None
            else round(w.assessment_days_to_contact_median, 1)})
        rows["financial-assessments"].append({
            **cells, "asked_online": count(w.financial_assessments_asked_online),
            "decided": count(w.financial_assessments_decided),
            "median_days_to_decide": None
            if w.financial_assessments_decided < disclosure.FOR_MEDIAN
            or w.financial_assessment_days_median is None
            else round(w.financial_assessment_days_median, 1)})
    if area.today is not None:
        parts, visits = _visits_by_outcome(area.today)
        rows["visits-today"] = [{"day": area.today.day.isoformat(), "visits": visits, **parts,
                                 **{f"{k}_percent": disclosure.percent(v, visits)
                                    for k, v in parts.items()}}]
    bands, waiting = disclosure.breakdown({band: area.waiting_now[key] for band, key in zip(
        WAITED, ("under_4_weeks", "4_to_12_weeks", "over_12_weeks"), strict=True)})
    rows["waiting-now"] = [{"waited": band, "people_waiting": n} for band, n in bands.items()]
    if waiting is None:
        # The people waiting this week are these people: with a band held back, their
        # total would be a total beside its parts (see disclosure).
        rows["waiting-for-care"][-1]["people_waiting"] = None
    return dict(rows)


def from_portal(db: Session, now: datetime, since: date | None = None
                ) -> dict[str, list[Row]]:
    """The portal's own datasets, from its records: the weeks from `since` (the first
    week not yet published: those before are kept as first published, so only the
    newest records are read, however many there are), else every week."""
    weeks = [week for week in weeks_to(now) if since is None or week.start >= since]
    if not weeks:
        return {name: [] for name in PORTAL_DATASETS}
    return {"reviews-online": _reviews(db, weeks), "payments-online": _payments(db, weeks),
            **_messages(db, weeks), "welsh-language": _welsh(db, weeks),
            "acting-for-someone": _acting(db, weeks)}


PORTAL_DATASETS = ("reviews-online", "payments-online", "messages-sent",
                   "messages-by-language", "welsh-language", "acting-for-someone")


def _week_of(moment: Any, weeks: list[Week]) -> ColumnElement[Any]:
    """Which of the weeks (0 first) a moment falls in, in SQL: anything earlier counts
    as the first, anything later is -1."""
    return case(*((moment < week.ends, index) for index, week in enumerate(weeks)), else_=-1)


def _in(moment: Any, weeks: list[Week]) -> ColumnElement[bool]:
    return and_(moment >= weeks[0].begins, moment < weeks[-1].ends)


def _reviews(db: Session, weeks: list[Week]) -> list[Row]:
    confirmed = (select(ReviewEvent.request_id, func.min(ReviewEvent.at).label("at"))
                 .where(ReviewEvent.kind == "confirmed").group_by(ReviewEvent.request_id)
                 .subquery())
    asked = db.execute(select(_week_of(ReviewRequest.created_at, weeks), ReviewRequest.created_at,
                              confirmed.c.at)
                       .outerjoin(confirmed, confirmed.c.request_id == ReviewRequest.id)
                       .where(_in(ReviewRequest.created_at, weeks))).all()
    rows = []
    for index, week in enumerate(weeks):
        these = [(created, at) for w, created, at in asked if w == index]
        waits = [(at - created).total_seconds() / 3600
                 for created, at in these if at is not None]
        rows.append({**week.cells(), "asked_for": disclosure.count(len(these)),
                     "confirmed": disclosure.count(len(waits)),
                     "median_hours_to_confirm": disclosure.median(waits, places=1),
                     "p90_hours_to_confirm": disclosure.percentile_90(waits, places=1)})
    return rows


def _payments(db: Session, weeks: list[Week]) -> list[Row]:
    found = Counter({(w, state): n for w, state, n in db.execute(
        select(_week_of(Payment.created_at, weeks).label("w"), Payment.state, func.count())
        .where(_in(Payment.created_at, weeks), Payment.finished.is_(True))
        .group_by("w", Payment.state))})
    rows = []
    for index, week in enumerate(weeks):
        finished = sum(n for (w, _), n in found.items() if w == index)
        succeeded = found[(index, "success")]
        payments, went_through = disclosure.count(finished), disclosure.count(succeeded)
        rows.append({**week.cells(), "payments": payments, "succeeded": went_through,
                     "success_percent": disclosure.percent(went_through, payments)})
    return rows


# A message's language, as its template's name ends, and whether it reached the person.
MESSAGE_LANGUAGE = case(*((OutboxMessage.template.like(f"%-{code}"), literal(code))
                          for code in LANGUAGES), else_=literal(""))
MESSAGE_REACHED = case((OutboxMessage.delivery_status.in_(DELIVERED), 1), else_=0)
# What the outbox tells the tallies of each message it clears (tally_cleared).
TALLIED = (OutboxMessage.status, OutboxMessage.sent_at, OutboxMessage.channel,
           MESSAGE_LANGUAGE, MESSAGE_REACHED)


def _messages(db: Session, weeks: list[Week]) -> dict[str, list[Row]]:
    """Messages sent: those the outbox still holds, and the tallies of those cleared."""
    held = db.execute(
        select(_week_of(OutboxMessage.sent_at, weeks).label("w"), OutboxMessage.channel,
               MESSAGE_LANGUAGE.label("language"), func.count(), func.sum(MESSAGE_REACHED))
        .where(_in(OutboxMessage.sent_at, weeks), OutboxMessage.status == "sent",
               OutboxMessage.channel.in_(SENT_BY))
        .group_by("w", OutboxMessage.channel, "language")).all()
    tallied = db.execute(
        select(MessageTally.day, MessageTally.channel, MessageTally.language,
               MessageTally.sent, MessageTally.delivered)
        .where(MessageTally.day >= weeks[0].start, MessageTally.day <= weeks[-1].end)).all()
    found = [*((w, channel, code, sent, reached) for w, channel, code, sent, reached in held),
             *(((day - weeks[0].start).days // 7, channel, code, sent, delivered)
               for day, channel, code, sent, delivered in tallied)]
    by_week = []
    for index, week in enumerate(weeks):
        these = [f for f in found if f[0] == index]
        row = week.cells()
        for ours, published in CHANNELS:
            sent = disclosure.count(sum(f[3] for f in these if f[1] == ours))
            row[published] = sent
            if ours != "letter":  # a letter's last word is that it was posted
                row[f"{published}_delivered_percent"] = disclosure.percent(disclosure.count(
                    sum(int(f[4] or 0) for f in these if f[1] == ours)), sent)
        by_week.append(row)
    by_language = []  # in the latest week: a window that moved would be differenced
    for ours, published in CHANNELS:
        for code in LANGUAGES:
            these = [f for f in found if f[0] == len(weeks) - 1 and f[1] == ours
                     and f[2] == code]
            sent = disclosure.count(sum(f[3] for f in these))
            delivered = disclosure.count(sum(int(f[4] or 0) for f in these))
            by_language.append({**weeks[-1].cells(), "channel": published, "language": code,
                                "sent": sent,
                                "delivered": delivered,
                                "delivered_percent": disclosure.percent(delivered, sent)})
    return {"messages-sent": by_week, "messages-by-language": by_language}


def tally_cleared(store: Store, db: Session, cleared: Sequence[Any]) -> None:
    """Add the messages the outbox is clearing (each as TALLIED) to their day's
    tallies, in the caller's transaction."""
    tallies: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for status, sent_at, channel, code, reached in cleared:
        if status == "sent" and sent_at is not None and channel in SENT_BY:
            counts = tallies[(local_date(sent_at), channel, code)]
            counts[0] += 1
            counts[1] += reached
    for (day, channel, code), (sent, delivered) in tallies.items():
        db.execute(store.insert(MessageTally)
                   .values(day=day, channel=channel, language=code, sent=sent,
                           delivered=delivered)
                   .on_conflict_do_update(
                       index_elements=[MessageTally.day, MessageTally.channel,
                                       MessageTally.language],
                       set_={"sent": MessageTally.sent + sent,
                             "delivered": MessageTally.delivered + delivered}))


def _welsh(db: Session, weeks: list[Week]) -> list[Row]:
    found = db.execute(
        select(_week_of(Account.created_at, weeks).label("w"), Account.language, func.count())
        .where(_in(Account.created_at, weeks), Account.language.is_not(None))
        .group_by("w", Account.language)).all()
    rows = []
    for index, week in enumerate(weeks):
        # Everyone who began to use the service in the week and has chosen a language.
        people = sum(n for w, _, n in found if w == index)
        welsh = sum(n for w, language, n in found if w == index and language == "cy")
        chose, chose_welsh = disclosure.count(people), disclosure.count(welsh)
        rows.append({**week.cells(), "people": chose, "chose_welsh": chose_welsh,
                     "welsh_percent": disclosure.percent(chose_welsh, chose)})
    return rows


def _acting(db: Session, weeks: list[Week]) -> list[Row]:
    pairs = (select(_week_of(AuditEvent.at, weeks).label("w"), AuditEvent.actor_role,
                    AuditEvent.actor_account_id, AuditEvent.person_id)
             .where(_in(AuditEvent.at, weeks)).distinct().subquery())
    found = Counter({(w, role): n for w, role, n in db.execute(
        select(pairs.c.w, pairs.c.actor_role, func.count()).group_by(pairs.c.w,
                                                                     pairs.c.actor_role))})
    return [{**week.cells(), **{column: disclosure.count(found[(index, role)])
                                for role, column in BASES}}
            for index, week in enumerate(weeks)]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), LONDON).astimezone(UTC)


def columns(name: str) -> Iterable[str]:
    return (column for column, _ in BY_NAME[name].columns)

