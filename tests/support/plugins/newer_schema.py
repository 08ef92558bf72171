"""A pytest plugin loaded into an earlier release's own tests (tests/store/
test_previous_release.py): every store those tests build is brought to the newest
schema with this release's migrations, so the earlier code runs against the schema
it will meet while an upgrade rolls out."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

NEWER_MIGRATIONS = Path(os.environ["NEWER_MIGRATIONS"])
EARLIER_CODE = Path(os.environ["EARLIER_CODE"])
STORES_MIGRATED: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    import portal.store

    here = Path(portal.store.__file__).resolve()
    if EARLIER_CODE.resolve() not in here.parents:
        raise pytest.UsageError(f"the earlier release's code is not the one imported: {here}")
    portal.store.MIGRATIONS = NEWER_MIGRATIONS
    migrate = portal.store.Store.migrate

    def migrate_to_the_newer_schema(self: portal.store.Store, *args: str) -> None:
        migrate(self, *args)
        STORES_MIGRATED.append(self.url)

    portal.store.Store.migrate = migrate_to_the_newer_schema  # type: ignore[method-assign]


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    terminalreporter.write_line(
        f"newer schema: {len(STORES_MIGRATED)} stores migrated with {NEWER_MIGRATIONS}")
