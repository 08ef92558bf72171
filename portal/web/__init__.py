"""The web layer: blueprints that parse a request, call a service, render."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, current_app, g, request, request_started, session

from portal import files, logs
from portal.clock import today
from portal.councils import Council
from portal.dependencies import deps
from portal.services import accounts
from portal.services.access import EARLIER, own_earlier, people_helped
from portal.services.conversations import unread
from portal.web import assets, compression, errors, security
from portal.web.access import LINKED, current_actor
from portal.web.limits import limiter
from portal.web.refresh import refreshing
from portal.web.templating import LANGUAGES, configure_templates


def choose_language() -> str:
    """The language chosen in this browser, else the browser's own preference."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(list(LANGUAGES), default="en") or "en"


def acting_for() -> object | None:
    """Whose care the banner and navigation are about, when acting for someone:
    the guard's decision on a care page, else worked out once for this request."""
    if "acting_for" not in g:
        g.acting_for = None
        person_id = session.get("acting_for")
        decision = g.get("decision")
        if decision is not None and g.get("person_id") == person_id:
            g.acting_for = decision if decision.role != "self" else None
        elif g.get("signed_in") is not None and person_id:
            g.acting_for = own_earlier(deps().store, current_actor(), person_id)
            if g.acting_for is None:
                helped = people_helped(deps().store, deps().backoffice,
                                              current_actor(), today())
                g.acting_for = next((h for h in helped if h.person_id == person_id), None)
    return g.acting_for


def unread_messages() -> int:
    """For the navigation: the care team's messages to the person in hand (oneself,
    or whoever one acts for with `messages`) this reader has not read: worked out once
    a request."""
    if "unread" not in g:
        g.unread = _unread_messages()
    return int(g.unread)


def _unread_messages() -> int:
    person_id, them = record_in_hand(), acting_for()
    if person_id is None or them is not None and "messages" not in getattr(them, "scopes", ()):
        return 0
    return unread(deps().store, person_id, g.signed_in.account_id)


def record_in_hand() -> str | None:
    """The record the pages are about: that of whoever one acts for, else one's own
    (None signed out, or with no record)."""
    signed_in = g.get("signed_in")
    if signed_in is None:
        return None
    return session.get("acting_for") if acting_for() is not None else signed_in.person_id


def whose_council() -> Council:
    """The council the pages speak for (its contact details, its support for carers):
    that of the record in hand, else the council the portal served first."""
    record = record_in_hand()
    return (record and deps().councils.holding(record)) or deps().council


def whose_page() -> str | None:
    """While acting for someone: "theirs" on a page about their care, "yours" on a
    page of the actor's own account (so that nobody invites someone to the wrong
    record); "earlier" on a page of an earlier record of one's own; None otherwise."""
    if acting_for() is None:
        return None
    decision = g.get("decision")
    if getattr(acting_for(), "role", None) == EARLIER:
        # Their own earlier record: said on its pages; nothing to warn of on others.
        on_it = decision is not None and decision.role == EARLIER
        return EARLIER if on_it else None
    if decision is not None and decision.role != "self":
        return "theirs"
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "access", None) == LINKED or request.blueprint in ("account", "carers"):
        return "yours"
    return None


def _log_requests(app: Flask) -> None:
    """Give each request an id (sent back, and on to the back office) and log one line
    for it when it ends: method, path (never the query), status and time taken."""
    line = logging.getLogger("portal.requests")

    # On request_started, ahead of every before_request (the form token's check among them).
    def _start(_sender: Flask, **_extra: object) -> None:
        g.request_id = logs.start_request(request.headers.get(logs.REQUEST_ID_HEADER))
        g.started = time.perf_counter()

    request_started.connect(_start, app, weak=False)

    @app.after_request
    def _end(response: Response) -> Response:
        response.headers[logs.REQUEST_ID_HEADER] = g.request_id
        took = round((time.perf_counter() - g.started) * 1000, 1)
        line.info("%s %s %s %sms", request.method, request.path, response.status_code, took,
                  extra={"method": request.method, "path": request.path,
                         "status": response.status_code, "duration_ms": took})
        return response


def register(app: Flask, form_targets: list[str]) -> None:
    """form_targets: the other services a form here leads to (sign-in, Pay)."""
    # The largest request taken: a message with a 10 MB file, and room for its words.
    app.config["MAX_CONTENT_LENGTH"] = files.LARGEST_SENT + 2 * 1024 * 1024
    _log_requests(app)
    configure_templates(app, locale_from=choose_language)
    security.install(app, form_targets=form_targets)
    compression.install(app)
    errors.install(app)
    limiter.init_app(app)

    @app.before_request
    def _load_signed_in() -> None:
        g.signed_in = None
        session_id = session.get("sid")
        if session_id and not request.path.startswith(assets.PREFIX):
            g.signed_in = accounts.current_session(deps().store, session_id, deps().sessions,
                                                   touch=not refreshing())
            if g.signed_in is None:
                session.pop("sid", None)
                session.pop("acting_for", None)

    @app.context_processor
    def _who() -> dict[str, object]:
        return {"signed_in": g.get("signed_in"), "acting_for": acting_for(),
                "whose_page": whose_page(), "unread_messages": unread_messages,
                "council": whose_council(), "councils": deps().councils}

    from portal.web.account.views import bp as account
    from portal.web.acting.views import bp as acting
    from portal.web.asking.views import bp as asking
    from portal.web.auth.views import bp as auth
    from portal.web.callbacks.views import bp as callbacks
    from portal.web.care.views import bp as care
    from portal.web.carers.views import bp as carers
    from portal.web.changes.views import bp as changes
    from portal.web.charges.views import bp as charges
    from portal.web.conversations.views import bp as conversations
    from portal.web.councils.views import bp as councils
    from portal.web.direct_payments.views import bp as direct_payments
    from portal.web.documents.views import bp as documents
    from portal.web.emergency_plans.views import bp as emergency_plans
    from portal.web.estimate.views import bp as estimate
    from portal.web.figures.views import bp as figures
    from portal.web.financial_assessment.views import bp as financial_assessment
    from portal.web.link.views import bp as link
    from portal.web.pages.views import bp as pages
    from portal.web.reviews.views import bp as reviews
    from portal.web.sharing.views import bp as sharing
    from portal.web.status.views import bp as status
    from portal.web.stopping.views import bp as stopping
    from portal.web.visit_reports.views import bp as visit_reports

    for blueprint in (pages, auth, link, care, reviews, charges, account, sharing, acting,
                      carers, visit_reports, changes, documents, conversations, callbacks,
                      status, stopping, figures, councils, estimate,
                      financial_assessment, direct_payments, asking, emergency_plans):
        app.register_blueprint(blueprint)
    # Services authenticate with their own tokens, not a browser's form token; a mail
    # program's one-click unsubscribe has only the secret in the link, which is enough.
    app.extensions["csrf"].exempt(callbacks)
    app.extensions["csrf"].exempt(stopping)
    # The estimate changes nothing and keeps nothing (not even a session to hold a token).
    app.extensions["csrf"].exempt(estimate)
