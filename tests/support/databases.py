"""The engines tests run on: SQLite always, PostgreSQL too when TEST_DATABASE_URL
names one (CI sets it). Each test gets a database of its own: a SQLite file, or a
schema of its own in the shared PostgreSQL database, dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from portal.store import Store

ENGINES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@contextmanager
def database_url(engine: str, folder: Path) -> Iterator[str]:
    """The address of an empty database on this engine, for one test."""
    if engine == "sqlite":
        yield f"sqlite:///{folder / 'portal.db'}"
        return
    base = os.environ["TEST_DATABASE_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def migrated_store(engine: str, folder: Path) -> Iterator[Store]:
    """A store on this engine with the newest schema, for one test."""
    with database_url(engine, folder) as url:
        store = Store(url)
        store.migrate()
        try:
            yield store
        finally:
            store.engine.dispose()
