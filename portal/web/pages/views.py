"""The start page, the pages every service has, and the language link."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session
from werkzeug.wrappers import Response

from portal.web.access import public
from portal.web.forms import safe_next
from portal.web.templating import LANGUAGES

bp = Blueprint("pages", __name__)
INFORMATION_PAGES = ("cookies", "accessibility", "privacy", "help", "contact")


@bp.get("/")
@public
def start() -> str:
    return render_template("pages/start.html")


@bp.get(f"/<any({', '.join(INFORMATION_PAGES)}):page>")
@public
def information(page: str) -> str:
    return render_template(f"pages/{page}.html")


@bp.get("/language/<code>")
@public
def change_language(code: str) -> Response:
    """Show this and later pages in another language, then go back to the same page."""
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    return redirect(safe_next(request.args.get("next")))
