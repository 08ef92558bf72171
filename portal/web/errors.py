"""One place that turns every error into a page in the person's language."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal.clients.errors import BackOfficeUnavailable, ServiceUnavailable, SignInFailed
from portal.dependencies import deps

log = logging.getLogger(__name__)
T = TypeVar("T")


def or_404(lookup: Callable[..., T], *args: Any) -> T:
    """What a service finds for the person in hand; the not-found page when it raises
    LookupError (there is no such thing, or it is someone else's)."""
    try:
        return lookup(*args)
    except LookupError:
        abort(404)


def install(app: Flask) -> None:
    @app.errorhandler(ServiceUnavailable)
    def unavailable(error: ServiceUnavailable) -> tuple[str, int]:
        log.error("service unavailable: %s", error)
        # The council whose back office did not answer is the one to phone.
        down = error.council if isinstance(error, BackOfficeUnavailable) else None
        if down is not None and down in deps().councils:
            return render_template("errors/unavailable.html",
                                   council=deps().councils.get(down)), 503
        return render_template("errors/unavailable.html"), 503

    @app.errorhandler(SignInFailed)
    def sign_in_failed(error: SignInFailed) -> tuple[str, int]:
        log.warning("sign-in failed: %s", error)
        return render_template("errors/sign_in_failed.html"), 400

    @app.errorhandler(CSRFError)
    def csrf(error: CSRFError) -> tuple[str, int]:
        log.info("form refused: %s", error.description)
        return render_template("errors/form_expired.html"), 400

    @app.errorhandler(HTTPException)
    def http(error: HTTPException) -> tuple[str, int]:
        status = error.code or 500
        if status == 404 or status == 405:
            return render_template("errors/not_found.html"), status
        if status == 429:
            return render_template("errors/too_many.html"), status
        if status == 413:
            return render_template("errors/too_large.html"), status
        if status == 403:
            return render_template("errors/forbidden.html", decision=None), status
        if status >= 500:
            return render_template("errors/problem.html"), status
        return render_template("errors/bad_request.html"), status

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unhandled error")
        return render_template("errors/problem.html"), 500
