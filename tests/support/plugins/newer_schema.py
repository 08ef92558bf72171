"""A pytest plugin loaded into an earlier release's own tests (tests/store/
test_previous_release.py): every store those tests build is brought to the newest
schema with this release's migrations, so the earlier code runs against the schema
it will meet while an upgrade rolls out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

NEWER_MIGRATIONS = Path(os.environ["NEWER_MIGRATIONS"])
EARLIER_CODE = Path(os.environ["EARLIER_CODE"])
STORES_MIGRATED: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    import portal.store

    here = Path(portal.store.__file__).resolve()
    if EARLIER_CODE.resolve() not in here.parents:
        raise pytest.UsageError(f"the earlier release's code is not the one imported: {here}")
    portal.store.Store.migrate = migrate_to_the_newer_schema  # type: ignore[method-assign]


def migrate_to_the_newer_schema(store: Any, *_args: str) -> None:
    """What the newer release's `release` step does (its Store.migrate): its
    migrations, each run in a transaction Alembic manages, on this store."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(NEWER_MIGRATIONS))
    config.set_main_option("sqlalchemy.url", store.url.replace("%", "%%"))
    with store.engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        connection.commit()
    STORES_MIGRATED.append(store.url)


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    terminalreporter.write_line(
        f"newer schema: {len(STORES_MIGRATED)} stores migrated with {NEWER_MIGRATIONS}")
