"""A page that brings itself up to date while it is open (today's visits, in
static/js/portal.mjs) asks for itself again with REFRESH_HEADER. Such a request is
not the person doing anything: it keeps no session alive that would otherwise time
out, and is not another look at someone's record in its access log (the page was
written there when it was opened)."""

from __future__ import annotations

from flask import request

REFRESH_HEADER = "X-Portal-Refresh"


def refreshing() -> bool:
    """Whether this request is a page bringing itself up to date."""
    return request.headers.get(REFRESH_HEADER) == "1"
