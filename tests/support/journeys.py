"""Steps many tests take: sending a form with its token, and doing what the outbox
worker does."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from portal.services import outbox
from portal.worker import senders
from tests.conftest import csrf_token

# Retry at once and take no lease, so one call sends everything that is due.
AT_ONCE = outbox.RetryPolicy(first_delay=timedelta(0), lease=timedelta(0))


def post(client: FlaskClient, path: str, data: dict[str, Any]) -> Any:
    """Send the form on this page with its token."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def deliver(app: Flask) -> None:
    """What the outbox worker does: every due message and back-office write, until none."""
    deps = app.extensions["portal"]
    for _ in range(5):
        if not outbox.deliver_due(deps.store, senders(deps), policy=AT_ONCE).sent:
            return
