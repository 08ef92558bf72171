"""Backups of the portal's own database restore into a working database, as the
runbook (docs/runbook.md) says to make and restore them: pg_dump and pg_restore on
PostgreSQL, SQLite's own backup on one machine."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

from portal.services import outbox
from portal.store import Store
from portal.store.models import Account, AuditEvent, OutboxMessage


def _write_some_of_everything(store: Store) -> None:
    with store.transaction() as db:
        account = Account(identity_sub="sub-backed-up", language="cy", person_id="W06000002:p-1001")
        db.add(account)
        db.flush()
        db.add(AuditEvent(person_id="W06000002:p-1001", actor_account_id=account.id,
                          actor_name="Gwen Morgan", actor_role="self", action="care.home"))
        outbox.enqueue(db, "email", "invitation-email-cy+en", "gwen@example.com", {})


def _what_is_there(store: Store) -> tuple[str | None, int, int]:
    with store.transaction() as db:
        return (db.scalar(select(Account.language).where(Account.identity_sub == "sub-backed-up")),
                int(db.scalar(select(func.count()).select_from(AuditEvent)) or 0),
                int(db.scalar(select(func.count()).select_from(OutboxMessage)) or 0))


def test_a_backup_restores_into_a_working_database(store: Store, tmp_path: Path) -> None:
    _write_some_of_everything(store)
    before = _what_is_there(store)
    if store.engine.dialect.name == "sqlite":
        copy = tmp_path / "restored.db"
        with sqlite3.connect(str(store.engine.url.database)) as source, \
                sqlite3.connect(str(copy)) as target:
            source.backup(target)
        restored = Store(f"sqlite:///{copy}")
        restored.migrate()  # as after a restore: brings an older schema up to this release
        assert _what_is_there(restored) == before
        restored.engine.dispose()
        return
    base = os.environ["TEST_DATABASE_URL"]
    schema = dict(part.split("=", 1) for part in str(store.engine.url.query.get(
        "options", "")).removeprefix("-c").split("&") if "=" in part)["search_path"]
    libpq = base.replace("+psycopg", "")
    dump = tmp_path / "portal.dump"
    subprocess.run(["pg_dump", "--format=custom", f"--schema={schema}", f"--file={dump}",
                    libpq], check=True, capture_output=True)
    database = f"restored_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        target = libpq.rsplit("/", 1)[0] + f"/{database}"
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={target}", str(dump)],
                       check=True, capture_output=True)
        restored = Store(base.rsplit("/", 1)[0] + f"/{database}"
                         + f"?options=-csearch_path%3D{schema}")
        restored.migrate()
        assert _what_is_there(restored) == before
        restored.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{database}" WITH (FORCE)'))
        admin.dispose()
