"""For tests and the demo: everything every service has sent."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from portal.sandbox.notify.state import current

bp = Blueprint("drills", __name__)


@bp.get("/_sandbox/notifications")
def everything_sent() -> Response:
    """What every service has sent, oldest first."""
    return jsonify(sorted((n for s in current().services.values() for n in s.sent),
                          key=lambda n: n["created_at"]))

