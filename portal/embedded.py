"""Embedded mode: the portal, its sandboxes and demo people, on one machine.

    python -m portal.embedded        (what `make run` does)
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading

from werkzeug.serving import run_simple

from portal import config, create_app, demo_history, sandboxes, worker
from portal.clock import utcnow

log = logging.getLogger("portal.embedded")


def main() -> None:
    settings = config.load_or_exit()
    if settings.MODE != "embedded":
        raise SystemExit("portal.embedded runs only with PORTAL_MODE=embedded")
    port = int(os.environ.get("PORT", "8000"))
    if not settings.COUNCILS_FILE:
        # The councils the demo people live in, each with a sandbox back office and Pay
        # account of its own.
        settings = dataclasses.replace(settings, FILE_COUNCILS=sandboxes.demo_councils(settings))
    app = create_app(settings)
    app.extensions["portal"].store.migrate(council=settings.COUNCIL_CODE)
    if demo_history.write(app.extensions["portal"].store, utcnow()):
        print("Wrote a quarter of a year of made-up history for the public data page",
              flush=True)
    ports = config.sandbox_ports()
    sandboxes.start(settings, ports)
    deps = app.extensions["portal"]
    # The worker's periodic jobs (the public figures among them) done once before the
    # first page is served, then by the worker thread.
    every = worker.periodic(deps, settings.MESSAGES_FOLLOW_SECONDS)
    for job in every:
        job.do()
    threading.Thread(target=worker.run, name="outbox-worker", daemon=True,
                     args=(deps.store, worker.senders(deps), threading.Event(),
                           settings.OUTBOX_MAX_PER_MINUTE),
                     kwargs={"every": every}).start()
    print(f"Care portal:          {settings.BASE_URL}", flush=True)
    for council in settings.councils:
        print(f"Sandbox back office:  {council.back_office.url}  ({council.name('en')})",
              flush=True)
    print(f"Sandbox sign-in:      {settings.IDENTITY_ISSUER}", flush=True)
    print(f"Sandbox Notify:       {settings.NOTIFY_BASE_URL}  (sent messages: "
          f"{settings.NOTIFY_BASE_URL}/_sandbox/notifications)", flush=True)
    print(f"Sandbox GOV.UK Pay:   {settings.PAY_BASE_URL}  (test card 4444 3333 2222 1111; "
          f"4000 0000 0000 0002 is declined)", flush=True)
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
