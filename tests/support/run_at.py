"""Run the embedded stack (`python -m portal.embedded`) with its clock set to the
instant in PORTAL_TEST_INSTANT (ISO 8601), ticking on from there, so browser
journeys run at a chosen moment like every other test."""

from __future__ import annotations

import os
import runpy
from datetime import datetime

import time_machine

if __name__ == "__main__":
    with time_machine.travel(datetime.fromisoformat(os.environ["PORTAL_TEST_INSTANT"]),
                             tick=True):
        runpy.run_module("portal.embedded", run_name="__main__", alter_sys=True)
