"""The outbox worker: sends due messages, under Notify's rate limit.

    flask --app portal outbox-worker      (production: as many as you like)
`make run` starts one in the same process."""

from __future__ import annotations

import logging
import threading
import time

from portal.clients.notify import NotifyClient
from portal.services import outbox
from portal.store import Store

log = logging.getLogger(__name__)


def run(store: Store, notify: NotifyClient, stop: threading.Event,
        max_per_minute: int = 2500, idle_seconds: float = 1.0,
        policy: outbox.RetryPolicy | None = None) -> None:
    """Send until told to stop, at most max_per_minute (Notify allows 3,000)."""
    spacing = 60.0 / max_per_minute
    policy = policy or outbox.RetryPolicy()
    while not stop.is_set():
        claimed = outbox.claim(store, limit=50, policy=policy)
        if not claimed:
            stop.wait(idle_seconds)
            continue
        for message in claimed:
            started = time.monotonic()
            outbox.send_claimed(store, notify, message, policy)
            rest = spacing - (time.monotonic() - started)
            if rest > 0:
                stop.wait(rest)
