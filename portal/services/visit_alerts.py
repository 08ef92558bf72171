"""Alerts about visits as they happen, on the day: a visit late, missed, cancelled or
moved, and, after a late one, that it has started. The back office relays what
providers' call monitoring says in a feed of visit events (/v1/visit-events); a
worker follows each council's feed, as it follows the care team's messages.

Each alert goes to the person and to everyone with the `notifications` scope, by
their own choice of channel and in their own language, only to those who chose that
kind of alert (messages.VISIT_ALERTS: stopped until chosen, and stopped again in
one step from the message). An alert is sent once a visit, kind and address, however
often the feed repeats itself or however many workers read it (VisitAlertSent);
within someone's quiet hours it waits until they end, unless it is a missed visit
they asked to hear about at any hour. Never the notes, never a care worker's name."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import messages
from portal.clients.backoffice import BackOfficeClient, VisitEvent
from portal.clock import LONDON, local_date
from portal.councils import Council
from portal.services import contact, outbox
from portal.services.contact import Recipient
from portal.store import Store
from portal.store.models import FeedPosition, VisitAlertSent

log = logging.getLogger(__name__)
FEED = "visit-events"
# What each status the feed gives is told as.
KINDS = {"late": "visit-late", "missed": "visit-missed", "cancelled": "visit-changed",
         "moved": "visit-changed", "in-progress": "visit-started",
         "completed": "visit-started"}
SENT_BY = ("email", "sms")  # an alert is no use by post


def follow_council(store: Store, backoffice: BackOfficeClient, council: Council,
                   service_url: str, now: datetime) -> int:
    """Act on this council's new visit events: alert whoever chose to hear. Returns
    how many alerts were queued. Safe for several workers: one acts on each batch."""
    feed_name = f"{FEED}:{council.code}"
    with store.transaction() as db:
        position = db.get(FeedPosition, feed_name)
        after = position.next if position else None
    feed = backoffice.visit_events(council.code, after)
    if not feed.events and position is not None:
        return 0
    today = local_date(now)
    # On the day: news of another day's visit is on its page, not sent.
    news = [e for e in feed.events
            if e.status in KINDS and local_date(e.planned_start) == today]
    people = {e.person_id for e in news}
    to_tell = {pid: [to for to in contact.recipients_about(store, backoffice, pid, today)
                     if to.channel in SENT_BY] for pid in people}
    names = {pid: backoffice.get_person(pid).full_name for pid in people if to_tell[pid]}
    queued = 0
    try:
        with store.transaction() as db:
            position = db.get(FeedPosition, feed_name, with_for_update=True)
            if (position.next if position else None) != after:
                return 0  # another worker acted on this batch
            if position is None:
                db.add(FeedPosition(name=feed_name, next=feed.next))
            else:
                position.next = feed.next
            for event in news:
                for to in to_tell[event.person_id]:
                    queued += _alert(store, db, event, to, names.get(event.person_id, ""),
                                     council, service_url, now)
    except IntegrityError:
        return 0  # another worker acted on it first
    for pid in people:
        backoffice.forget(pid)  # their visits as kept lack the news
    return queued


def quiet_until(to: Recipient, kind: str, now: datetime) -> datetime | None:
    """When an alert of this kind may go to them, if not now: the end of their quiet
    hours (local), unless it is a missed visit they asked to hear about at any hour."""
    if to.quiet is None or (kind == "visit-missed" and to.missed_any_hour):
        return None
    start, end = to.quiet
    local = now.astimezone(LONDON)
    hour = local.hour
    if start == end or not (start <= hour < end if start < end else hour >= start or hour < end):
        return None
    day = local.date() if hour < end else local.date() + timedelta(days=1)
    return datetime.combine(day, time(end), LONDON)


# Inside the module ------------------------------------------------------------

def _alert(store: Store, db: Session, event: VisitEvent, to: Recipient, person_name: str,
           council: Council, service_url: str, now: datetime) -> int:
    """Queue one alert about the event for one address, unless they did not choose it
    or it went already; 1 if queued."""
    kind = KINDS[event.status]
    if kind == "visit-started":  # only to those told it was late
        if db.scalar(select(VisitAlertSent.visit_id).where(
                VisitAlertSent.visit_id == event.visit_id, VisitAlertSent.kind == "visit-late",
                VisitAlertSent.address == to.address)) is None:
            return 0
    elif not to.wants(kind):
        return 0
    # RETURNING says whether this one added the row (a row count is not to be trusted
    # for an insert on every driver).
    first = db.execute(store.insert(VisitAlertSent)
                       .values(visit_id=event.visit_id, kind=kind, address=to.address)
                       .on_conflict_do_nothing(index_elements=[
                           VisitAlertSent.visit_id, VisitAlertSent.kind,
                           VisitAlertSent.address])
                       .returning(VisitAlertSent.kind)).first()
    if first is None:
        return 0
    own = to.person_id == event.person_id
    url = f"{service_url.rstrip('/')}/your-care/visits"

    def values(language: str) -> dict[str, str]:
        said = {**messages.visit_words(event.planned_start, None if own else person_name,
                                       language),
                "url": url, "phone": council.phone, "expected": "", "change": "",
                "arrived": messages.time_of_day(event.actual_start or now, language)}
        if event.expected_start is not None:
            at = messages.time_of_day(event.expected_start, language)
            said["expected"] = f"Disgwylir y gweithiwr gofal am {at} bellach. " \
                if language == "cy" else f"The care worker is now expected at {at}. "
        if event.status == "cancelled":
            said["change"] = "wedi'i ganslo" if language == "cy" else "has been cancelled"
        elif event.status == "moved" and event.moved_to is not None:
            at = messages.time_of_day(event.moved_to, language) \
                if local_date(event.moved_to) == local_date(now) \
                else messages.when(event.moved_to, language, after_preposition=True)
            said["change"] = f"wedi'i symud i {at}" if language == "cy" \
                else f"has moved to {at}"
        return said

    outbox.tell(db, to, kind, values, about=f"visit:{event.visit_id}",
                not_before=quiet_until(to, kind, now),
                unsubscribe_url=to.stop_link(service_url, kind))
    return 1
