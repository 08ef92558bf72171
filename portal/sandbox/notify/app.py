"""Sandbox GOV.UK Notify: the v2 API's send, read and template endpoints, its
errors, its JWT checks (with the client library's own functions, as Notify's API
uses them), its 3,000-a-minute rate limit per key, and delivery-receipt
callbacks. Simulated addresses fail as Notify's do."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import requests
from flask import Flask, Response, jsonify, request
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

from portal.clock import utcnow
from portal.sandbox import faults as fault_injection

log = logging.getLogger(__name__)
RATE_LIMIT = 3000
RATE_WINDOW_SECONDS = 60
PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")
# Notify's simulated recipients that fail permanently.
PERMANENT_FAILURES = {"perm-fail@simulator.notify", "07700900002", "+447700900002"}


@dataclass(frozen=True)
class Template:
    id: str
    type: str  # email or sms
    name: str
    body: str
    subject: str | None = None


@dataclass
class Service:
    service_id: str
    secret: str
    callback_url: str | None = None
    callback_token: str | None = None
    sent: list[dict[str, Any]] = field(default_factory=list)
    calls: deque[float] = field(default_factory=deque)


def _shown(value: Any) -> str:
    """A value as Notify's validation messages quote it (JSON schema's repr)."""
    return repr(value)[:100]


def _error(status: int, kind: str, message: str) -> Response:
    response = jsonify({"errors": [{"error": kind, "message": message}], "status_code": status})
    response.status_code = status
    return response


def create_app(service: Service, templates: list[Template],
               faults: fault_injection.Faults | None = None) -> Flask:
    app = Flask(__name__)
    by_id = {t.id: t for t in templates}
    lock = threading.Lock()
    app.extensions["sandbox_faults"] = faults or fault_injection.Faults()
    app.extensions["sandbox_notify"] = service
    fault_injection.install(app, app.extensions["sandbox_faults"],
                            lambda status: _error(status, "Exception", "Internal server error"))

    @app.before_request
    def authenticate() -> Response | None:
        if request.path.startswith("/_sandbox/"):
            return None
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return _error(401, "AuthError",
                          "Unauthorized: authentication token must be provided")
        token = header.removeprefix("Bearer ")
        try:
            if get_token_issuer(token) != service.service_id:
                return _error(403, "AuthError", "Invalid token: service not found")
            decode_jwt_token(token, service.secret)
        except TokenError as error:
            return _error(403, "AuthError", error.message)
        # Like Notify (notifications-api's check_service_over_api_rate_limit, called when a
        # notification is posted), only sends count towards the limit: reads never do.
        if not (request.method == "POST" and request.path.startswith("/v2/notifications/")):
            return None
        now = time.monotonic()
        with lock:
            while service.calls and service.calls[0] <= now - RATE_WINDOW_SECONDS:
                service.calls.popleft()
            if len(service.calls) >= RATE_LIMIT:
                return _error(429, "RateLimitError", f"Exceeded rate limit for key type LIVE "
                              f"of {RATE_LIMIT} requests per {RATE_WINDOW_SECONDS} seconds")
            service.calls.append(now)
        return None

    def send(kind: str, recipient_field: str) -> Response:
        body = request.get_json(silent=True)
        if body is None:
            return _error(400, "BadRequestError", "Invalid JSON supplied in POST data")
        if not isinstance(body, dict):
            return _error(400, "ValidationError", f"{_shown(body)} is not of type object")
        values = body.get("personalisation") or {}
        if not isinstance(values, dict):
            return _error(400, "ValidationError",
                          f"personalisation {_shown(values)} is not of type object")
        template = by_id.get(str(body.get("template_id")))
        if template is None or template.type != kind:
            return _error(400, "BadRequestError", "Template not found")
        recipient = str(body.get(recipient_field) or "").strip()
        if not recipient:
            return _error(400, "ValidationError", f"{recipient_field} is a required property")
        missing = [p for p in PLACEHOLDER.findall(template.body + (template.subject or ""))
                   if p not in values]
        if missing:
            return _error(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        filled = PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template.body)
        subject = PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template.subject or "")
        notification = {
            "id": str(uuid.uuid4()), "reference": body.get("reference"),
            "email_address": recipient if kind == "email" else None,
            "phone_number": recipient if kind == "sms" else None,
            "type": kind, "status": "created", "body": filled,
            "subject": subject if kind == "email" else None,
            "template": {"id": template.id, "version": 1,
                         "uri": f"{request.host_url}v2/template/{template.id}"},
            "created_at": _now(), "sent_at": None, "completed_at": None,
        }
        with lock:
            service.sent.append(notification)
        threading.Thread(target=_deliver, args=(service, notification, recipient),
                         daemon=True).start()
        content = {"body": filled, "subject": subject, "from_email": "gofal@notify.example"} \
            if kind == "email" else {"body": filled, "from_number": "GOFAL"}
        response = jsonify({"id": notification["id"], "reference": notification["reference"],
                            "content": content, "template": notification["template"],
                            "uri": f"{request.host_url}v2/notifications/{notification['id']}",
                            "scheduled_for": None})
        response.status_code = 201
        return response

    @app.post("/v2/notifications/email")
    def send_email() -> Response:
        return send("email", "email_address")

    @app.post("/v2/notifications/sms")
    def send_sms() -> Response:
        return send("sms", "phone_number")

    @app.get("/v2/notifications/<notification_id>")
    def get_notification(notification_id: str) -> Response:
        for notification in service.sent:
            if notification["id"] == notification_id:
                return jsonify(notification)
        return _error(404, "NoResultFound", "No result found")

    @app.get("/v2/notifications")
    def list_notifications() -> Response:
        found = [n for n in reversed(service.sent)
                 if request.args.get("reference") in (None, n["reference"])
                 and request.args.get("template_type") in (None, n["type"])
                 and request.args.get("status") in (None, n["status"])]
        return jsonify({"notifications": found,
                        "links": {"current": f"{request.host_url}v2/notifications"}})

    @app.get("/v2/template/<template_id>")
    def get_template(template_id: str) -> Response:
        template = by_id.get(template_id)
        if template is None:
            return _error(404, "NoResultFound", "No result found")
        return jsonify(_template_json(template))

    @app.get("/v2/templates")
    def list_templates() -> Response:
        kind = request.args.get("type")
        return jsonify({"templates": [_template_json(t) for t in templates
                                      if kind in (None, t.type)]})

    @app.get("/_sandbox/notifications")
    def everything_sent() -> Response:
        return jsonify(service.sent)

    return app


def _deliver(service: Service, notification: dict[str, Any], recipient: str) -> None:
    """Mark it delivered (or failed, for a simulated failing recipient) and tell the
    service's callback, as Notify does."""
    notification["sent_at"] = _now()
    notification["status"] = "permanent-failure" if recipient.replace(" ", "") in \
        PERMANENT_FAILURES else "delivered"
    notification["completed_at"] = _now()
    if not service.callback_url:
        return
    receipt = {"id": notification["id"], "reference": notification["reference"],
               "to": recipient, "status": notification["status"],
               "created_at": notification["created_at"],
               "completed_at": notification["completed_at"],
               "sent_at": notification["sent_at"], "notification_type": notification["type"]}
    try:
        requests.post(service.callback_url, json=receipt, timeout=5,
                      headers={"Authorization": f"Bearer {service.callback_token}"})
    except requests.RequestException as error:
        log.info("delivery receipt for %s not delivered: %s", notification["id"], error)


def _template_json(template: Template) -> dict[str, Any]:
    return {"id": template.id, "type": template.type, "name": template.name,
            "body": template.body, "subject": template.subject, "version": 1,
            "created_at": "2026-11-01T09:00:00.000000Z", "updated_at": None,
            "created_by": "care-portal@example.gov.wales", "letter_contact_block": None}


def _now() -> str:
    return utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
