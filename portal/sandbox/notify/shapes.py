"""Notify's v2 API as JSON: what it checks in a send (its schema and its address
rules, in its words), a notification and a template as it shows them, its errors."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import urlsplit

from flask import Response, jsonify, request

from portal import addresses
from portal.clock import utcnow

PAGE_SIZE = 250  # notifications a list answer holds, as Notify's
LONGEST_REFERENCE = 1000
PLACEHOLDER = re.compile(r"\(\(([^)]+)\)\)")
POSTAGE = ("first", "second", "economy", "europe", "rest-of-world")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
# The fields a send may carry (Notify's post_email_request / post_sms_request schemas).
ALLOWED = {"email": {"email_address", "template_id", "personalisation", "reference",
                     "email_reply_to_id", "one_click_unsubscribe_url", "scheduled_for"},
           "sms": {"phone_number", "template_id", "personalisation", "reference",
                   "sms_sender_id", "scheduled_for"},
           "letter": {"template_id", "personalisation", "reference"}}


def shown(value: Any) -> str:
    """A value as Notify's validation messages quote it (JSON schema's repr)."""
    return repr(value)[:100]


def error(status: int, kind: str, message: str) -> Response:
    response = jsonify({"errors": [{"error": kind, "message": message}], "status_code": status})
    response.status_code = status
    return response


def refused(*messages: str) -> Response:
    """Notify's 400 for a request its schema refuses, one error a problem."""
    response = jsonify({"errors": [{"error": "ValidationError", "message": m} for m in messages],
                        "status_code": 400})
    response.status_code = 400
    return response


def json_object() -> dict[str, Any] | Response:
    """The request's JSON object, or Notify's answer to a body that is not one."""
    try:
        body = json.loads(request.get_data())
    except ValueError:
        return error(400, "BadRequestError", "Invalid JSON supplied in POST data")
    if not isinstance(body, dict):
        return refused(f"{shown(body)} is not of type object")
    return body


def schema_problems(kind: str, required: tuple[str, ...], body: dict[str, Any]) -> list[str]:
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
            problems.append(f"{recipient_field} {shown(body[recipient_field])} "
                            f"is not of type string")
    kinds = dict if "personalisation" in required else dict | None
    if "personalisation" in body and not isinstance(body["personalisation"], kinds):
        problems.append(f"personalisation {shown(body['personalisation'])} "
                        f"is not of type object")
    reference = body.get("reference")
    if reference is not None and not isinstance(reference, str):
        problems.append(f"reference {shown(reference)} is not of type string")
    elif reference is not None and len(reference) > LONGEST_REFERENCE:
        problems.append(f"reference {shown(reference)} is too long")
    url = body.get("one_click_unsubscribe_url")
    if url is not None and not web_address(url):
        problems.append(f"one_click_unsubscribe_url {shown(url)} is not a valid URL")
    return problems


def letter_problems(body: dict[str, Any]) -> list[str]:
    """What Notify says of a letter's body: its schema, then its address rules."""
    problems = schema_problems("letter", ("template_id", "personalisation"), body)
    values = body.get("personalisation")
    if problems or not isinstance(values, dict):
        return problems
    required = [f"personalisation {name} is a required property"
                for name in ("address_line_1", "address_line_2") if not values.get(name)]
    if required:
        return required
    try:
        address(values)
    except addresses.InvalidAddress as refused:
        return [refused.message]
    return []


def address(values: dict[str, Any]) -> list[str]:
    """The address given (address_line_1 to 7, and postcode), as Notify prints it;
    InvalidAddress, in Notify's words, for one it would not post to."""
    given = (values.get(f"address_line_{n}") for n in range(1, 9))
    return addresses.postal_address([str(line) for line in (*given, values.get("postcode"))
                                     if line is not None])


def letter(reference: str | None, lines: list[str], body: str, subject: str,
            template: dict[str, Any] | None) -> dict[str, Any]:
    """A letter as Notify keeps it: its address as line_1 to line_6 and postcode."""
    shown_lines = (lines[:-1] + [None] * 6)[:6]
    return {"id": str(uuid.uuid4()), "reference": reference, "email_address": None,
            "phone_number": None, **{f"line_{n}": line for n, line in
                                     enumerate(shown_lines, start=1)},
            "postcode": lines[-1] if lines else None, "postage": "second", "type": "letter",
            "status": "accepted", "body": body, "subject": subject, "template": template,
            "created_at": now(), "created_by_name": None, "sent_at": None,
            "completed_at": None, "scheduled_for": None, "one_click_unsubscribe_url": None}


def web_address(url: Any) -> bool:
    """An address on the web that a mail program can POST to, to unsubscribe."""
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def shown_notification(notification: dict[str, Any]) -> dict[str, Any]:
    """A notification as Notify's API returns it."""
    shown = {k: v for k, v in notification.items() if k != "one_click_unsubscribe_url"}
    shown["one_click_unsubscribe"] = notification["one_click_unsubscribe_url"]
    shown["is_cost_data_ready"] = notification["status"] not in ("created", "sending")
    return shown


def template_json(template: Any) -> dict[str, Any]:
    return {"id": template.id, "type": template.type, "name": template.name,
            "body": template.body, "subject": template.subject, "version": 1,
            "created_at": "2026-11-01T09:00:00.000000Z", "updated_at": None,
            "created_by": "care-portal@example.gov.wales", "letter_contact_block": None,
            "postage": None}


def now() -> str:
    return utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
