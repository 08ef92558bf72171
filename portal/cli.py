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
