"""Fixtures the web tests share."""

from __future__ import annotations

from typing import Any

import pytest

from portal.sandbox.notify import state as notify_state


@pytest.fixture
def notify(running_sandboxes: Any) -> Any:
    """The sandbox Notify, with nothing sent yet as far as the test can see."""
    service = notify_state.of(running_sandboxes.servers["notify"].app).first
    service.sent.clear()
    return service
