"""Sandbox back office: serves the Care Record API v1 from the demo data.

One council's back office is one app: its state one typed object (`state.BackOffice`,
reached as `state.of(app)`), its API one blueprint for each part of the contract
(`routes/`). Two councils' back offices are two apps."""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from portal.sandbox import faults as fault_injection
from portal.sandbox.backoffice import state
from portal.sandbox.backoffice.http import (
    INVALID,
    NotAnObject,
    UnknownProperties,
    problem,
)
from portal.sandbox.backoffice.routes import (
    assessments,
    carers,
    charges,
    figures,
    letters,
    messages,
    people,
    reviews,
    tasks,
)

IDEMPOTENCY_KEY_LENGTH = (8, 128)
BLUEPRINTS = (people.bp, reviews.bp, carers.bp, assessments.bp, tasks.visit_reports, tasks.changes,
              tasks.financial_assessments, tasks.charging_reviews, tasks.direct_payment_returns,
              figures.bp,
              messages.bp, letters.bp, charges.bp)


def create_app(api_key: str = "sandbox-backoffice-key",
               faults: fault_injection.Faults | None = None,
               council: str | None = None) -> Flask:
    """The sandbox back office, answering only requests that carry api_key: of one
    council (its demo people and its area), or, without one, of every demo person."""
    app = Flask(__name__)
    held = state.BackOffice.of_council(api_key, council, faults)
    app.extensions["backoffice"] = held
    app.extensions["sandbox_faults"] = held.faults  # as every sandbox has them
    fault_injection.install(
        app, held.faults,
        lambda status: problem(status, "Back office unavailable", "urn:care-record:unavailable"))

    @app.before_request
    def authenticate() -> Response | None:
        if request.path.startswith("/_sandbox/"):
            return None
        held.request_ids.append(request.headers.get("X-Request-Id"))
        if request.headers.get("Authorization") != f"Bearer {held.api_key}":
            return problem(401, "Missing or wrong API key")
        if request.method == "POST" and not \
                IDEMPOTENCY_KEY_LENGTH[0] <= len(request.headers.get("Idempotency-Key", "")) \
                <= IDEMPOTENCY_KEY_LENGTH[1]:
            return problem(400, "An Idempotency-Key header of 8 to 128 characters is required")
        return None

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)

    @app.errorhandler(state.UnknownPerson)
    def unknown_person(_error: state.UnknownPerson) -> Response:
        return problem(404, "Person not found", "urn:care-record:not-found")

    @app.errorhandler(NotAnObject)
    def not_an_object(_error: NotAnObject) -> Response:
        return problem(400, "The request body must be a JSON object", INVALID)

    @app.errorhandler(404)
    def not_found(_error: Exception) -> Response:
        return problem(404, "No such resource")

    @app.errorhandler(UnknownProperties)
    def unknown_properties(error: UnknownProperties) -> Response:
        return problem(400, "The request body has properties the contract does not allow",
                       INVALID, f"Not allowed: {error}")

    @app.errorhandler(HTTPException)
    def other_http(error: HTTPException) -> Response:
        """Any other HTTP error as a problem, keeping its headers (a 405's Allow)."""
        response = problem(error.code or 400, error.name)
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    return app
