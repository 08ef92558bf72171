"""Security headers on every response, with a fresh CSP nonce for the one inline
script GOV.UK Frontend's template needs."""

from __future__ import annotations

import secrets

from flask import Flask, Response, abort, g, request

from portal.web import assets
from portal.web.forms import HIDDEN_CHARACTERS


def nonce() -> str:
    """This response's CSP nonce, made when first asked for: a page rendered by an
    error handler before any other hook has run gets one too."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


def install(app: Flask, form_targets: list[str]) -> None:
    """Set CSP (no unsafe-inline), HSTS outside local runs, and the rest."""


    @app.before_request
    def _refuse_hidden_characters() -> None:
        """An address holding a character nobody types (NUL, control codes) is a bad
        request, refused here once for every page. Forms say so field by field."""
        if HIDDEN_CHARACTERS.search(request.path) or any(
                HIDDEN_CHARACTERS.search(key) or HIDDEN_CHARACTERS.search(value)
                for key, value in request.args.items(multi=True)):
            abort(400)

    @app.context_processor
    def _template_nonce() -> dict[str, str]:
        return {"cspNonce": nonce()}

    forms = " ".join(["'self'", *form_targets])

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce()}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; "
            f"form-action {forms}; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Pages, downloads and answers to scripts may all carry someone's personal
        # data: no browser or proxy keeps any of them. Only the static files are
        # cached, and what a view marks public (the open data, which is nobody's).
        if not request.path.startswith(assets.PREFIX) and not response.cache_control.public:
            response.headers["Cache-Control"] = "no-store"
        return response
