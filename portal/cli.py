"""`flask --app portal ...` commands."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Apply every database migration."""
        app.extensions["portal"].store.migrate(council=app.config["COUNCIL_CODE"])
        click.echo("Database is up to date.")

    @app.cli.command("db-downgrade")
    @click.argument("revision")
    def db_downgrade(revision: str) -> None:
        """Undo the migrations after REVISION (e.g. 0021), and what they added: only
        after the release that needs them has been rolled back (docs/runbook.md)."""
        app.extensions["portal"].store.migrate_back(revision)
        click.echo(f"Database is at {revision}.")

    @app.cli.command("outbox-worker")
    def outbox_worker() -> None:
        """Send the outbox's messages until stopped (run as many as you like: they share
        Notify's rate). SIGTERM or Ctrl-C: finish the message in hand, let go of the rest."""
        import signal
        import threading

        from portal import worker

        deps = app.extensions["portal"]
        stop = threading.Event()
        for name in (signal.SIGTERM, signal.SIGINT):
            signal.signal(name, lambda *_: stop.set())
        worker.run(deps.store, worker.senders(deps), stop,
                   app.config["OUTBOX_MAX_PER_MINUTE"],
                   every=worker.periodic(deps, app.config["MESSAGES_FOLLOW_SECONDS"]))

    @app.cli.command("reconcile-payments")
    @click.option("--mend", is_flag=True,
                  help="Put right what is safe to: payments Pay finished that the portal "
                       "missed, and payments never queued for the council's ledger.")
    @click.option("--days", default=90, show_default=True, help="How far back to look.")
    def reconcile_payments(mend: bool, days: int) -> None:
        """Compare the portal's payments with GOV.UK Pay's and the council's ledger."""
        from datetime import timedelta

        from portal.services import payments

        deps = app.extensions["portal"]
        findings = payments.reconcile(deps.store, deps.backoffice, deps.pay_for, deps.service_url,
                                      mend=mend, since=timedelta(days=days))
        for finding in findings:
            state = "mended" if finding.mended else "to look at"
            click.echo(f"{finding.kind}\t{finding.payment_id or '-'}\t{state}\t{finding.detail}")
        left = [f for f in findings if not f.mended]
        click.echo(f"{len(findings)} differences, {len(findings) - len(left)} mended, "
                   f"{len(left)} to look at.")
        if left:
            raise SystemExit(1)
