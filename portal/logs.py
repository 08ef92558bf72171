"""Logging: JSON lines in production, one per request among them, each carrying
the request's id, which the back office is sent too (X-Request-Id), so one
person's request can be followed across both systems. Readable text in embedded
mode."""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_ID_HEADER = "X-Request-Id"
# An id from the proxy in front is kept when it looks like one; anything else is replaced.
_FROM_PROXY = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
# Attributes every LogRecord has; anything else passed in `extra` is logged as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def start_request(from_proxy: str | None) -> str:
    """This request's id: the proxy's, if it sent a sensible one, or a new one."""
    request_id = from_proxy if from_proxy and _FROM_PROXY.fullmatch(from_proxy) \
        else uuid.uuid4().hex
    _request_id.set(request_id)
    return request_id


def request_id() -> str | None:
    return _request_id.get()


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (current := request_id()) is not None:
            line["request_id"] = current
        line.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def configure(json_lines: bool) -> None:
    """Log INFO and above to stderr, as JSON lines or as text."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
