"""What the sandbox Notify holds, as one typed object: its services (the national
one, and a council's own), each with what it has sent and its rate limit's bucket,
and the templates; and delivering a notification, with the receipt Notify sends the
service. Tests reach it as `state.of(app)`."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g

from portal import addresses
from portal.sandbox import callbacks
from portal.sandbox import faults as fault_injection
from portal.sandbox.notify.shapes import now

RATE_LIMIT = 3000
RATE_WINDOW_SECONDS = 60
# Notify's simulated recipients (docs: "Testing"): these fail, the rest are delivered.
PERMANENT_FAILURES = {"perm-fail@simulator.notify", "447700900002"}
TEMPORARY_FAILURES = {"temp-fail@simulator.notify", "447700900003"}


@dataclass(frozen=True)
class Template:
    id: str
    type: str  # email, sms or letter
    name: str
    body: str
    subject: str | None = None


@dataclass
class Service:
    service_id: str
    secret: str
    callback_url: str | None = None
    callback_token: str | None = None
    # Whether Notify lets the service text numbers outside the UK.
    international_sms: bool = True
    sent: list[dict[str, Any]] = field(default_factory=list)
    # Sends a minute, and as many at once (Notify's is 3,000; a drill may set fewer).
    rate_limit: int = RATE_LIMIT
    # The rate limit's token bucket: what is left, and when it was last topped up.
    tokens: float = RATE_LIMIT
    topped_up: float = field(default_factory=time.monotonic)
    clock: Callable[[], float] = time.monotonic
    refused_for_rate: int = 0  # 429s answered
    receipts: callbacks.Caller = field(
        default_factory=lambda: callbacks.Caller(callbacks.NOTIFY))

    def take_token(self, now: float) -> bool:
        """One send from the bucket, which refills at rate_limit a minute up to
        rate_limit."""
        self.tokens = min(self.rate_limit, self.tokens + (now - self.topped_up)
                          * self.rate_limit / RATE_WINDOW_SECONDS)
        self.topped_up = now
        if self.tokens < 1:
            self.refused_for_rate += 1
            return False
        self.tokens -= 1
        return True


@dataclass
class Notify:
    """Every service the sandbox answers, by its id, the first first; the templates."""

    services: dict[str, Service]
    templates: dict[str, Template]
    faults: fault_injection.Faults
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def first(self) -> Service:
        """The first service: the national one."""
        return next(iter(self.services.values()))


def of(app: Flask) -> Notify:
    """What this sandbox Notify app holds."""
    held: Notify = app.extensions["sandbox_notify"]
    return held


def current() -> Notify:
    """What the sandbox Notify answering this request holds."""
    return of(current_app)


def service() -> Service:
    """The service whose key signed this call."""
    found: Service = g.notify_service
    return found


def deliver(service: Service, notification: dict[str, Any], recipient: str) -> None:
    """Deliver it (or fail to, for a simulated failing recipient) and send the service
    Notify's receipt. A text abroad is only ever `sent`: no receipt comes back."""
    notification["sent_at"] = now()
    if recipient in PERMANENT_FAILURES:
        notification["status"] = "permanent-failure"
    elif recipient in TEMPORARY_FAILURES:
        notification["status"] = "temporary-failure"
    elif notification["type"] == "sms" and not recipient.startswith(addresses.UK_PREFIX):
        notification["status"] = "sent"
    else:
        notification["status"] = "delivered"
    notification["completed_at"] = None if notification["status"] == "sent" else now()
    if not service.callback_url:
        return
    receipt = {"id": notification["id"], "reference": notification["reference"],
               "to": notification["email_address"] or notification["phone_number"],
               "status": notification["status"], "created_at": notification["created_at"],
               "completed_at": notification["completed_at"],
               "sent_at": notification["sent_at"], "notification_type": notification["type"],
               "template_id": notification["template"]["id"],
               "template_version": notification["template"]["version"]}
    service.receipts.post(service.callback_url, json.dumps(receipt).encode(), {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {service.callback_token}"})


