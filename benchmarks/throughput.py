"""Pages a second under gunicorn, configured as the repository configures it
(portal/gunicorn_config.py), with the sandboxes as a process of their own.

    PYTHONPATH=. .venv/bin/python benchmarks/throughput.py [seconds] [at-once]   (make bench)

Gwen signs in; then `at-once` clients (default 32) ask for a page over and over
for `seconds` (default 10). Printed, side by side: the plan page's rate ÷ the
help page's (which reads nothing from the back office) with the back office
answering at once, warm cache (goal at least 0.7); and the plan page's rate and
p50 with the back office answering in 50 ms. The back office's answers are kept
in Redis when TEST_REDIS_URL (or BENCH_REDIS_URL) names one, else not kept.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from portal.sandbox.identity.identities import IDENTITIES
from portal.sandboxes import local_environment
from tests.conftest import free_port
from tests.support.waiting import answers


def sign_in(url: str, who: str, reference: str, birth: tuple[str, str, str]) -> dict[str, str]:
    """The cookies of a browser that signed in (and linked) through the sandbox provider.
    The portal marks its cookie Secure; like a browser on 127.0.0.1, this sends it anyway."""
    browser = requests.Session()

    def get(address: str, **options: object) -> requests.Response:
        answer = browser.get(address, allow_redirects=False, **options)  # type: ignore[arg-type]
        for cookie in browser.cookies:
            cookie.secure = False
        return answer

    authorize = get(f"{url}/sign-in").headers["Location"]
    query = {name: values[0] for name, values in parse_qs(urlsplit(authorize).query).items()}
    sub = next(i.sub for i in IDENTITIES if i.name == who)
    answer = requests.post(authorize.split("?")[0],
                           data={**query, "sub": sub}, allow_redirects=False, timeout=10)
    get(answer.headers["Location"])
    form = get(f"{url}/link-your-record").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    if token:
        browser.post(f"{url}/link-your-record", allow_redirects=False, data={
            "csrf_token": token[1], "council_reference": reference, "birth_date-day": birth[0],
            "birth_date-month": birth[1], "birth_date-year": birth[2]})
    cookies = browser.cookies.get_dict()
    check = get(f"{url}/your-care/plan")
    if check.status_code != 200:
        raise SystemExit(f"could not sign in: {check.status_code} {check.headers}")
    return cookies


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


def main(seconds: float, at_once: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        ports = {name: free_port() for name in ("backoffice", "identity", "notify", "pay")}
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, **local_environment(url, f"sqlite:///{folder}/portal.db", ports),
               "PORT": str(port)}
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
                 "portal:create_app()"])]
        try:
            for address in (f"{url}/_status", f"http://127.0.0.1:{ports['identity']}/"
                            ".well-known/openid-configuration"):
                if not answers(address):
                    raise SystemExit(f"{address} did not answer:\n{logs.read_text()}")
            cookies = sign_in(url, "Gwen Morgan", "C104233", ("14", "3", "1941"))
            faults = f"http://127.0.0.1:{ports['backoffice']}/_sandbox/faults"
            print(f"gunicorn as configured; {at_once} clients at once for {seconds:.0f} s each; "
                  f"back-office answers kept: {'in Redis' if redis_url else 'no'}")
            requests.get(f"{url}/your-care/plan", cookies=cookies, timeout=10)  # warm
            information, information_p50 = load(f"{url}/help", cookies, seconds, at_once)
            plan, plan_p50 = load(f"{url}/your-care/plan", cookies, seconds, at_once)
            print(f"back office at 0 ms:  help {information:.0f}/s (p50 {information_p50:.0f} ms)"
                  f", plan {plan:.0f}/s (p50 {plan_p50:.0f} ms); plan ÷ help = "
                  f"{plan / information:.2f} (goal at least 0.7)")
            requests.put(faults, json={"latency_seconds": 0.05}, timeout=5)
            slow, slow_p50 = load(f"{url}/your-care/plan", cookies, seconds, at_once)
            print(f"back office at 50 ms: plan {slow:.0f}/s, p50 {slow_p50:.0f} ms")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10, int(sys.argv[2]) if len(sys.argv) > 2
         else 32)
