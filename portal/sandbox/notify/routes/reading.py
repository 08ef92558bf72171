"""Reading what was sent: one notification, or a page of them (newest first)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from portal.sandbox.notify.shapes import PAGE_SIZE, UUID, error, refused, shown_notification
from portal.sandbox.notify.state import current, service

bp = Blueprint("reading", __name__)


@bp.get("/v2/notifications/<notification_id>")
def get_notification(notification_id: str) -> Response:
    if not UUID.match(notification_id):
        return refused("notification_id is not a valid UUID")
    for notification in service().sent:
        if notification["id"] == notification_id:
            return jsonify(shown_notification(notification))
    return error(404, "NoResultFound", "No result found")

@bp.get("/v2/notifications")
def list_notifications() -> Response:
    """Newest first, a page at a time; `older_than` (an id) gives the next page. As
    Notify's, any page with notifications on it links to the next, which may be empty."""
    status, kind = request.args.get("status"), request.args.get("template_type")
    if kind not in (None, "email", "sms", "letter"):
        return refused(f"template_type {kind} is not one of [sms, email, letter]")
    with current().lock:
        found = [n for n in reversed(service().sent)
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
    return jsonify({"notifications": [shown_notification(n) for n in page],
                    "links": links})

