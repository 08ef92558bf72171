"""Messages: a person's conversations with the care team, a message sent with its
files, and the feed of what the care team writes (for the portal to follow)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from portal.clock import utcnow
from portal.sandbox.backoffice import conversations
from portal.sandbox.backoffice.http import (
    INVALID,
    created,
    feed_window,
    json_body,
    problem,
    replayed,
)
from portal.sandbox.backoffice.state import as_of, current

bp = Blueprint("messages", __name__)


@bp.get("/v1/people/<person_id>/conversations")
def list_conversations(person_id: str) -> Response:
    held = current()
    held.find(person_id)
    return jsonify({"conversations": [conversations.conversation_body(c) for c
                                      in held.conversations.listed(person_id)],
                    "as_of": as_of()})


@bp.post("/v1/people/<person_id>/messages")
@replayed
def send_message(person_id: str) -> Response:
    held = current()
    held.find(person_id)
    body = json_body(closed_to=conversations.FIELDS)
    wrong = held.conversations.problem_with(body, person_id)
    if wrong is not None:
        return problem(400, "The message does not match the contract", INVALID, wrong)
    return created(held.conversations.send(person_id, body, utcnow()))


@bp.get("/v1/people/<person_id>/messages/<message_id>/attachments/<attachment_id>")
def get_attachment(person_id: str, message_id: str, attachment_id: str) -> Response:
    held = current()
    held.find(person_id)
    content = held.conversations.attachment(person_id, message_id, attachment_id)
    if content is None:
        return problem(404, "Attachment not found", "urn:care-record:not-found")
    return Response(content, content_type="application/octet-stream")


@bp.get("/v1/messages-from-council")
def messages_from_council() -> Response:
    window = feed_window()
    if isinstance(window, Response):
        return window
    after, limit = window
    found = current().conversations.feed(after, limit)
    return jsonify({"messages": found, "next": str(after + len(found))})


@bp.post("/_sandbox/people/<person_id>/conversations/<conversation_id>/reply")
def reply_to_conversation(person_id: str, conversation_id: str) -> Response:
    """For drills: the care team replies."""
    body = json_body()
    language = body.get("language") if body.get("language") in ("cy", "en") else None
    made = current().conversations.reply(person_id, conversation_id,
                                         str(body.get("body", "")), language, utcnow())
    if made is None:
        return problem(404, "No such conversation")
    return jsonify(made)
