"""Fault injection shared by every sandbox: added latency and forced failures,
set at start-up or over HTTP at /_sandbox/faults, for drills and tests; and a
sandbox's own faults answered as the real service answers its own, in its error
shape, never as an HTML stack trace."""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, Flask, Response, g, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


@dataclass
class Faults:
    latency_seconds: float = 0.0
    fail_status: int | None = None
    # How many requests still fail; None means every request until cleared.
    fail_remaining: int | None = None

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        # When each recent request came and was answered (monotonic seconds), and its path.
        self.answered: deque[tuple[float, float, str]] = deque(maxlen=10_000)

    def rounds_since(self, since: float) -> list[list[str]]:
        """The requests answered that came after `since` (time.monotonic()), in rounds:
        requests that overlapped in time are one round, as a caller waits for the
        slowest of those it made at once and for the sum of those it made in turn."""
        with self._lock:
            seen = sorted(c for c in self.answered if c[0] >= since)
        rounds: list[list[str]] = []
        until = -1.0
        for came, went, path in seen:
            if came > until:
                rounds.append([])
            rounds[-1].append(path)
            until = max(until, went)
        return rounds

    def apply(self) -> int | None:
        """Sleep for the latency; return a status to fail with, or None."""
        if self.latency_seconds:
            time.sleep(self.latency_seconds)
        with self._lock:
            if self.fail_status is None:
                return None
            if self.fail_remaining is not None:
                if self.fail_remaining <= 0:
                    self.fail_status = None
                    return None
                self.fail_remaining -= 1
            return self.fail_status

    def set(self, latency_seconds: float = 0.0, fail_status: int | None = None,
            fail_count: int | None = None) -> None:
        with self._lock:
            self.latency_seconds = latency_seconds
            self.fail_status = fail_status
            self.fail_remaining = fail_count


def install(app: Flask, faults: Faults, failure: Callable[[int], Response]) -> None:
    """Add the control endpoint and apply the faults before every other request;
    failure(status) makes the failing response in the service's own error shape."""
    control = Blueprint("sandbox_faults", __name__)

    @control.route("/_sandbox/faults", methods=["GET", "PUT", "DELETE"])
    def faults_endpoint() -> Response:
        if request.method == "PUT":
            body = request.get_json(force=True)
            faults.set(
                latency_seconds=float(body.get("latency_seconds", 0)),
                fail_status=body.get("fail_status"),
                fail_count=body.get("fail_count"),
            )
        elif request.method == "DELETE":
            faults.set()
        return jsonify(latency_seconds=faults.latency_seconds, fail_status=faults.fail_status,
                       fail_remaining=faults.fail_remaining)

    app.register_blueprint(control)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> HTTPException | Response:
        if isinstance(error, HTTPException):
            return error
        log.exception("sandbox %s failed", app.name)
        return failure(500)

    @app.teardown_request
    def _answered(_error: BaseException | None) -> None:
        if "came" in g:
            with faults._lock:
                faults.answered.append((g.came, time.monotonic(), request.path))

    @app.before_request
    def _inject() -> Response | None:
        if request.path.startswith("/_sandbox/"):
            return None
        g.came = time.monotonic()
        status = faults.apply()
        if status is None:
            return None
        return failure(status)
