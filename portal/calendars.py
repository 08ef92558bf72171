"""An appointment as an iCalendar file (RFC 5545) that any calendar can add: a review,
an assessment. Times in Europe/London, as people read them."""

from __future__ import annotations

from datetime import datetime

import icalendar

from portal.clock import LONDON


def event_file(uid: str, start: datetime, end: datetime, summary: str, description: str,
               now: datetime, sequence: int = 0) -> bytes:
    """One event; `sequence` counts its changes, so a moved one replaces the first."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Care and support portal//Appointments//CY-EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{uid}@care-portal")
    event.add("dtstamp", now)
    event.add("dtstart", start.astimezone(LONDON))
    event.add("dtend", end.astimezone(LONDON))
    event.add("sequence", sequence)
    event.add("summary", summary)
    event.add("description", description)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
