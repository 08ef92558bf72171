"""How the sandboxes call a service back, as the real services do: Notify's
delivery receipts and Pay's webhooks are POSTed, and tried again on the real
service's schedule when the service does not take them. Tests shorten the schedule
by a factor (`scale`) rather than wait days."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Schedule:
    """When to try again: seconds to wait before each retry, in turn; and whether an
    answer (its status, or None for none at all) is worth trying again."""

    delays: tuple[float, ...]
    retry: Callable[[int | None], bool]


def _pay_retries(status: int | None) -> bool:
    """Pay tries again after anything but a 2xx (pay-webhooks' SendAttempter)."""
    return status is None or not 200 <= status < 300


def _notify_retries(status: int | None) -> bool:
    """Notify tries again when no answer came, or a 5xx or 429; never after another 4xx
    (notifications-api's send-delivery-status task)."""
    return status is None or status >= 500 or status == 429


# Pay: a minute, five minutes, an hour, a day, two days, then it gives up.
PAY = Schedule((60, 300, 3600, 86400, 172800), _pay_retries)
# Notify: five more tries, five minutes apart.
NOTIFY = Schedule((300,) * 5, _notify_retries)


@dataclass
class Attempt:
    url: str
    status: int | None  # None: no answer


@dataclass
class Caller:
    """Calls back one service on one schedule; keeps every attempt, for tests to read."""

    schedule: Schedule
    scale: float = 1.0
    timeout: float = 5.0
    attempts: list[Attempt] = field(default_factory=list)

    def post(self, url: str, data: bytes, headers: dict[str, str]) -> None:
        """Send it in the background, trying again as the schedule says."""
        threading.Thread(target=self._deliver, args=(url, data, headers), daemon=True).start()

    def _deliver(self, url: str, data: bytes, headers: dict[str, str]) -> None:
        for delay in (0.0, *self.schedule.delays):
            time.sleep(delay * self.scale)
            try:
                status: int | None = requests.post(url, data=data, headers=headers,
                                                   timeout=self.timeout).status_code
            except requests.RequestException as error:
                log.debug("callback to %s not taken: %s", url, error)
                status = None
            self.attempts.append(Attempt(url, status))
            if not self.schedule.retry(status):
                return
        log.info("callback to %s given up after %d tries", url, len(self.schedule.delays) + 1)
