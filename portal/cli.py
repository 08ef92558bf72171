"""`flask --app portal ...` commands."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("db-upgrade")
    def db_upgrade() -> None:
        """Apply every database migration."""
        app.extensions["portal"].store.migrate()
        click.echo("Database is up to date.")

    @app.cli.command("outbox-worker")
    def outbox_worker() -> None:
        """Send the outbox's messages until stopped (run as many as you like)."""
        import threading

        from portal import worker

        deps = app.extensions["portal"]
        worker.run(deps.store, worker.senders(deps), threading.Event(),
                   app.config["OUTBOX_MAX_PER_MINUTE"])
