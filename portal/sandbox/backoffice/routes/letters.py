"""Letters and documents the council holds for a person, and their files."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from portal.clock import today
from portal.sandbox.backoffice import documents
from portal.sandbox.backoffice.http import problem
from portal.sandbox.backoffice.state import as_of, current

bp = Blueprint("letters", __name__)


@bp.get("/v1/people/<person_id>/documents")
def list_documents(person_id: str) -> Response:
    current().find(person_id)
    return jsonify({"documents": documents.documents(person_id, today()), "as_of": as_of()})


@bp.get("/v1/people/<person_id>/documents/<document_id>/content")
def document_content(person_id: str, document_id: str) -> Response:
    current().find(person_id)
    listed = any(d["id"] == document_id for d in documents.documents(person_id, today()))
    body = documents.content(document_id) if listed else None
    if body is None:
        return problem(404, "Document not found", "urn:care-record:not-found")
    return Response(body, content_type="application/pdf")
