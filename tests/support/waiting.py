"""Waiting for a process started by a test (or a benchmark) to answer over HTTP."""

from __future__ import annotations

import time

import requests


def answers(address: str, seconds: float = 60) -> bool:
    """Whether `address` answers 2xx within `seconds`, asking every fifth of a second."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(address, timeout=2).ok:
                return True
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    return False
