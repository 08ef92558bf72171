"""Outbox delivery rate to the sandbox GOV.UK Notify, over real HTTP on loopback.

    .venv/bin/python benchmarks/outbox_rate.py [messages] [max-per-minute]

Enqueues the messages, runs one outbox worker until all are sent, and reports
messages a minute and how many 429s Notify answered. With the default cap
(2,950 a minute) the worker keeps just under Notify's 3,000 sends a minute (its
look-ups of messages tried before are reads, which Notify does not count); with a
higher cap it meets the limit, and its retries still send every message exactly
once."""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from portal import config, worker
from portal.clients.notify import NotifyClient
from portal.messages import TEMPLATES, sandbox_template_ids
from portal.sandbox.notify.app import create_app
from portal.sandbox.notify.state import Service, Template
from portal.sandboxes import serve
from portal.services import outbox
from portal.store import Store
from portal.store.models import OutboxMessage

VALUES = {"person_name": "Gwen Morgan", "code": "ABCD-2345", "expires_cy": "30 Tachwedd 2026",
          "expires_en": "30 November 2026"}


def main(count: int, per_minute: int) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    ids = sandbox_template_ids()
    service = Service(config.SANDBOX_NOTIFY_KEY[-73:-37], config.SANDBOX_NOTIFY_KEY[-36:])
    app = create_app(service, [Template(ids[t.name], t.channel, t.name, t.body, t.subject)
                               for t in TEMPLATES])
    server = serve(app, 0, "notify")
    limited = {"429": 0}

    @app.after_request
    def _count(response):  # type: ignore[no-untyped-def]
        if response.status_code == 429:
            limited["429"] += 1
        return response

    with tempfile.TemporaryDirectory() as folder:
        store = Store(f"sqlite:///{Path(folder) / 'bench.db'}")
        store.migrate()
        with store.transaction() as db:
            for n in range(count):
                outbox.enqueue(db, "sms", "invitation-sms-cy+en", f"0770090{n % 1000:04d}",
                               VALUES)
        notify = NotifyClient(config.SANDBOX_NOTIFY_KEY,
                              f"http://127.0.0.1:{server.server_port}", ids)
        stop = threading.Event()
        # Retries come round quickly here, so a 429 shows as a delay, not as a stall.
        policy = outbox.RetryPolicy(first_delay=timedelta(seconds=1),
                                    longest_delay=timedelta(seconds=5))
        started = time.monotonic()
        send = outbox.via_notify(lambda _council: notify, store)
        thread = threading.Thread(target=worker.run,
                                  args=(store, {"sms": send}, stop,
                                        per_minute, 0.05, policy))
        thread.start()
        while True:
            with store.transaction() as db:
                left = db.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.status == "pending"))
            if not left:
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - started
        stop.set()
        thread.join()
        delivered = len({n["reference"] for n in service.sent})
    server.shutdown()
    print(f"messages: {count}  cap: {per_minute}/min  sent once each: {delivered == count} "
          f"({len(service.sent)} accepted by Notify)")
    print(f"elapsed: {elapsed:.1f} s  rate: {count / elapsed * 60:.0f} messages a minute  "
          f"429s seen: {limited['429']}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000,
         int(sys.argv[2]) if len(sys.argv) > 2 else 2950)
