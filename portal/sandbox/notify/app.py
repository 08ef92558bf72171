"""Sandbox GOV.UK Notify: the v2 API's send, read and template endpoints with
Notify's validation and error messages, its JWT checks (with the client library's
own functions, as Notify's API uses them), its rate limit of 3,000 sends a minute
per key as a token bucket, and delivery receipts sent to the service's callback and
tried again as Notify does. Simulated recipients fail as Notify's do.

One typed state object (state.Notify, a Service for each service it answers) and
one blueprint for each part of the API (routes/)."""

from __future__ import annotations

from flask import Flask, Response, g, request
from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import (
    TokenAlgorithmError,
    TokenDecodeError,
    TokenError,
    TokenExpiredError,
)

from portal.sandbox import faults as fault_injection
from portal.sandbox.notify.routes import drills, reading, sending
from portal.sandbox.notify.routes import templates as template_routes
from portal.sandbox.notify.shapes import error
from portal.sandbox.notify.state import RATE_WINDOW_SECONDS, Notify, Service, Template


def create_app(service: Service, templates: list[Template],
               faults: fault_injection.Faults | None = None,
               others: tuple[Service, ...] = ()) -> Flask:
    """Notify, for `service` and any `others` (a council's own service, say): each call
    is answered as the service whose key signed it, with what that service has sent."""
    app = Flask(__name__)
    held = Notify({s.service_id: s for s in (service, *others)},
                  {t.id: t for t in templates}, faults or fault_injection.Faults())
    app.extensions["sandbox_notify"] = held
    app.extensions["sandbox_faults"] = held.faults  # as every sandbox has them
    fault_injection.install(app, held.faults,
                            lambda status: error(status, "Exception", "Internal server error"))

    @app.before_request
    def authenticate() -> Response | None:
        """As notifications-api's requires_auth, with its messages."""
        if request.path.startswith("/_sandbox/"):
            return None
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return error(401, "AuthError",
                         "Unauthorized: authentication token must be provided")
        token = header.removeprefix("Bearer ")
        try:
            issuer = get_token_issuer(token)
        except TokenError:
            return error(403, "AuthError", "Invalid token: iss field not provided")
        if issuer not in held.services:
            return error(403, "AuthError", "Invalid token: service not found")
        g.notify_service = service = held.services[issuer]
        try:
            decode_jwt_token(token, service.secret)
        except TokenExpiredError:
            return error(403, "AuthError",
                         "Error: Your system clock must be accurate to within 30 seconds")
        except TokenAlgorithmError:
            return error(403, "AuthError", "Invalid token: algorithm used is not HS256")
        except TokenDecodeError:  # not signed with the service's key
            return error(403, "AuthError", "Invalid token: API key not found")
        except TokenError:
            return error(403, "AuthError", "Invalid token: make sure your API token matches "
                         "the example at https://docs.notifications.service.gov.uk/"
                         "rest-api.html#authorisation-header")
        # Like Notify (check_service_over_api_rate_limit, called when a notification is
        # posted), only sends take from the bucket: reads never do.
        if request.method == "POST" and request.path.startswith("/v2/notifications/"):
            with held.lock:
                if not service.take_token(service.clock()):
                    return error(429, "RateLimitError",
                                 f"Exceeded rate limit for key type LIVE of "
                                 f"{service.rate_limit} "
                                 f"requests per {RATE_WINDOW_SECONDS} seconds")
        return None

    for part in (sending.bp, reading.bp, template_routes.bp, drills.bp):
        app.register_blueprint(part)
    return app
