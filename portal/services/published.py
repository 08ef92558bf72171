"""The public data page's figures, worked out by the worker once a minute and kept in
the database, which every process shares; a reader's request only ever reads them. A
week's rows, once published, are kept (PublishedWeek) and published the same ever
after.

Every worker tries each minute; the one whose claim lands (one conditional UPDATE)
works the figures out, the rest find them fresh. When the back office does not
answer, the council's figures kept from before are published again with the time
they were last updated; the portal's own figures are always new.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.clients.backoffice import BackOfficeClient, CareAtHome
from portal.clients.errors import ServiceError
from portal.councils import Council
from portal.services import figures
from portal.store import Store
from portal.store.models import PublishedFigures, PublishedWeek

log = logging.getLogger(__name__)
NAME = "care-at-home"
FRESH = timedelta(seconds=60)
# How long a worker may take to work the figures out before another may try.
LEASE = timedelta(seconds=30)


@dataclass(frozen=True)
class Published:
    """One dataset as published: when its figures were last updated, its rows (every
    count already suppressed and rounded) and an ETag for them."""

    name: str
    updated: datetime
    rows: list[dict[str, Any]]
    etag: str

    @property
    def source(self) -> str:
        return figures.BY_NAME[self.name].source

    def rows_in(self, area: str) -> list[dict[str, Any]]:
        """The rows for one area (a council's figures), or every row (the service's
        own figures, which are for every council it serves)."""
        return [row for row in self.rows if row.get("area_code", area) == area]


@dataclass(frozen=True)
class Figures:
    computed_at: datetime | None  # None: not worked out yet
    datasets: dict[str, Published]  # only those there are figures for, in DATASETS order

    @property
    def etag(self) -> str:
        return _digest("".join(d.etag for d in self.datasets.values()))

    @cached_property
    def areas(self) -> list[figures.Area]:
        """The areas the council figures are for: every council together first (where
        there are several), then each council, as the rows give them (found once for
        each version of the figures, which every reader of it shares)."""
        found: dict[str, figures.Area] = {}
        for dataset in self.datasets.values():
            for row in dataset.rows:
                if "area_code" in row and row["area_code"] not in found:
                    found[row["area_code"]] = figures.Area(
                        row["area_code"], row["area_name_en"], row["area_name_cy"])
        return list(found.values())


NOT_YET = Figures(None, {})


def current(store: Store) -> Figures:
    """The figures as a worker last worked them out (NOT_YET before the first time):
    what every reader is given. Nothing is worked out here."""
    return _kept(store) or NOT_YET


def refresh(store: Store, backoffice: BackOfficeClient, areas: Sequence[figures.Area],
            now: datetime, fresh: timedelta = FRESH) -> bool:
    """The worker's part: work the figures out again (each council's area from its
    back office, `areas` being the councils served) if they are more than `fresh` old
    and no other worker is doing it. True if this one did."""
    with store.transaction() as db:
        kept_at = db.scalar(select(PublishedFigures.computed_at)
                            .where(PublishedFigures.name == NAME))
    if kept_at is not None and now - kept_at < fresh:
        return False
    if not _claim(store, now, fresh):
        return False
    try:
        found = _work_out(store, backoffice, areas, now, _kept(store))
    except Exception:
        _release(store)
        raise
    with store.transaction() as db:
        db.execute(update(PublishedFigures).where(PublishedFigures.name == NAME)
                   .values(body=_dump(found), computed_at=now, refreshing_until=None))
    log.info("public data: figures worked out", extra={"datasets": len(found.datasets)})
    return True


def areas_of(councils: Iterable[Council]) -> list[figures.Area]:
    """The areas of the councils served, as the figures name them."""
    return [figures.Area(c.code, c.name("en"), c.name("cy")) for c in councils]


def _work_out(store: Store, backoffice: BackOfficeClient, areas: Sequence[figures.Area],
              now: datetime, before: Figures | None) -> Figures:
    rows: dict[str, tuple[datetime, list[dict[str, Any]]]] = {}

    def add(name: str, these: list[dict[str, Any]], updated: datetime) -> None:
        earlier = rows.get(name)
        rows[name] = (updated, these) if earlier is None else (
            min(earlier[0], updated), earlier[1] + these)

    for area, found in _council_figures(backoffice, areas, now).items():
        if found is not None:  # each area's weeks kept as first published
            for name, these in found[0].items():
                add(name, _kept_weeks(store, f"{name}:{area.code}", these), found[1])
        elif before is not None:  # its figures kept from before, with their time
            for d in before.datasets.values():
                kept = [row for row in d.rows if row.get("area_code") == area.code]
                if d.source == figures.COUNCIL and kept:
                    add(d.name, kept, d.updated)
    weeks = [week.start for week in figures.weeks_to(now)]
    since = _first_unpublished(store, figures.PORTAL_DATASETS, weeks)
    with store.transaction() as db:
        rows.update({name: (now, found) for name, found
                     in figures.from_portal(db, now, since).items()})
    return Figures(now, {d.name: _published(d, rows[d.name][0], rows[d.name][1]
                                            if d.source == figures.COUNCIL else
                                            _kept_weeks(store, d.name, rows[d.name][1], weeks))
                         for d in figures.DATASETS if d.name in rows})


AreaFigures = tuple[dict[str, list[dict[str, Any]]], datetime]


def _council_figures(backoffice: BackOfficeClient, areas: Sequence[figures.Area],
                     now: datetime) -> dict[figures.Area, AreaFigures | None]:
    """Each area's council datasets and "as of": every council served together first
    (where there are several), then each council; None for one whose back office did
    not answer (and for all together then, as its total cannot be worked out)."""
    exact: dict[str, CareAtHome] = {}
    for area in areas:
        try:
            exact[area.code] = figures.from_council(backoffice, area, now)
        except ServiceError:
            log.warning("public data: the back office of %s did not answer; its figures "
                        "are kept", area.code)
    each = {area: (figures.area_rows(now, area, exact[area.code]), exact[area.code].as_of)
            if area.code in exact else None for area in areas}
    if len(areas) == 1:
        return dict(each)
    together = None
    if len(exact) == len(areas):
        together = (figures.wales_rows(now, exact, {a.code: f[0] for a, f in each.items()
                                                    if f is not None}),
                    min(found.as_of for found in exact.values()))
    return {figures.WALES: together, **each}


def _first_unpublished(store: Store, names: tuple[str, ...], weeks: list[date]
                       ) -> date | None:
    """The first of the weeks some dataset of `names` has not published yet."""
    with store.transaction() as db:
        kept = set(db.execute(select(PublishedWeek.dataset, PublishedWeek.week_start).where(
            PublishedWeek.dataset.in_(names), PublishedWeek.week_start.in_(weeks))).all())
    return next((week for week in weeks if any((name, week) not in kept for name in names)),
                None if not weeks else weeks[-1] + timedelta(days=7))


def _kept_weeks(store: Store, name: str, rows: list[dict[str, Any]],
                starts: list[date] | None = None) -> list[dict[str, Any]]:
    """The rows as first published for each week (`starts`, else those of the rows),
    kept under `name` (a dataset's, and for a council's figures its area's code too):
    the rows of a week never published before are kept now (by whichever process gets
    there first)."""
    by_week: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if "week_start" not in row:
            return rows  # not counted by week: as the council has it now
        by_week.setdefault(row["week_start"], []).append(row)
    starts = starts or [date.fromisoformat(start) for start in by_week]
    with store.transaction() as db:
        for start, these in by_week.items():
            db.execute(store.insert(PublishedWeek)
                       .values(dataset=name, week_start=date.fromisoformat(start),
                               rows=json.dumps(these))
                       .on_conflict_do_nothing(index_elements=[PublishedWeek.dataset,
                                                               PublishedWeek.week_start]))
        kept = dict(db.execute(select(PublishedWeek.week_start, PublishedWeek.rows).where(
            PublishedWeek.dataset == name, PublishedWeek.week_start.in_(starts))).all())
    return [row for start in starts if start in kept for row in json.loads(kept[start])]


def _published(dataset: figures.Dataset, updated: datetime,
               rows: list[dict[str, Any]]) -> Published:
    return Published(dataset.name, updated, rows,
                     _digest(json.dumps([updated.isoformat(), rows], sort_keys=True)))


def _claim(store: Store, now: datetime, fresh: timedelta) -> bool:
    try:
        with store.transaction() as db:
            if db.get(PublishedFigures, NAME) is None:
                db.add(PublishedFigures(name=NAME, refreshing_until=now + LEASE))
                return True
            claimed = db.execute(
                update(PublishedFigures)
                .where(PublishedFigures.name == NAME,
                       or_(PublishedFigures.refreshing_until.is_(None),
                           PublishedFigures.refreshing_until < now),
                       or_(PublishedFigures.computed_at.is_(None),
                           PublishedFigures.computed_at <= now - fresh))
                .values(refreshing_until=now + LEASE)).rowcount  # type: ignore[attr-defined]
            return bool(claimed)
    except IntegrityError:  # another process added the row first
        return False


def _release(store: Store) -> None:
    with store.transaction() as db:
        db.execute(update(PublishedFigures).where(PublishedFigures.name == NAME)
                   .values(refreshing_until=None))


# The kept figures this process read last, with the text they were read from: most
# requests find the same text again, and comparing it is much cheaper than parsing it.
_last_read: list[tuple[str, Figures]] = []


def _kept(store: Store) -> Figures | None:
    with store.transaction() as db:
        body = db.scalar(select(PublishedFigures.body).where(PublishedFigures.name == NAME))
    if not body:
        return None
    if _last_read and _last_read[0][0] == body:
        return _last_read[0][1]
    found = _load(body)
    _last_read[:] = [(body, found)]
    return found


def _dump(found: Figures) -> str:
    assert found.computed_at is not None
    return json.dumps({"computed_at": found.computed_at.isoformat(), "datasets": [
        {"name": d.name, "updated": d.updated.isoformat(), "rows": d.rows, "etag": d.etag}
        for d in found.datasets.values()]})


def _load(body: str) -> Figures:
    kept = json.loads(body)
    return Figures(datetime.fromisoformat(kept["computed_at"]), {
        d["name"]: Published(d["name"], datetime.fromisoformat(d["updated"]), d["rows"],
                             d["etag"])
        for d in kept["datasets"] if d["name"] in figures.BY_NAME})


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
