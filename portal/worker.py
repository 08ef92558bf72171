"""The outbox worker: sends due messages to Notify, under its rate limit, and
makes the back-office writes queued with them, each from a thread of its own; every
so often, notes the care team's new messages and works out the public figures
(`periodic`); and, once an hour, clears browser sessions past their time and outbox
messages finished more than outbox.KEEP_FINISHED ago.

    flask --app portal outbox-worker      (production: as many as you like)
`make run` starts one in the same process."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from portal.clients.errors import ServiceError
from portal.clock import today, utcnow
from portal.services import (
    assessment_requests,
    browser_sessions,
    carers,
    changes,
    contact,
    conversations,
    direct_payments,
    emergency_plans,
    financial_assessments,
    outbox,
    payments,
    published,
    reviews,
    visit_alerts,
    visit_reports,
)
from portal.store import Store

if TYPE_CHECKING:
    from portal.councils import Council
    from portal.dependencies import Dependencies

log = logging.getLogger(__name__)
# How often a worker clears browser sessions past their time.
HOUSEKEEPING_SECONDS = 3600
# How often a worker sees whether the public figures are due to be worked out again
# (published.FRESH): one of the workers does it, once a minute.
PUBLISH_CHECK_SECONDS = 10.0


@dataclass(frozen=True)
class Every:
    """A job a worker does every `seconds`; `what` names it in the log if it fails."""

    seconds: float
    job: Callable[[], object]
    what: str

    def do(self) -> None:
        """Do the job once; a failure is logged, and it is tried again next time."""
        try:
            self.job()
        except ServiceError as error:  # the back office is down: next time
            log.warning("could not %s: %s", self.what, error)
        except Exception:
            log.exception("could not %s", self.what)


def senders(deps: Dependencies) -> dict[str, outbox.Sender]:
    """How each outbox channel is sent: Notify for messages; for back-office writes,
    the operation each message names."""
    by_notify = outbox.via_notify(deps.notify_for, deps.store,
                                  lambda to: contact.postal_address(deps.backoffice, to))
    operations = {
        reviews.SYNC: lambda message: reviews.sync(deps.store, deps.backoffice,
                                                   message.recipient, deps.service_url),
        payments.RECORD: lambda message: payments.record_in_ledger(deps.store, deps.backoffice,
                                                                   message.recipient),
        assessment_requests.SEND: lambda message: assessment_requests.send(
            deps.store, deps.backoffice, message.recipient, deps.service_url),
        emergency_plans.SEND: lambda message: emergency_plans.send(
            deps.store, deps.backoffice, message.recipient),
        carers.SEND: lambda message: carers.send(deps.store, deps.backoffice, message.recipient,
                                                 deps.service_url),
        visit_reports.SEND: lambda message: visit_reports.send(
            deps.store, deps.backoffice, message.recipient, deps.service_url),
        changes.SEND: lambda message: changes.send(deps.store, deps.backoffice,
                                                   message.recipient, deps.service_url),
        direct_payments.SEND: lambda message: direct_payments.send(
            deps.store, deps.backoffice, message.recipient, deps.service_url),
        financial_assessments.SEND: lambda message: financial_assessments.send(
            deps.store, deps.backoffice, message.recipient, deps.service_url),
        financial_assessments.SEND_REVIEW: lambda message: financial_assessments.send_review(
            deps.store, deps.backoffice, message.recipient, deps.service_url),
        conversations.SEND: lambda message: conversations.deliver(
            deps.store, deps.backoffice, message.recipient, deps.service_url, utcnow()),
    }
    return {"email": by_notify, "sms": by_notify, "letter": by_notify,
            "backoffice": lambda message: operations[message.template](message)}


def follower(deps: Dependencies, council: str) -> Callable[[], object]:
    """What a worker does every so often (MESSAGES_FOLLOW_SECONDS): note this
    council's care teams' new messages."""
    return lambda: conversations.follow_council(deps.store, deps.backoffice, council,
                                                deps.service_url, today())


def visits_follower(deps: Dependencies, council: Council) -> Callable[[], object]:
    """What a worker does every so often (MESSAGES_FOLLOW_SECONDS): alert whoever
    chose to hear of this council's visits as they happen."""
    return lambda: visit_alerts.follow_council(deps.store, deps.backoffice, council,
                                               deps.service_url, utcnow())


def periodic(deps: Dependencies, follow_seconds: float) -> list[Every]:
    """What a worker does every so often: note each council's care teams' new
    messages and its visits as they happen (every MESSAGES_FOLLOW_SECONDS, a job a
    council and feed, so that one council's feed failing holds up no other's), and
    work out the public figures when due."""
    return [*(Every(follow_seconds, follower(deps, council.code),
                    f"follow the care team's messages at {council.code}")
              for council in deps.councils),
            *(Every(follow_seconds, visits_follower(deps, council),
                    f"follow the visits as they happen at {council.code}")
              for council in deps.councils),
            Every(PUBLISH_CHECK_SECONDS,
                  lambda: published.refresh(deps.store, deps.backoffice,
                                            published.areas_of(deps.councils), utcnow()),
                  "work out the public figures")]


def run(store: Store, send: Mapping[str, outbox.Sender], stop: threading.Event,
        max_per_minute: int = 2950, idle_seconds: float = 1.0,
        policy: outbox.RetryPolicy | None = None, every: Sequence[Every] = ()) -> None:
    """Send until told to stop. Each lane of channels (outbox.LANES) is sent from a
    thread of its own, so a slow Notify never delays a back-office write; Notify's
    messages at most max_per_minute by every worker together (Notify allows 3,000).
    This thread keeps house and does the `every` jobs. Told to stop, each lane
    finishes what it is sending and lets go of the rest, and this returns."""
    policy = policy or outbox.RetryPolicy()
    lanes = [threading.Thread(
        target=_send_lane, name=f"outbox-{name}", daemon=True,
        args=(store, send, name, channels, stop, max_per_minute if name == "notify" else None,
              idle_seconds, policy))
        for name, channels in outbox.LANES.items() if any(c in send for c in channels)]
    for lane in lanes:
        lane.start()
    jobs = [Every(HOUSEKEEPING_SECONDS, lambda: _keep_house(store), "keep house"), *every]
    done = [-math.inf] * len(jobs)  # each at once, then every so often
    while not stop.is_set():
        for n, job in enumerate(jobs):
            if time.monotonic() - done[n] > job.seconds:
                done[n] = time.monotonic()
                job.do()
        stop.wait(min([idle_seconds * 10, *(job.seconds for job in jobs)]))
    for lane in lanes:
        lane.join()


def _send_lane(store: Store, send: Mapping[str, outbox.Sender], name: str,
               channels: tuple[str, ...], stop: threading.Event, max_per_minute: int | None,
               idle_seconds: float, policy: outbox.RetryPolicy) -> None:
    """Claim and send this lane's due messages, each send taken from the rate every
    worker shares (max_per_minute, if the lane has one), and log each batch. Told to
    stop, finish the message in hand and let go of the rest of the batch."""
    while not stop.is_set():
        claimed = outbox.claim(store, limit=50, policy=policy, channels=channels)
        if not claimed:
            stop.wait(idle_seconds)
            continue
        counts = {"sent": 0, "retrying": 0, "failed": 0}
        done = 0
        for message in claimed:
            if max_per_minute and not _sending_allowed(store, name, max_per_minute, stop):
                break
            counts[outbox.send_claimed(store, send, message, policy)] += 1
            done += 1
        released = outbox.release(store, [m.id for m in claimed[done:]])
        log.info("outbox %s: %d sent, %d to retry, %d failed, %d let go", name,
                 counts["sent"], counts["retrying"], counts["failed"], released,
                 extra={"lane": name, "claimed": len(claimed), **counts, "released": released})


def _sending_allowed(store: Store, lane: str, max_per_minute: int,
                     stop: threading.Event) -> bool:
    """Wait for a send from the lane's shared rate; False if told to stop meanwhile."""
    while not stop.is_set():
        wait = outbox.take_send(store, lane, max_per_minute, time.time())
        if wait <= 0:
            return True
        stop.wait(wait)
    return False


def _keep_house(store: Store) -> None:
    """Clear browser sessions past their time and messages finished long ago."""
    now = utcnow()
    browser_sessions.clear_expired(store, now)
    outbox.clear_send_windows(store, now.timestamp())
    cleared = outbox.clear_finished(store, now)
    if cleared:
        log.info("cleared %d outbox messages finished before %s", cleared,
                 (now - outbox.KEEP_FINISHED).date())
