from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from portal.store import Store

# SQLite always; PostgreSQL too when TEST_DATABASE_URL names one (CI sets it).
ENGINES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(params=ENGINES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        yield _migrated(Store(f"sqlite:///{tmp_path / 'store.db'}"))
        return
    # Each test gets its own schema in the shared database, dropped afterwards.
    base = os.environ["TEST_DATABASE_URL"]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    store = Store(f"{base}{separator}options=-csearch_path%3D{schema}")
    try:
        yield _migrated(store)
    finally:
        store.engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _migrated(store: Store) -> Store:
    store.migrate()
    return store
