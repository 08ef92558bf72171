"""The public data page and its open data when many people open them at once, under
gunicorn as configured, with the sandboxes as a process of their own.

    PYTHONPATH=. .venv/bin/python benchmarks/public_data.py [seconds] [at-once]   (make bench)

`at-once` clients (default 32), signed out, ask over and over for `seconds` each
(default 10). Printed, side by side: the data page's rate ÷ the help page's (a page
that reads nothing; goal at least 0.5) and one dataset as JSON ÷ the help page
(goal at least 1.0, as it is kept ready), with the back offices answering in 50 ms;
the data page for all three councils served together ÷ the page for one of them
(both from the figures the worker keeps: goal about 1);
the data page's time for one reader at a time ÷ that latency (goal at most 1.2: the worker works the
figures out, never a reader's request); and how many times the figures were worked
out in all (goal: at most once for each minute the run took, whatever the number of
requests and processes).
"""

from __future__ import annotations

import math
import statistics
import sys
import time

import requests

from benchmarks import stack
from benchmarks.stack import load

# The portal serves the three councils embedded mode does: the page shows all of them
# together unless one is chosen.
OTHERS = ("W06000008", "W06000024")


def main(seconds: float, at_once: int) -> None:
    with stack.running(councils=OTHERS) as running:
        url = running.url
        for council in ("", *(f"/{code}" for code in OTHERS)):
            requests.put(f"http://127.0.0.1:{running.ports['backoffice']}{council}"
                         "/_sandbox/faults", json={"latency_seconds": 0.05}, timeout=5)
        # The worker works the figures out as it starts; readers never do.
        waited = time.monotonic()
        while requests.get(f"{url}/data/v1/home-care-visits.json", timeout=5).status_code \
                != 200 and time.monotonic() - waited < 60:
            time.sleep(0.5)
        began = time.monotonic()
        print(f"gunicorn as configured; {at_once} clients at once for {seconds:.0f} s each")
        help_rate, help_p50 = load(f"{url}/help", {}, seconds, at_once)
        page_rate, page_p50 = load(f"{url}/how-care-at-home-is-going", {}, seconds, at_once)
        one_rate, one_p50 = load(f"{url}/how-care-at-home-is-going?area=W06000008", {},
                                 seconds, at_once)
        json_rate, json_p50 = load(f"{url}/data/v1/home-care-visits.json", {}, seconds, at_once)
        minutes = math.ceil((time.monotonic() - began) / 60)
        worked_out = running.logs.read_text().count("GET /v1/statistics/care-at-home")
        print(f"help {help_rate:.0f}/s (p50 {help_p50:.0f} ms), data page {page_rate:.0f}/s "
              f"(p50 {page_p50:.0f} ms), JSON {json_rate:.0f}/s (p50 {json_p50:.0f} ms)")
        print(f"data page for one council {one_rate:.0f}/s (p50 {one_p50:.0f} ms); "
              f"all councils together ÷ one council = {page_rate / one_rate:.2f} "
              "(goal about 1: both served from the figures the worker keeps)")
        print(f"data page ÷ help = {page_rate / help_rate:.2f} (goal at least 0.5); "
              f"JSON ÷ help = {json_rate / help_rate:.2f} (goal at least 1.0)")
        alone = []
        for _ in range(10):  # one reader at a time, the figures as the worker left them
            started = time.perf_counter()
            requests.get(f"{url}/how-care-at-home-is-going", timeout=30)
            alone.append(time.perf_counter() - started)
        print(f"data page, one reader ÷ back-office latency = "
              f"{statistics.median(alone) / 0.05:.2f} (goal at most 1.2: a reader never "
              "waits on the back office)")
        print(f"figures worked out {worked_out} times in {minutes} started minutes "
              f"(goal at most {minutes})")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10, int(sys.argv[2]) if len(sys.argv) > 2
         else 32)
