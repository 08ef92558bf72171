"""The portal as the README deploys it, run through the browser journeys.

The wheel is built (`make wheel`'s command) and installed, after the pinned
dependencies of requirements.lock (checked by hash), in a fresh virtual
environment, which has nothing of this checkout; its database is migrated
(PostgreSQL when TEST_DATABASE_URL is set, as in CI); then gunicorn with two
worker processes, the outbox worker and the sandboxes each run as processes of
their own, with the settings `python -m portal.sandboxes env` writes. The
journeys below are the ones the embedded stack passes (imported, so they run
here too): signing in and linking, acting for someone, a review booked with its
messages, a payment with its webhook. Each crosses processes, so they pass only
if no state lives in one.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from portal.config import PROJECT_ROOT
from portal.sandboxes import local_environment
from tests.browser.conftest import Stack, running_portal
from tests.browser.test_acting_for import (  # noqa: F401 (collected here as well)
    test_a_person_adds_a_carer_sees_her_reads_and_stops_her_access,
)
from tests.browser.test_payments import (  # noqa: F401
    test_pay_an_invoice_after_a_cancelled_payment_and_a_declined_card,
)
from tests.browser.test_reviews import (  # noqa: F401
    test_book_move_and_cancel_a_review_and_everyone_hears_in_their_language,
)
from tests.conftest import free_port
from tests.support.clock import DEFAULT
from tests.support.databases import database_url
from tests.support.waiting import answers

pytestmark = pytest.mark.browser
RUN_AT = PROJECT_ROOT / "tests/support/run_at.py"


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the portal's wheel installed: its Python."""
    folder = tmp_path_factory.mktemp("production")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--wheel-dir", str(folder / "dist"), str(PROJECT_ROOT)],
                   check=True, cwd=folder)
    wheel = next((folder / "dist").glob("care_portal-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(folder / "venv")], check=True)
    python = folder / "venv/bin/python"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    # As the README installs it: the pinned dependencies, each checked against its
    # hash, then the wheel alone; and nothing else is needed (pip check).
    subprocess.run([*pip, "--require-hashes", "-r", str(PROJECT_ROOT / "requirements.lock")],
                   check=True, cwd=folder)
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, cwd=folder)
    checked = subprocess.run([str(python), "-m", "pip", "check"], capture_output=True,
                             text=True, check=False)
    assert checked.returncode == 0, checked.stdout
    development = {"pytest", "playwright", "schemathesis", "mypy", "ruff", "hypothesis"}
    listed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"],
                            capture_output=True, text=True, check=True).stdout.lower()
    assert not {line.split("==")[0] for line in listed.splitlines()} & development
    # time-machine only to set the processes' clock (tests/support/run_at.py).
    subprocess.run([*pip, "time-machine"], check=True, cwd=folder)
    return python


def _environment(base_url: str, database: str, ports: dict[str, int]) -> dict[str, str]:
    """What `python -m portal.sandboxes env` writes, with these ports and database."""
    values = local_environment(base_url, database, ports)
    if os.environ.get("TEST_REDIS_URL"):  # shared by every process, as in production
        values["RATELIMIT_STORAGE_URI"] = values["BACKOFFICE_CACHE_URL"] = \
            os.environ["TEST_REDIS_URL"]
        # Each run's rate limits its own, as another deployment's would be.
        values["RATELIMIT_KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    return values


@pytest.fixture(params=["postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"])
def stack(request: pytest.FixtureRequest, installed: Path,
          tmp_path: Path) -> Iterator[Stack]:
    """The portal in gunicorn, the outbox worker and the sandboxes, one journey's worth."""
    port = free_port()
    ports = {name: free_port() for name in ("backoffice", "identity", "notify", "pay")}
    url = f"http://127.0.0.1:{port}"
    with database_url(request.param, tmp_path) as database:
        env = {"PATH": f"{installed.parent}:{os.environ['PATH']}", "HOME": str(tmp_path),
               "PORTAL_TEST_INSTANT": DEFAULT.isoformat(), "PORT": str(port),
               # One clock for every process, however far apart they start.
               "PORTAL_TEST_ANCHOR": repr(time.monotonic()),
               "WEB_CONCURRENCY": "2", "THREADS": "8",
               **_environment(url, database, ports)}
        run = [str(installed), str(RUN_AT)]
        procfile = _procfile()
        subprocess.run([*run, *procfile["release"]], env=env, check=True, cwd=tmp_path,
                       capture_output=True)
        commands = {"sandboxes": [*run, "portal.sandboxes"],
                    **{name: [*run, *procfile[name]] for name in ("web", "worker")}}
        processes = {}
        for name, command in commands.items():
            with (tmp_path / f"{name}.log").open("w") as log:
                processes[name] = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=log,
                                                   stderr=subprocess.STDOUT)
        try:
            _wait_for(f"{url}/_status", tmp_path)
            _wait_for(f"http://127.0.0.1:{ports['identity']}/.well-known/openid-configuration",
                      tmp_path)
            with running_portal(url):
                yield Stack(url, f"http://127.0.0.1:{ports['notify']}",
                            f"http://127.0.0.1:{ports['identity']}")
        finally:
            for process in processes.values():
                process.terminate()
            for process in processes.values():
                process.wait(timeout=30)
        # Stopped with SIGTERM, the outbox worker let go of what it held and exited.
        assert processes["worker"].returncode == 0, (tmp_path / "worker.log").read_text()
        # Every request was logged as a JSON line with its id.
        web_log = (tmp_path / "web.log").read_text()
        assert '"logger": "portal.requests"' in web_log and '"request_id"' in web_log
        assert "Traceback" not in web_log, web_log


def _procfile() -> dict[str, list[str]]:
    """The Procfile's processes, as a platform runs them: name -> command."""
    lines = (PROJECT_ROOT / "Procfile").read_text().splitlines()
    return {name.strip(): shlex.split(command) for name, command in
            (line.split(":", 1) for line in lines if line.strip())}


def _wait_for(address: str, logs: Path) -> None:
    if not answers(address):
        raise RuntimeError(f"{address} did not answer:\n" + "\n".join(
            f"{log.name}:\n{log.read_text()}" for log in sorted(logs.glob("*.log"))))


@pytest.fixture
def portal_url(stack: Stack) -> str:
    return stack.url
