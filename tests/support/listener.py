"""A service's callback endpoint for the sandboxes to call, over real HTTP: it keeps
every request and answers each with the next status it is given (then 200)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, request

from portal.sandboxes import serve
from tests.conftest import free_port
from tests.support.waiting import until


@dataclass
class Listener:
    url: str
    answers: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def wait_for(self, count: int, seconds: float = 10) -> list[Any]:
        """The JSON bodies of the first `count` requests, once that many have come."""
        if not until(lambda: len(self.received) >= count, seconds):
            raise AssertionError(f"{len(self.received)} requests came, not {count}")
        return [json.loads(body) for _headers, body in self.received[:count]]


@contextmanager
def listening() -> Iterator[Listener]:
    port = free_port()
    listener = Listener(f"http://127.0.0.1:{port}/callback")
    lock = threading.Lock()
    app = Flask(__name__)

    @app.post("/callback")
    def callback() -> tuple[str, int]:
        with lock:
            listener.received.append((dict(request.headers), request.get_data()))
            status = listener.answers.pop(0) if listener.answers else 200
        return "", status

    server = serve(app, port, "listener")
    try:
        yield listener
    finally:
        server.shutdown()
