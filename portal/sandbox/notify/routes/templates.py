"""The templates: one, or every one of a kind."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from portal.sandbox.notify.shapes import UUID, error, refused, template_json
from portal.sandbox.notify.state import current

bp = Blueprint("templates", __name__)


@bp.get("/v2/template/<template_id>")
def get_template(template_id: str) -> Response:
    if not UUID.match(template_id):
        return refused("template_id is not a valid UUID")
    template = current().templates.get(template_id)
    if template is None:
        return error(404, "NoResultFound", "No result found")
    return jsonify(template_json(template))

@bp.get("/v2/templates")
def list_templates() -> Response:
    kind = request.args.get("type")
    if kind not in (None, "email", "sms", "letter"):
        return refused(f"type {kind} is not one of [sms, email, letter]")
    return jsonify({"templates": [template_json(t) for t in current().templates.values()
                                  if kind in (None, t.type)]})

