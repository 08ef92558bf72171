"""Run a module (`python -m portal.embedded` unless another is named, with its
arguments) with its clock set to the instant in PORTAL_TEST_INSTANT (ISO 8601),
ticking on from there, so browser journeys run at a chosen moment like every
other test. Processes the module forks (gunicorn's workers) keep the clock.
Processes started one after another share one clock when PORTAL_TEST_ANCHOR
gives time.monotonic() (one count for the whole machine, never the time of day,
and untouched by time-machine) at the moment the instant stands for: each process
then starts that much later than the instant, as if all had started together.

    python -m tests.support.run_at                        # the embedded stack
    python tests/support/run_at.py gunicorn --config ...  # any module, as `python -m`

It imports nothing of the portal's itself, so run as a file it uses whichever
portal the Python running it has installed."""

from __future__ import annotations

import os
import runpy
import sys
import time
from datetime import datetime, timedelta

import time_machine

if __name__ == "__main__":
    module, *arguments = sys.argv[1:] or ["portal.embedded"]
    sys.argv = [module, *arguments]
    instant = datetime.fromisoformat(os.environ["PORTAL_TEST_INSTANT"])
    if os.environ.get("PORTAL_TEST_ANCHOR"):
        instant += timedelta(seconds=time.monotonic() - float(os.environ["PORTAL_TEST_ANCHOR"]))
    with time_machine.travel(instant, tick=True):
        runpy.run_module(module, run_name="__main__", alter_sys=True)
