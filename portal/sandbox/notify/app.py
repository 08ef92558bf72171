"""Sandbox GOV.UK Notify: the v2 API's send, read and template endpoints with
Notify's validation and error messages, its JWT checks (with the client library's
own functions, as Notify's API uses them), its rate limit of 3,000 sends a minute
per key as a token bucket, and delivery receipts sent to the service's callback and
tried again as Notify does. Simulated recipients fail as Notify's do."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, g, jsonify, request
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import (
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
)

from portal import addresses
from portal.clock import utcnow
from portal.sandbox import callbacks
from portal.sandbox import faults as fault_injection

log = logging.getLogger(__name__)
RATE_LIMIT = 3000
RATE_WINDOW_SECONDS = 60
PAGE_SIZE = 250  # notifications a list answer holds, as Notify's
LONGEST_REFERENCE = 1000
PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")
POSTAGE = ("first", "second", "economy", "europe", "rest-of-world")
# What Notify refuses at the start of an address line.
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# Notify's simulated recipients (docs: "Testing"): these fail, the rest are delivered.
PERMANENT_FAILURES = {"perm-fail@simulator.notify", "447700900002"}
TEMPORARY_FAILURES = {"temp-fail@simulator.notify", "447700900003"}
# The fields a send may carry (Notify's post_email_request / post_sms_request schemas).
ALLOWED = {"email": {"email_address", "template_id", "personalisation", "reference",
                     "email_reply_to_id", "one_click_unsubscribe_url", "scheduled_for"},
           "sms": {"phone_number", "template_id", "personalisation", "reference",
                   "sms_sender_id", "scheduled_for"},
           "letter": {"template_id", "personalisation", "reference"}}


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


def _shown(value: Any) -> str:
    """A value as Notify's validation messages quote it (JSON schema's repr)."""
    return repr(value)[:100]


def _error(status: int, kind: str, message: str) -> Response:
    response = jsonify({"errors": [{"error": kind, "message": message}], "status_code": status})
    response.status_code = status
    return response


def _refused(*messages: str) -> Response:
    """Notify's 400 for a request its schema refuses, one error a problem."""
    response = jsonify({"errors": [{"error": "ValidationError", "message": m} for m in messages],
                        "status_code": 400})
    response.status_code = 400
    return response


def create_app(service: Service, templates: list[Template],
               faults: fault_injection.Faults | None = None,
               others: tuple[Service, ...] = ()) -> Flask:
    """Notify, for `service` and any `others` (a council's own service, say): each call
    is answered as the service whose key signed it, with what that service has sent."""
    app = Flask(__name__)
    by_id = {t.id: t for t in templates}
    lock = threading.Lock()
    services = {s.service_id: s for s in (service, *others)}
    app.extensions["sandbox_faults"] = faults or fault_injection.Faults()
    app.extensions["sandbox_notify"] = service
    app.extensions["sandbox_notify_services"] = services

    def this() -> Service:
        """The service whose key signed this call."""
        found: Service = g.notify_service
        return found
    fault_injection.install(app, app.extensions["sandbox_faults"],
                            lambda status: _error(status, "Exception", "Internal server error"))

    @app.before_request
    def authenticate() -> Response | None:
        """As notifications-api's requires_auth, with its messages."""
        if request.path.startswith("/_sandbox/"):
            return None
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return _error(401, "AuthError",
                          "Unauthorized: authentication token must be provided")
        token = header.removeprefix("Bearer ")
        try:
            issuer = get_token_issuer(token)
        except TokenError:
            return _error(403, "AuthError", "Invalid token: iss field not provided")
        if issuer not in services:
            return _error(403, "AuthError", "Invalid token: service not found")
        g.notify_service = service = services[issuer]
        try:
            decode_jwt_token(token, service.secret)
        except TokenExpiredError:
            return _error(403, "AuthError",
                          "Error: Your system clock must be accurate to within 30 seconds")
        except TokenAlgorithmError:
            return _error(403, "AuthError", "Invalid token: algorithm used is not HS256")
        except TokenDecodeError:  # not signed with the service's key
            return _error(403, "AuthError", "Invalid token: API key not found")
        except TokenError:
            return _error(403, "AuthError", "Invalid token: make sure your API token matches "
                          "the example at https://docs.notifications.service.gov.uk/"
                          "rest-api.html#authorisation-header")
        # Like Notify (check_service_over_api_rate_limit, called when a notification is
        # posted), only sends take from the bucket: reads never do.
        if request.method == "POST" and request.path.startswith("/v2/notifications/"):
            with lock:
                if not service.take_token(service.clock()):
                    return _error(429, "RateLimitError",
                                  f"Exceeded rate limit for key type LIVE of "
                                  f"{service.rate_limit} "
                                  f"requests per {RATE_WINDOW_SECONDS} seconds")
        return None

    def fill(template_id: str, kind: str, values: dict[str, Any]
             ) -> tuple[Template, str, str] | Response:
        """The template of this kind with its placeholders filled: body and subject."""
        template = by_id.get(template_id)
        if template is None or template.type != kind:
            return _error(400, "BadRequestError", "Template not found")
        needed = dict.fromkeys(PLACEHOLDER.findall((template.subject or "") + template.body))
        missing = [name for name in needed if name not in values]
        if missing:
            return _error(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
        return (template, PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template.body),
                PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template.subject or ""))

    def send(kind: str, recipient_field: str) -> Response:
        body = _json_object()
        if isinstance(body, Response):
            return body
        problems = _schema_problems(kind, (recipient_field, "template_id"), body)
        if problems:
            return _refused(*problems)
        values = body.get("personalisation") or {}
        try:
            recipient = addresses.email_address(body[recipient_field]) if kind == "email" \
                else addresses.phone_number(body[recipient_field], this().international_sms)
        except addresses.InvalidAddress as invalid:
            return _refused(f"{recipient_field} {invalid.message}")
        made = fill(body["template_id"], kind, values)
        if isinstance(made, Response):
            return made
        template, filled, subject = made
        notification = {
            "id": str(uuid.uuid4()), "reference": body.get("reference"),
            "email_address": body[recipient_field] if kind == "email" else None,
            "phone_number": body[recipient_field] if kind == "sms" else None,
            "line_1": None, "line_2": None, "line_3": None, "line_4": None, "line_5": None,
            "line_6": None, "postcode": None, "postage": None,
            "type": kind, "status": "created", "body": filled,
            "subject": subject if kind == "email" else None,
            "template": {"id": template.id, "version": 1,
                         "uri": f"{request.host_url}v2/template/{template.id}"},
            "created_at": _now(), "created_by_name": None, "sent_at": None,
            "completed_at": None, "scheduled_for": None,
            "one_click_unsubscribe_url": body.get("one_click_unsubscribe_url"),
        }
        with lock:
            this().sent.append(notification)
        threading.Thread(target=_deliver, args=(this(), notification, recipient),
                         daemon=True).start()
        content = {"body": filled, "subject": subject, "from_email": "gofal@notify.example",
                   "one_click_unsubscribe_url": body.get("one_click_unsubscribe_url")} \
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

    @app.post("/v2/notifications/letter")
    def send_letter() -> Response:
        """A letter from a template (its address in the personalisation), or a
        precompiled one (a PDF in `content`), with Notify's address rules."""
        body = _json_object()
        if isinstance(body, Response):
            return body
        if "content" in body:
            return _precompiled(body)
        problems = _letter_problems(body)
        if problems:
            return _refused(*problems)
        values = body["personalisation"]
        made = fill(body["template_id"], "letter", values)
        if isinstance(made, Response):
            return made
        template, filled, subject = made
        lines = _address(values)
        notification = _letter(body.get("reference"), lines, filled, subject, {
            "id": template.id, "version": 1, "uri": f"{request.host_url}v2/template/{template.id}"})
        with lock:
            this().sent.append(notification)
        response = jsonify({"id": notification["id"], "reference": notification["reference"],
                            "content": {"body": filled, "subject": subject},
                            "template": notification["template"],
                            "uri": f"{request.host_url}v2/notifications/{notification['id']}",
                            "scheduled_for": None})
        response.status_code = 201
        return response

    def _precompiled(body: dict[str, Any]) -> Response:
        problems = [f"{name} is a required property" for name in ("reference", "content")
                    if not body.get(name)]
        postage = body.get("postage", "second")
        if postage not in POSTAGE:
            problems.append(f"postage invalid. It must be {', '.join(POSTAGE)}.")
        if problems:
            return _refused(*problems)
        try:
            content = base64.b64decode(body["content"], validate=True)
        except (binascii.Error, TypeError, ValueError):
            return _refused("Incorrect padding")  # as Notify's base64 decoding says
        if not content.startswith(b"%PDF-"):
            return _refused("Letter content is not a valid PDF")
        notification = _letter(body["reference"], [], "", "Pre-compiled PDF", None)
        notification["postage"] = postage
        with lock:
            this().sent.append(notification)
        response = jsonify({"id": notification["id"], "reference": notification["reference"],
                            "postage": postage})
        response.status_code = 201
        return response

    @app.get("/v2/notifications/<notification_id>")
    def get_notification(notification_id: str) -> Response:
        if not UUID.match(notification_id):
            return _refused("notification_id is not a valid UUID")
        for notification in this().sent:
            if notification["id"] == notification_id:
                return jsonify(_shown_notification(notification))
        return _error(404, "NoResultFound", "No result found")

    @app.get("/v2/notifications")
    def list_notifications() -> Response:
        """Newest first, a page at a time; `older_than` (an id) gives the next page. As
        Notify's, any page with notifications on it links to the next, which may be empty."""
        status, kind = request.args.get("status"), request.args.get("template_type")
        if kind not in (None, "email", "sms", "letter"):
            return _refused(f"template_type {kind} is not one of [sms, email, letter]")
        with lock:
            found = [n for n in reversed(this().sent)
                     if request.args.get("reference") in (None, n["reference"])
                     and kind in (None, n["type"]) and status in (None, n["status"])]
        older_than = request.args.get("older_than")
        if older_than is not None:
            ids = [n["id"] for n in found]
            found = found[ids.index(older_than) + 1:] if older_than in ids else []
        page = found[:PAGE_SIZE]
        query = "&".join(f"{k}={v}" for k, v in request.args.items() if k != "older_than")
        base = f"{request.host_url}v2/notifications?{query}{'&' if query else ''}"
        links = {"current": request.url}
        if page:
            links["next"] = f"{base}older_than={page[-1]['id']}"
        return jsonify({"notifications": [_shown_notification(n) for n in page],
                        "links": links})

    @app.get("/v2/template/<template_id>")
    def get_template(template_id: str) -> Response:
        if not UUID.match(template_id):
            return _refused("template_id is not a valid UUID")
        template = by_id.get(template_id)
        if template is None:
            return _error(404, "NoResultFound", "No result found")
        return jsonify(_template_json(template))

    @app.get("/v2/templates")
    def list_templates() -> Response:
        kind = request.args.get("type")
        if kind not in (None, "email", "sms", "letter"):
            return _refused(f"type {kind} is not one of [sms, email, letter]")
        return jsonify({"templates": [_template_json(t) for t in templates
                                      if kind in (None, t.type)]})

    @app.get("/_sandbox/notifications")
    def everything_sent() -> Response:
        """What every service has sent, oldest first."""
        return jsonify(sorted((n for s in services.values() for n in s.sent),
                              key=lambda n: n["created_at"]))

    return app


def _json_object() -> dict[str, Any] | Response:
    """The request's JSON object, or Notify's answer to a body that is not one."""
    try:
        body = json.loads(request.get_data())
    except ValueError:
        return _error(400, "BadRequestError", "Invalid JSON supplied in POST data")
    if not isinstance(body, dict):
        return _refused(f"{_shown(body)} is not of type object")
    return body


def _schema_problems(kind: str, required: tuple[str, ...], body: dict[str, Any]) -> list[str]:
    """What Notify's JSON schema for a send of this kind says of the body, in its words.
    A letter's personalisation (its address) is required, and must be an object."""
    problems = [f"{name} is a required property" for name in required if name not in body]
    unexpected = sorted(set(body) - ALLOWED[kind])
    if unexpected:
        names = ", ".join(repr(u) for u in unexpected)
        problems.append(f"Additional properties are not allowed ({names} "
                        f"{'was' if len(unexpected) == 1 else 'were'} unexpected)")
    if "template_id" in body and not (isinstance(body["template_id"], str)
                                      and UUID.match(body["template_id"])):
        problems.append("template_id is not a valid UUID")
    for recipient_field in ("email_address", "phone_number"):
        if recipient_field in required and recipient_field in body and not isinstance(
                body[recipient_field], str):
            problems.append(f"{recipient_field} {_shown(body[recipient_field])} "
                            f"is not of type string")
    kinds = dict if "personalisation" in required else dict | None
    if "personalisation" in body and not isinstance(body["personalisation"], kinds):
        problems.append(f"personalisation {_shown(body['personalisation'])} "
                        f"is not of type object")
    reference = body.get("reference")
    if reference is not None and not isinstance(reference, str):
        problems.append(f"reference {_shown(reference)} is not of type string")
    elif reference is not None and len(reference) > LONGEST_REFERENCE:
        problems.append(f"reference {_shown(reference)} is too long")
    url = body.get("one_click_unsubscribe_url")
    if url is not None and not _web_address(url):
        problems.append(f"one_click_unsubscribe_url {_shown(url)} is not a valid URL")
    return problems


def _letter_problems(body: dict[str, Any]) -> list[str]:
    """What Notify says of a letter's body: its schema, then its address rules."""
    problems = _schema_problems("letter", ("template_id", "personalisation"), body)
    values = body.get("personalisation")
    if problems or not isinstance(values, dict):
        return problems
    required = [f"personalisation {name} is a required property"
                for name in ("address_line_1", "address_line_2") if not values.get(name)]
    if required:
        return required
    try:
        _address(values)
    except addresses.InvalidAddress as refused:
        return [refused.message]
    return []


def _address(values: dict[str, Any]) -> list[str]:
    """The address given (address_line_1 to 7, and postcode), as Notify prints it;
    InvalidAddress, in Notify's words, for one it would not post to."""
    given = (values.get(f"address_line_{n}") for n in range(1, 9))
    return addresses.postal_address([str(line) for line in (*given, values.get("postcode"))
                                     if line is not None])


def _letter(reference: str | None, lines: list[str], body: str, subject: str,
            template: dict[str, Any] | None) -> dict[str, Any]:
    """A letter as Notify keeps it: its address as line_1 to line_6 and postcode."""
    shown_lines = (lines[:-1] + [None] * 6)[:6]
    return {"id": str(uuid.uuid4()), "reference": reference, "email_address": None,
            "phone_number": None, **{f"line_{n}": line for n, line in
                                     enumerate(shown_lines, start=1)},
            "postcode": lines[-1] if lines else None, "postage": "second", "type": "letter",
            "status": "accepted", "body": body, "subject": subject, "template": template,
            "created_at": _now(), "created_by_name": None, "sent_at": None,
            "completed_at": None, "scheduled_for": None, "one_click_unsubscribe_url": None}


def _web_address(url: Any) -> bool:
    """An address on the web that a mail program can POST to, to unsubscribe."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _deliver(service: Service, notification: dict[str, Any], recipient: str) -> None:
    """Deliver it (or fail to, for a simulated failing recipient) and send the service
    Notify's receipt. A text abroad is only ever `sent`: no receipt comes back."""
    notification["sent_at"] = _now()
    if recipient in PERMANENT_FAILURES:
        notification["status"] = "permanent-failure"
    elif recipient in TEMPORARY_FAILURES:
        notification["status"] = "temporary-failure"
    elif notification["type"] == "sms" and not recipient.startswith(addresses.UK_PREFIX):
        notification["status"] = "sent"
    else:
        notification["status"] = "delivered"
    notification["completed_at"] = None if notification["status"] == "sent" else _now()
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


def _shown_notification(notification: dict[str, Any]) -> dict[str, Any]:
    """A notification as Notify's API returns it."""
    shown = {k: v for k, v in notification.items() if k != "one_click_unsubscribe_url"}
    shown["one_click_unsubscribe"] = notification["one_click_unsubscribe_url"]
    shown["is_cost_data_ready"] = notification["status"] not in ("created", "sending")
    return shown


def _template_json(template: Template) -> dict[str, Any]:
    return {"id": template.id, "type": template.type, "name": template.name,
            "body": template.body, "subject": template.subject, "version": 1,
            "created_at": "2026-11-01T09:00:00.000000Z", "updated_at": None,
            "created_by": "care-portal@example.gov.wales", "letter_contact_block": None,
            "postage": None}


def _now() -> str:
    return utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
