"""Steps many tests take: sending a form with its token, choosing a review time,
and doing what the outbox worker does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.clock import utcnow
from portal.services import outbox, published
from portal.worker import senders
from tests.conftest import csrf_token, page_of

# Retry at once and take no lease, so one call sends everything that is due.
AT_ONCE = outbox.RetryPolicy(first_delay=timedelta(0), lease=timedelta(0))


def post(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    """Send the form on this page with its token."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def choose_first_time(client: FlaskClient, path: str = "/book-a-review/when",
                      day_offered: int = 0) -> str:
    """Choose the first day offered (or another: -1 for the last), then its first time;
    returns the slot's id."""
    day = page_of(client.get(path)).find_all("input", {"name": "day"})[day_offered]["value"]
    to_times = post(client, path, {"day": day})
    assert to_times.status_code == 302, to_times.text
    times = to_times.headers["Location"]
    slot = str(page_of(client.get(times)).find("input", {"name": "slot"})["value"])
    answer = post(client, times, {"slot": slot})
    assert answer.status_code == 302, answer.text
    return slot


def publish(app: Flask) -> bool:
    """What a worker does once a minute: work the public figures out again."""
    deps = app.extensions["portal"]
    return published.refresh(deps.store, deps.backoffice, published.areas_of(deps.councils),
                             utcnow(), fresh=timedelta(0))


def deliver(app: Flask) -> None:
    """What the outbox worker does: every due message and back-office write, until none."""
    deps = app.extensions["portal"]
    for _ in range(5):
        if not outbox.deliver_due(deps.store, senders(deps), policy=AT_ONCE).sent:
            return
