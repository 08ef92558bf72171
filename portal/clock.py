"""The one clock. Everything that asks the time of day (services, views, forms,
the worker, the sandboxes) asks it here, in UTC, and asks `today()` for the date
in Wales, never the machine's own time zone.

Tests set this clock (and every library's reading of the time with it) with
time-machine, so each runs at an instant it names, never at the hour it happens
to run."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    """The date in Wales at this moment."""
    return moment.astimezone(LONDON).date()


def today() -> date:
    """Today's date in Wales."""
    return local_date(utcnow())
