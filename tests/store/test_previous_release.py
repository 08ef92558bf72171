"""A rolling upgrade: the migrations run first, then the new code replaces the old
process by process, so for a while the release before runs against the new schema.
This runs that earlier release's own journeys (the authorization matrix, paying,
messages) on the newest schema, on SQLite and on PostgreSQL when
TEST_DATABASE_URL names one. The earlier release is the code as it stood before the
newest migration was added (docs/runbook.md, "Upgrading")."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "portal" / "store" / "migrations"
PLUGINS = ROOT / "tests" / "support" / "plugins"
# The earlier release's tests run against the newer schema: its journeys, not its tests
# of its own migrations.
JOURNEYS = ["tests/web/test_access.py", "tests/web/test_charges.py",
            "tests/web/test_messages.py"]


def git(*args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True).stdout


def release_before_newest_migration() -> tuple[str, str]:
    newest = max(p.name for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    added = git("log", "--diff-filter=A", "--format=%H", "-1", "--",
                f"portal/store/migrations/versions/{newest}").decode().strip()
    assert added, f"git history does not say when {newest} was added"
    return newest, git("rev-parse", f"{added}^").decode().strip()


def test_the_release_before_the_newest_migration_works_on_the_new_schema(
        tmp_path: Path) -> None:
    newest, commit = release_before_newest_migration()
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    with tarfile.open(fileobj=io.BytesIO(git("archive", "--format=tar", commit))) as tar:
        tar.extractall(earlier, filter="data")
    assert not (earlier / "portal/store/migrations/versions" / newest).exists()
    # What the build makes and is never committed: the assets (unchanged by a
    # migration) and the compiled catalogues.
    shutil.copytree(ROOT / "static" / "dist", earlier / "static" / "dist")
    subprocess.run([Path(sys.executable).parent / "pybabel", "compile", "-d",
                    earlier / "translations", "-D", "messages"], check=True,
                   capture_output=True)

    environment = {**os.environ, "NEWER_MIGRATIONS": str(MIGRATIONS),
                   "EARLIER_CODE": str(earlier),
                   "PYTHONPATH": os.pathsep.join([str(earlier), str(PLUGINS)])}
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "newer_schema", "-p", "no:cacheprovider",
         "-p", "no:randomly", *JOURNEYS],
        cwd=earlier, env=environment, capture_output=True, text=True, timeout=1200)
    report = ran.stdout[-4000:] + ran.stderr[-2000:]
    assert ran.returncode == 0, f"release {commit[:7]} on the schema with {newest}:\n{report}"
    assert "newer schema: 0 stores" not in ran.stdout
    assert f"stores migrated with {MIGRATIONS}" in ran.stdout, report
