"""Lighthouse's mobile scores for each kind of page, signed out and signed in, under
gunicorn as configured (benchmarks/stack.py), with Debian's Chromium.

    PYTHONPATH=. .venv/bin/python benchmarks/lighthouse.py   (make bench)

Lighthouse itself is fetched by npx when this runs (it is no part of the portal's
build). Goals: performance at least 98, accessibility and best practice 100, SEO at
least 95, on every page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks import stack
from benchmarks.throughput import sign_in

LIGHTHOUSE = "lighthouse@12"
SIGNED_OUT = ["/", "/help", "/how-care-at-home-is-going",
              "/how-care-at-home-is-going/home-care-visits", "/what-will-i-pay",
              "/what-will-i-pay/questions", "/ask-for-care-and-support",
              "/ask-for-care-and-support/urgent",
              "/ask-for-care-and-support/someone-is-at-risk"]
SIGNED_IN = ["/your-care", "/your-care/plan", "/your-care/visits", "/your-requests",
             "/your-charges", "/your-charges/financial-assessment", "/messages",
             "/messages/conv-p-1001-morning", "/account",
             "/emergency-plans", "/support-for-carers/emergency-plans/new"]
GOALS = {"performance": 98, "accessibility": 100, "best-practices": 100, "seo": 95}


def scores(url: str, cookie: str | None) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--form-factor=mobile",
                   "--chrome-flags=--headless=new --no-sandbox", "--output=json",
                   f"--output-path={report}"]
        if cookie:
            command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
        subprocess.run(command, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
                       check=True, capture_output=True, timeout=300)
        found = json.loads(report.read_text())
    if found["finalDisplayedUrl"] != url:  # sent to sign in, say: not the page asked for
        raise SystemExit(f"{url} ended at {found['finalDisplayedUrl']}")
    categories = found["categories"]
    return {name: round(category["score"] * 100) for name, category in categories.items()}


def main() -> None:
    with stack.running() as running:
        cookies = sign_in(running.url, "Gwen Morgan", "C104233", ("14", "3", "1941"))
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        lowest = dict.fromkeys(GOALS, 100)
        print(f"{'page':<48}" + "".join(f"{name:>16}" for name in GOALS))
        for path, with_cookie in [*((p, None) for p in SIGNED_OUT),
                                  *((p, cookie) for p in SIGNED_IN)]:
            found = scores(running.url + path, with_cookie)
            lowest = {name: min(lowest[name], found.get(name, 0)) for name in GOALS}
            print(f"{path + (' (signed in)' if with_cookie else ''):<48}"
                  + "".join(f"{found.get(name, 0):>16}" for name in GOALS), flush=True)
        print("lowest: " + ", ".join(f"{name} {lowest[name]} (goal at least {goal})"
                                     for name, goal in GOALS.items()))


if __name__ == "__main__":
    sys.exit(main())
