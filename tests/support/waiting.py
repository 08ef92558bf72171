"""Waiting for a process started by a test (or a benchmark) to answer over HTTP, or for
something to happen."""

from __future__ import annotations

import time
from collections.abc import Callable

import requests


def answers(address: str, seconds: float = 60) -> bool:
    """Whether `address` answers 2xx within `seconds`, asking every fifth of a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(address, timeout=2).ok:
                return True
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or still starting its workers (a busy machine)
        time.sleep(0.2)
    return False


def until(happened: Callable[[], bool], seconds: float = 10) -> bool:
    """Whether `happened` comes true within `seconds`, asking every fiftieth of a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if happened():
            return True
        time.sleep(0.02)
    return happened()
