"""From a visit event in the council's feed to its alert accepted by GOV.UK Notify.

    PYTHONPATH=. .venv/bin/python benchmarks/visit_alerts.py [events-a-second] [seconds]
    (make bench: 50 a second for 10 minutes)

On PostgreSQL (TEST_DATABASE_URL, in a schema of its own; without it, says so and
measures nothing), with the sandboxes on loopback and one outbox worker as production runs it
(the feed followed every second, Notify's lane at its cap). Every person of the
sandbox area has an account that chose every alert. Events come at the rate given:
one in ten a visit late, missed or cancelled (an alert each), the rest visits that
start or finish on time (nothing to send), as a morning's call monitoring does.
Prints the time from each event to Notify accepting its alert (p50, p99; goal: p99
under 60 seconds) and counts the alerts: each sent exactly once."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from benchmarks.pages import percentile, settings
from portal import create_app, records, sandboxes, worker
from portal.clock import local_date, utcnow
from portal.config import SANDBOX_PORTS
from portal.store.models import Account, OutboxMessage
from tests.conftest import free_port

ALERTING = ("late", "missed", "cancelled")  # one event in ten; the rest send nothing
QUIET = ("in-progress", "completed")


def main(rate: float, seconds: float) -> None:
    logging.disable(logging.WARNING)
    base_url = os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        print("visit alerts: not measured (set TEST_DATABASE_URL to a PostgreSQL database)")
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        with tempfile.TemporaryDirectory() as folder:
            run(f"{base_url}?options=-csearch_path%3D{schema}", Path(folder), rate, seconds)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def run(database: str, folder: Path, rate: float, seconds: float) -> None:
    ports = {name: free_port() for name in SANDBOX_PORTS}
    base = dataclasses.replace(settings(folder, ports), DATABASE_URL=database)
    running = sandboxes.start(base, ports)
    app = create_app(base)
    deps = app.extensions["portal"]
    deps.store.migrate()
    council = deps.councils.first
    held = running.back_office(council.code)
    people = [pid for pid, demo in held.people.items() if not demo.related]
    with deps.store.transaction() as db:
        for n, pid in enumerate(people):
            db.add(Account(identity_sub=f"bench-{pid}", person_id=records.key(council.code, pid),
                           contact_by="email", contact_email=f"{pid}@example.com", stopped="",
                           language="cy" if n % 3 == 0 else "en"))
    stop = threading.Event()
    follow = worker.Every(1.0, worker.visits_follower(deps, council), "follow the visits")
    threading.Thread(target=worker.run, daemon=True,
                     args=(deps.store, worker.senders(deps), stop, base.OUTBOX_MAX_PER_MINUTE),
                     kwargs={"every": [follow]}).start()

    said: dict[str, datetime] = {}  # each alerting visit's key, and when its event came
    today = local_date(utcnow())
    started = time.monotonic()
    for n in itertools.count():
        due = started + n / rate
        if due - started >= seconds:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        pid = people[n % len(people)]
        status = ALERTING[n // 10 % 3] if n % 10 == 0 else QUIET[n % 2]
        visit = f"v-{pid}-{today}-{n}"
        now = utcnow()
        with held.lock:
            held.visit_events.append({
                "id": str(len(held.visit_events) + 1), "person_id": pid, "visit_id": visit,
                "status": status, "planned_start": now.isoformat(), "expected_start": None,
                "actual_start": None, "moved_to": None, "at": now.isoformat()})
        if status in ALERTING:
            said[records.key(council.code, visit)] = now
    generated = time.monotonic() - started
    waited_from = time.monotonic()
    while time.monotonic() - waited_from < 120 and sent_count(deps.store) < len(said):
        time.sleep(0.5)
    stop.set()
    with deps.store.transaction() as db:
        rows = db.execute(select(OutboxMessage.about, OutboxMessage.sent_at).where(
            OutboxMessage.about.like("visit:%"), OutboxMessage.status == "sent")).all()
    took = sorted((sent - said[about.removeprefix("visit:")]).total_seconds()
                  for about, sent in rows if about.removeprefix("visit:") in said)
    abouts = [about.removeprefix("visit:") for about, _ in rows]
    print(f"visit events at {rate:g} a second for {generated:.0f} s "
          f"({int(generated * rate)} events, {len(said)} that alert someone)")
    if took:
        print(f"event to alert accepted by Notify: p50 {statistics.median(took):.1f} s, "
              f"p99 {percentile(took, 0.99):.1f} s (goal: p99 under 60 s)")
    print(f"alerts sent {len(rows)} for {len(said)} alerting events; sent twice: "
          f"{len(abouts) - len(set(abouts))}; never sent: {len(set(said) - set(abouts))}")
    running.stop()


def sent_count(store: object) -> int:
    with store.transaction() as db:  # type: ignore[attr-defined]
        return int(db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.about.like("visit:%"), OutboxMessage.status == "sent")) or 0)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 50,
         float(sys.argv[2]) if len(sys.argv) > 2 else 600)
