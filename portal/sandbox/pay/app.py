"""Sandbox GOV.UK Pay: the public API (create, get, search, cancel and refund a
payment, with Pay's state model, error codes and `_links`), Bearer API key auth,
a hosted payment page in English or Welsh that takes Pay's test card numbers,
and signed webhooks (`Pay-Signature`: HMAC-SHA256 of the body, hex) for the events
pay-webhooks sends, tried again on Pay's schedule.

One typed state object (state.Pay, an Account for each service) and one blueprint
for each part of the API (routes/)."""

from __future__ import annotations

from flask import Flask, Response, g, request

from portal.sandbox import faults as fault_injection
from portal.sandbox.pay.routes import drills, pages, payments, refunds
from portal.sandbox.pay.shapes import error
from portal.sandbox.pay.state import Account, Pay
from portal.web import assets
from portal.web.templating import configure_templates


def create_app(*accounts: Account, faults: fault_injection.Faults | None = None) -> Flask:
    """The sandbox Pay, holding one account for each service that uses it (each
    council's own): an API call is answered for the account whose key it carries,
    and sees only that account's payments."""
    if not accounts or len({a.api_key for a in accounts}) != len(accounts):
        raise ValueError("Pay's sandbox needs accounts, each with its own API key")
    app = Flask(__name__, static_folder=None)
    configure_templates(app, locale_from=lambda: g.get("pay_language", "en"))
    assets.install(app)
    held = Pay({a.api_key: a for a in accounts}, faults or fault_injection.Faults())
    app.extensions["sandbox_pay"] = held
    app.extensions["sandbox_faults"] = held.faults  # as every sandbox has them
    fault_injection.install(app, held.faults,
                            lambda status: error(status, "P0198", "Downstream system error"))

    @app.before_request
    def authenticate() -> Response | None:
        if not request.path.startswith("/v1/"):
            return None
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        g.account = held.accounts.get(given)
        if g.account is None:
            return Response("Credentials are required to access this resource.", 401,
                            {"WWW-Authenticate": 'Bearer realm="GOV.UK Pay"'})
        return None

    for part in (payments.bp, refunds.bp, pages.bp, drills.bp):
        app.register_blueprint(part)

    @app.errorhandler(404)
    def not_found(_missing: Exception) -> Response:
        return error(404, "P0200", "Not found")

    return app
