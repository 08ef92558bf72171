"""Sending: an email, a text or a letter from a template (its placeholders filled,
its recipient checked as Notify checks it), or a precompiled letter."""

from __future__ import annotations

import base64
import binascii
import threading
import uuid
from typing import Any

from flask import Blueprint, Response, jsonify, request

from portal import addresses
from portal.sandbox.notify.shapes import (
    PLACEHOLDER,
    POSTAGE,
    address,
    error,
    json_object,
    letter,
    letter_problems,
    now,
    refused,
    schema_problems,
)
from portal.sandbox.notify.state import Template, current, deliver, service

bp = Blueprint("sending", __name__)


def fill(template_id: str, kind: str, values: dict[str, Any]
         ) -> tuple[Template, str, str] | Response:
    """The template of this kind with its placeholders filled: body and subject."""
    template = current().templates.get(template_id)
    if template is None or template.type != kind:
        return error(400, "BadRequestError", "Template not found")
    needed = dict.fromkeys(PLACEHOLDER.findall((template.subject or "") + template.body))
    missing = [name for name in needed if name not in values]
    if missing:
        return error(400, "BadRequestError", f"Missing personalisation: {', '.join(missing)}")
    return (template, PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template.body),
            PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template.subject or ""))

def send(kind: str, recipient_field: str) -> Response:
    body = json_object()
    if isinstance(body, Response):
        return body
    problems = schema_problems(kind, (recipient_field, "template_id"), body)
    if problems:
        return refused(*problems)
    values = body.get("personalisation") or {}
    try:
        recipient = addresses.email_address(body[recipient_field]) if kind == "email" \
            else addresses.phone_number(body[recipient_field], service().international_sms)
    except addresses.InvalidAddress as invalid:
        return refused(f"{recipient_field} {invalid.message}")
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
        "created_at": now(), "created_by_name": None, "sent_at": None,
        "completed_at": None, "scheduled_for": None,
        "one_click_unsubscribe_url": body.get("one_click_unsubscribe_url"),
    }
    with current().lock:
        service().sent.append(notification)
    threading.Thread(target=deliver, args=(service(), notification, recipient),
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

@bp.post("/v2/notifications/email")
def send_email() -> Response:
    return send("email", "email_address")

@bp.post("/v2/notifications/sms")
def send_sms() -> Response:
    return send("sms", "phone_number")

@bp.post("/v2/notifications/letter")
def send_letter() -> Response:
    """A letter from a template (its address in the personalisation), or a
    precompiled one (a PDF in `content`), with Notify's address rules."""
    body = json_object()
    if isinstance(body, Response):
        return body
    if "content" in body:
        return _precompiled(body)
    problems = letter_problems(body)
    if problems:
        return refused(*problems)
    values = body["personalisation"]
    made = fill(body["template_id"], "letter", values)
    if isinstance(made, Response):
        return made
    template, filled, subject = made
    lines = address(values)
    notification = letter(body.get("reference"), lines, filled, subject, {
        "id": template.id, "version": 1, "uri": f"{request.host_url}v2/template/{template.id}"})
    with current().lock:
        service().sent.append(notification)
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
        return refused(*problems)
    try:
        content = base64.b64decode(body["content"], validate=True)
    except (binascii.Error, TypeError, ValueError):
        return refused("Incorrect padding")  # as Notify's base64 decoding says
    if not content.startswith(b"%PDF-"):
        return refused("Letter content is not a valid PDF")
    notification = letter(body["reference"], [], "", "Pre-compiled PDF", None)
    notification["postage"] = postage
    with current().lock:
        service().sent.append(notification)
    response = jsonify({"id": notification["id"], "reference": notification["reference"],
                        "postage": postage})
    response.status_code = 201
    return response

