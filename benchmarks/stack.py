"""The portal under gunicorn, configured as the repository configures it
(portal/gunicorn_config.py), and its worker, with the sandboxes as a process of their
own; and a
load of many clients at once. Shared by the benchmarks that measure pages a second."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from portal.sandboxes import local_environment
from tests.conftest import free_port
from tests.support.settings import council_table
from tests.support.waiting import answers


@dataclass(frozen=True)
class Stack:
    url: str
    ports: dict[str, int]
    logs: Path
    redis_url: str | None


@contextmanager
def running(councils: tuple[str, ...] = ()) -> Iterator[Stack]:
    """The portal under gunicorn on SQLite, with the sandboxes, until the block ends:
    serving Gwynedd, and these councils too (each a sandbox back office of its own,
    under its code on the sandbox back office's port). The back office's answers are
    kept in Redis when TEST_REDIS_URL (or BENCH_REDIS_URL) names one, else not kept."""
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        ports = {name: free_port() for name in ("backoffice", "identity", "notify", "pay")}
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, **local_environment(url, f"sqlite:///{folder}/portal.db", ports),
               "PORT": str(port)}
        if councils:
            env.update(_councils_file(env, Path(folder), councils))
        redis_url = os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL")
        if redis_url:
            env["RATELIMIT_STORAGE_URI"] = env["BACKOFFICE_CACHE_URL"] = redis_url
            env["RATELIMIT_KEY_PREFIX"] = f"bench-{uuid.uuid4().hex}"
        python = sys.executable
        subprocess.run([python, "-m", "flask", "--app", "portal", "db-upgrade"], env=env,
                       check=True, capture_output=True)
        logs = Path(folder) / "logs.txt"
        with logs.open("w") as out:
            processes = [subprocess.Popen(command, env=env, stdout=out, stderr=out) for command in (
                [python, "-m", "portal.sandboxes"],
                [python, "-m", "gunicorn", "--config", "python:portal.gunicorn_config",
                 "portal:create_app()"],
                [python, "-m", "flask", "--app", "portal", "outbox-worker"])]
        try:
            for address in (f"{url}/_status", f"http://127.0.0.1:{ports['identity']}/"
                            ".well-known/openid-configuration"):
                if not answers(address):
                    raise SystemExit(f"{address} did not answer:\n{logs.read_text()}")
            yield Stack(url, ports, logs, redis_url)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


def _councils_file(env: dict[str, str], folder: Path, others: tuple[str, ...]
                   ) -> dict[str, str]:
    """A COUNCILS_FILE serving Gwynedd (the settings' own back office and Pay) and the
    other councils, and the settings naming it and their secrets."""
    path = folder / "councils.toml"
    secrets = {"COUNCIL_CODE": "W06000002", "COUNCILS_FILE": str(path)}
    tables = []
    for number, code in enumerate(("W06000002", *others)):
        first = code == "W06000002"
        tables.append(council_table(
            code, env["BACKOFFICE_URL"] + ("" if first else f"/{code}"),
            f"01632 960 {700 + number}", "gofal@example.gov.wales", f"BENCH_{code}"))
        secrets.update({
            f"BENCH_{code}_BACKOFFICE_KEY": env["BACKOFFICE_API_KEY"] if first
            else f"bench-{code}",
            f"BENCH_{code}_PAY_KEY": env["PAY_API_KEY"] if first
            else f"api_test_bench{code.lower()}{'0' * 30}",
            f"BENCH_{code}_PAY_WEBHOOK_SECRET": f"{env['PAY_WEBHOOK_SECRET']}-{code}"})
    path.write_text("".join(tables), encoding="utf-8")
    return secrets


def load(url: str, cookies: dict[str, str], seconds: float, at_once: int
         ) -> tuple[float, float]:
    """Requests a second, and the median time of one, with `at_once` clients."""
    times: list[float] = []
    refused: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        session = requests.Session()
        session.cookies.update(cookies)
        mine = []
        while time.monotonic() < stop:
            started = time.perf_counter()
            answer = session.get(url, timeout=30)
            mine.append(time.perf_counter() - started)
            if answer.status_code != 200:
                refused.append(answer.status_code)
                return
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(at_once)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if refused:
        raise SystemExit(f"{url} answered {sorted(set(refused))}")
    return len(times) / (time.monotonic() - started), statistics.median(times) * 1000
