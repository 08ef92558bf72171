"""For the load balancer: is this process up, and can it reach its database?

It says nothing else (no version, host, counts or errors), so it may be public.
The back office, Notify and Pay are not checked: the portal degrades without them
(pages say the council's system is unavailable; messages wait in the outbox), and
taking every web process out of service when one of them is down would help nobody."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from portal.dependencies import deps
from portal.web.access import public
from portal.web.limits import limiter

bp = Blueprint("status", __name__)


@bp.get("/_status")
@public
@limiter.exempt
def status() -> tuple[Response, int]:
    try:
        with deps().store.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("status: the database did not answer")
        return jsonify(status="error"), 503
    return jsonify(status="ok"), 200
