"""The outbox worker: sends due messages to Notify, under its rate limit, and
makes the back-office writes queued with them; and, once an hour, clears browser
sessions past their time.

    flask --app portal outbox-worker      (production: as many as you like)
`make run` starts one in the same process."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from portal.clock import utcnow
from portal.services import browser_sessions, outbox, payments, reviews
from portal.store import Store

if TYPE_CHECKING:
    from portal import Dependencies

log = logging.getLogger(__name__)
# How often a worker clears browser sessions past their time.
HOUSEKEEPING_SECONDS = 3600


def senders(deps: Dependencies) -> dict[str, outbox.Sender]:
    """How each outbox channel is sent: Notify for messages; for back-office writes,
    the operation each message names."""
    by_notify = outbox.via_notify(deps.notify)
    operations = {
        reviews.SYNC: lambda message: reviews.sync(deps.store, deps.backoffice,
                                                   message.recipient, deps.service_url),
        payments.RECORD: lambda message: payments.record_in_ledger(deps.store, deps.backoffice,
                                                                   message.recipient),
    }
    return {"email": by_notify, "sms": by_notify,
            "backoffice": lambda message: operations[message.template](message)}


def run(store: Store, send: Mapping[str, outbox.Sender], stop: threading.Event,
        max_per_minute: int = 2500, idle_seconds: float = 1.0,
        policy: outbox.RetryPolicy | None = None) -> None:
    """Send until told to stop, at most max_per_minute (Notify allows 3,000)."""
    spacing = 60.0 / max_per_minute
    policy = policy or outbox.RetryPolicy()
    tidied = 0.0
    while not stop.is_set():
        if time.monotonic() - tidied > HOUSEKEEPING_SECONDS:
            tidied = time.monotonic()
            browser_sessions.clear_expired(store, utcnow())
        claimed = outbox.claim(store, limit=50, policy=policy)
        if not claimed:
            stop.wait(idle_seconds)
            continue
        for message in claimed:
            started = time.monotonic()
            outbox.send_claimed(store, send, message, policy)
            rest = spacing - (time.monotonic() - started)
            if rest > 0:
                stop.wait(rest)
