"""Security headers on every response, with a fresh CSP nonce for the one inline
script GOV.UK Frontend's template needs; and the form token masked afresh in every
response, so that a compressed page does not give it away (BREACH)."""

from __future__ import annotations

import base64
import binascii
import secrets

from flask import Flask, Response, abort, g, request, request_started
from flask_wtf.csrf import generate_csrf
from werkzeug.datastructures import ImmutableMultiDict

from portal.web import assets
from portal.web.forms import HIDDEN_CHARACTERS


def nonce() -> str:
    """This response's CSP nonce, made when first asked for: a page rendered by an
    error handler before any other hook has run gets one too."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return str(g.csp_nonce)


FORM_FIELD = "csrf_token"
SCRIPT_HEADERS = ("HTTP_X_CSRFTOKEN", "HTTP_X_CSRF_TOKEN")  # as scripts send it


def masked_form_token() -> str:
    """The form token as a page carries it: XOR-ed with random bytes that go with it,
    so it is different in every response while the session's token stays the same.
    A compressed page then holds nothing constant for an attacker who can put words
    of their own beside it to find, one guess at a time, by the page's length.
    Masked once a response: every form on a page carries the same."""
    if "masked_form_token" not in g:
        token = generate_csrf().encode()
        mask = secrets.token_bytes(len(token))
        g.masked_form_token = base64.urlsafe_b64encode(
            mask + _xor(token, mask)).decode().rstrip("=")
    return str(g.masked_form_token)


def unmasked(value: str) -> str:
    """The form token a page carried, as Flask-WTF checks it; anything that is not a
    masked token is left as it is (and fails that check)."""
    try:
        both = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return value
    if not both or len(both) % 2:
        return value
    half = len(both) // 2
    try:
        return _xor(both[half:], both[:half]).decode("ascii")
    except UnicodeDecodeError:
        return value


def _xor(data: bytes, mask: bytes) -> bytes:
    if len(data) != len(mask):
        raise ValueError("a mask is as long as what it masks")
    return (int.from_bytes(data) ^ int.from_bytes(mask)).to_bytes(len(data))


def _unmask_form_token(_sender: Flask, **_extra: object) -> None:
    """Before the form token is checked (on request_started, ahead of every hook)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    for header in SCRIPT_HEADERS:
        if header in request.environ:
            request.environ[header] = unmasked(request.environ[header])
    sent = request.form.get(FORM_FIELD)
    if sent:
        form = request.form.copy()
        form[FORM_FIELD] = unmasked(sent)
        request.form = ImmutableMultiDict(form)  # type: ignore[misc]


def install(app: Flask, form_targets: list[str]) -> None:
    """Set CSP (no unsafe-inline), HSTS outside local runs, and the rest; mask the form
    token in every page."""
    app.jinja_env.globals["csrf_token"] = masked_form_token
    app.context_processor(lambda: {"csrf_token": masked_form_token})  # over Flask-WTF's
    request_started.connect(_unmask_form_token, app, weak=False)

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
