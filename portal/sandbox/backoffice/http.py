"""How the sandbox back office reads requests and answers with problems, as the
contract says: JSON bodies, RFC 9457 problems, date ranges, and POSTs answered once
for each Idempotency-Key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from flask import Response, jsonify, request

from portal.sandbox.backoffice import state

PROBLEM = "application/problem+json"
INVALID = "urn:care-record:invalid-request"


class NotAnObject(Exception):
    """A request body that is not the JSON object every POST of the contract takes."""


class UnknownProperties(Exception):
    """A body with properties its schema does not allow (`additionalProperties: false`)."""


def json_body(closed_to: frozenset[str] | None = None) -> dict[str, Any]:
    """The request's JSON object; with `closed_to`, one holding no other properties."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise NotAnObject()
    if closed_to is not None and set(body) - closed_to:
        raise UnknownProperties(", ".join(sorted(set(body) - closed_to)))
    return body


def problem(status: int, title: str, type_: str = "about:blank", detail: str | None = None
            ) -> Response:
    body: dict[str, Any] = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.content_type = PROBLEM
    return response


def not_the_contract(detail: str, title: str = "The request does not match the contract"
                     ) -> Response:
    return problem(400, title, INVALID, detail)


def created(body: dict[str, Any]) -> Response:
    response = jsonify(body)
    response.status_code = 201
    return response


def date_range(longest: int | None = None) -> tuple[date, date] | Response:
    """The query's from and to dates, or the problem with them: they must run
    forwards, and span no more than `longest` days where the contract says so."""
    try:
        start = date.fromisoformat(request.args["from"])
        end = date.fromisoformat(request.args["to"])
    except (KeyError, ValueError):
        return problem(400, "from and to must be dates (YYYY-MM-DD)")
    if end < start:
        return problem(400, "The range must run forwards")
    if longest is not None and (end - start).days > longest:
        return problem(400, f"The range must span at most {longest} days")
    return start, end


def feed_window() -> tuple[int, int] | Response:
    """A feed's query: where to carry on from (`after`, a `next` given before; the
    start without it) and how many at most, or the problem with them."""
    after, limit = request.args.get("after", "0"), request.args.get("limit", "100")
    if not (after.isascii() and after.isdigit() and limit.isascii() and limit.isdigit()
            and len(after) <= 40 and 1 <= int(limit) <= 500):
        return problem(400, "after and limit must be whole numbers", INVALID)
    return int(after), int(limit)


def replayed(change: Callable[..., Response]) -> Callable[..., Response]:
    """Answer a repeated Idempotency-Key with the first answer, without acting again."""
    @wraps(change)
    def once(*args: Any, **kwargs: Any) -> Response:
        held = state.current()
        key = (request.method, request.path, request.headers["Idempotency-Key"])
        with held.lock:
            if key not in held.replies:
                answer = change(*args, **kwargs)
                if answer.status_code < 500:
                    held.replies[key] = (answer.status_code, answer.get_json())
                return answer
            status, body = held.replies[key]
        response = jsonify(body)
        response.status_code = status
        if status >= 400:
            response.content_type = PROBLEM
        return response
    return once
