"""Stopping a kind of message someone can do without, from the link in those emails.

Mail programs offer Notify's one-click unsubscribe as a button, which POSTs here
(RFC 8058) with nothing but the address: that stops the messages at once. A person
following the link at the foot of the email is asked first, since opening a link
(as people and mail scanners do) must change nothing. Either way the page is in the
person's own language, and a link we did not send finds nothing."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, session

from portal.dependencies import deps
from portal.messages import LANGUAGES
from portal.services import contact
from portal.web.access import by_link

bp = Blueprint("stopping", __name__)


@bp.route("/stop-emails/<stop_token>/<kind>", methods=["GET", "POST"])
@by_link
def stop(stop_token: str, kind: str) -> tuple[str, int]:
    if request.method == "POST":
        language = contact.stop_by_link(deps().store, stop_token, kind)
    else:
        language = contact.holder_of(deps().store, stop_token) if contact.may_stop(kind) \
            else None
    if language is None:
        abort(404)
    if session.get("lang") not in LANGUAGES:  # this browser has not chosen: theirs
        session["lang"] = language
    page = "stopped" if request.method == "POST" else "stop"
    return render_template(f"stopping/{page}.html", kind=kind), 200
