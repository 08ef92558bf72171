"""The sandbox back office's conversations with the care team (FHIR Communication):
each person's, and every message the council writes in the order written, so the
portal can follow them from a point. Gwen's demo conversation, in Welsh, ends with
a reply from the council she has not read."""

from __future__ import annotations

import base64
import binascii
import threading
import uuid
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from portal.sandbox.backoffice.data import _utc

KINDS = ("application/pdf", "image/jpeg", "image/png")
LARGEST_FILE = 10 * 1024 * 1024
LONGEST_BODY = 5000
FIELDS = frozenset({"conversation_id", "subject", "body", "sender_name", "portal_reference",
                    "attachments"})


class Conversations:
    """Every conversation, by person; safe to use from many threads."""

    def __init__(self, now: datetime, holding: Collection[str]) -> None:
        """Empty but for the demo people's own, of those whose records are `holding`."""
        self.lock = threading.RLock()
        self.by_person: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, bytes] = {}  # attachment id -> content
        self.from_council: list[dict[str, Any]] = []  # the feed, in the order written
        if "p-1001" in holding:
            self._seed_gwens(now)

    def listed(self, person_id: str) -> list[dict[str, Any]]:
        """The person's conversations, the one with the latest message first."""
        with self.lock:
            return sorted(self.by_person.get(person_id, []),
                          key=lambda c: c["messages"][-1]["sent_at"], reverse=True)

    def problem_with(self, body: dict[str, Any], person_id: str) -> str | None:
        """What in a new message breaks the contract, or None."""
        if not isinstance(body.get("body"), str) or not 0 < len(body["body"]) <= LONGEST_BODY:
            return "body must be 1 to 5000 characters"
        if not isinstance(body.get("sender_name"), str) or \
                not isinstance(body.get("portal_reference"), str):
            return "sender_name and portal_reference are required"
        if body.get("conversation_id") is None:
            if not isinstance(body.get("subject"), str) or not 0 < len(body["subject"]) <= 200:
                return "subject is required for a new conversation"
        elif self._conversation(person_id, body["conversation_id"]) is None:
            return "conversation_id is not one of the person's conversations"
        files = body.get("attachments")
        if not isinstance(files, list) or len(files) > 1:
            return "attachments must be a list of at most 1"
        for file in files:
            if not isinstance(file, dict) or set(file) != {"filename", "content_type", "data"}:
                return "each attachment has filename, content_type and data"
            if file["content_type"] not in KINDS:
                return f"content_type must be one of {', '.join(KINDS)}"
            try:
                content = base64.b64decode(file["data"], validate=True)
            except (binascii.Error, TypeError, ValueError):  # ValueError: not even ASCII
                return "data must be base64"
            if not content or not file["filename"]:
                return "an attachment has a name and is not empty"
            if len(content) > LARGEST_FILE:
                return "an attachment is at most 10 MB"
        return None

    def send(self, person_id: str, body: dict[str, Any], at: datetime) -> dict[str, Any]:
        """The person's message, in its conversation (a new one without an id)."""
        with self.lock:
            conversation = self._conversation(person_id, body["conversation_id"]) if \
                body["conversation_id"] else self._start(person_id, body["subject"])
            assert conversation is not None
            attachments = [self._keep(f["filename"], f["content_type"],
                                      base64.b64decode(f["data"]))
                           for f in body["attachments"]]
            return self._add(conversation, "person", body["sender_name"], body["body"], None,
                             attachments, body["portal_reference"], at)

    def reply(self, person_id: str, conversation_id: str, text: str, language: str | None,
              at: datetime) -> dict[str, Any] | None:
        """For drills: the care team replies in a conversation."""
        with self.lock:
            conversation = self._conversation(person_id, conversation_id)
            if conversation is None:
                return None
            message = self._add(conversation, "council", "Tîm gofal / Care team", text,
                                language, [], None, at)
            message["sender_names"] = {"cy": "Tîm gofal", "en": "Care team"}
            return message

    def feed(self, after: int, limit: int) -> list[dict[str, Any]]:
        with self.lock:
            return self.from_council[after:after + limit]

    def attachment(self, person_id: str, message_id: str, attachment_id: str) -> bytes | None:
        with self.lock:
            for conversation in self.by_person.get(person_id, []):
                for message in conversation["messages"]:
                    if message["id"] == message_id and any(
                            a["id"] == attachment_id for a in message["attachments"]):
                        return self.files.get(attachment_id)
            return None

    # Inside the class -----------------------------------------------------------

    def _conversation(self, person_id: str, conversation_id: str) -> dict[str, Any] | None:
        return next((c for c in self.by_person.get(person_id, [])
                     if c["id"] == conversation_id), None)

    def _start(self, person_id: str, subject: str) -> dict[str, Any]:
        conversation = {"id": f"conv-{uuid.uuid4().hex[:10]}", "subject": subject,
                        "messages": [], "person_id": person_id}
        self.by_person.setdefault(person_id, []).append(conversation)
        return conversation

    def _keep(self, filename: str, content_type: str, content: bytes) -> dict[str, Any]:
        attachment_id = f"att-{uuid.uuid4().hex[:10]}"
        self.files[attachment_id] = content
        return {"id": attachment_id, "filename": filename, "content_type": content_type,
                "size": len(content)}

    def _add(self, conversation: dict[str, Any], sender: str, name: str, text: str,
             language: str | None, attachments: list[dict[str, Any]],
             reference: str | None, at: datetime) -> dict[str, Any]:
        message = {"id": f"msg-{uuid.uuid4().hex[:12]}", "conversation_id": conversation["id"],
                   "sender": sender, "sender_name": name, "sent_at": _utc(at), "body": text,
                   "language": language, "attachments": attachments,
                   "portal_reference": reference}
        conversation["messages"].append(message)
        if sender == "council":
            self.from_council.append({"id": message["id"], "person_id": conversation["person_id"],
                                      "conversation_id": conversation["id"],
                                      "sent_at": message["sent_at"]})
        return message

    def _seed_gwens(self, now: datetime) -> None:
        gwen = self._start("p-1001", "Newid amser yr ymweliad bore")
        gwen["id"] = "conv-p-1001-morning"
        gwen["subject_language"] = "cy"
        self._add(gwen, "person", "Gwen Morgan",
                  "Bore da. Ga i newid yr ymweliad bore i 9 o'r gloch ar ddydd Mawrth, os gwelwch "
                  "yn dda? Mae gen i apwyntiad yn y feddygfa.", None, [], None,
                  now - timedelta(days=3, hours=2))
        self._add(gwen, "council", "Elin Roberts",
                  "Bore da Gwen. Ydy, mae hynny'n iawn. Bydd Bethan yn dod am 9 o'r gloch ddydd "
                  "Mawrth nesaf. Cofion, Elin", "cy", [], None, now - timedelta(days=1, hours=5))


def conversation_body(conversation: dict[str, Any]) -> dict[str, Any]:
    """A conversation as the contract shows it."""
    return {k: v for k, v in conversation.items() if k != "person_id"}
