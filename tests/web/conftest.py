"""Fixtures the web tests share."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def notify(running_sandboxes: Any) -> Any:
    """The sandbox Notify, with nothing sent yet as far as the test can see."""
    service = running_sandboxes.servers["notify"].app.extensions["sandbox_notify"]
    service.sent.clear()
    return service
