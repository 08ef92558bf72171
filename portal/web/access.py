"""Who may reach a page. Every route names one of these guards, or is public.

Pages about a person's care name the scope they need; the decision itself is
made in one place, portal.services.access.decide()."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, redirect, render_template, request, session, url_for

from portal.clients.backoffice import BackOfficeClient
from portal.clients.cache import CachedBackOfficeClient
from portal.clock import today, utcnow
from portal.services import access, audit, reading
from portal.web.forms import safe_next
from portal.web.refresh import refreshing

PUBLIC = "public"
SIGNED_IN = "signed-in"
LINKED = "linked"
CALLBACK = "service-callback"
BY_LINK = "by-link"
CHANGED = ":changed"  # the audit's mark on an action that sent a form
ANY_OF = "|"  # between the scopes of a page that any one of them opens


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone may see this page."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def service_callback(view: Callable[..., Any]) -> Callable[..., Any]:
    """Called by another service, never a person: the view checks the service's token."""
    view.access = CALLBACK  # type: ignore[attr-defined]
    return view


def by_link(view: Callable[..., Any]) -> Callable[..., Any]:
    """Opened from a link we sent someone: the secret in the address is what lets them
    in, signed in or not, and a link we did not send finds nothing (404)."""
    view.access = BY_LINK  # type: ignore[attr-defined]
    return view


def signed_in_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in, linked to a record or not."""
    return _guard(view, SIGNED_IN)


def linked_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in and linked to a care record: the page is about their own record,
    g.person_id, whoever else they may be acting for."""
    return _guard(view, LINKED)


Reads = Callable[[BackOfficeClient, str], object]


def scope_required(*scopes: str, reads: Reads | None = None
                   ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A page of someone's care: the person's own, or that of the person being
    acted for, if they granted one of `scopes` (the page then shows what their
    scopes allow: g.decision.scopes). Reads by anyone else are audited.

    `reads(backoffice, person_id)` makes the page's own back-office reads: for someone
    acting for the person, they start while access is decided (which may itself ask
    the back office), and the page finds them on their way or kept, so the page
    costs one back-office round, as the person's own does. Nothing read is shown
    unless access is given."""
    if not scopes or not set(scopes) <= set(access.SCOPES):
        raise ValueError(scopes)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        return _guard(view, f"scope:{ANY_OF.join(scopes)}", reads)

    return decorate


def asks_for_something_new(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page that asks the council for something new (beneath its access rule): not
    open on an earlier record of one's own, which the council one moved from keeps only
    to read, to pay and to write to."""
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if g.decision.role == access.EARLIER:
            return render_template("errors/forbidden.html", decision=g.decision), 403
        return view(*args, **kwargs)
    return guarded


def current_actor() -> access.Actor:
    return access.Actor(g.signed_in.account_id, g.signed_in.person_id)


def acting_name(person_name: str) -> str:
    """Who is doing this, as records and receipts name them: the person themselves,
    or the name of whoever acts for them (on a page guarded by scope_required)."""
    decision = g.decision
    return person_name if decision.role == "self" else (decision.actor_name or "")


def _guard(view: Callable[..., Any], rule: str, reads: Reads | None = None
           ) -> Callable[..., Any]:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if g.signed_in is None:
            # Back to this page after signing in.
            session["next"] = safe_next(request.full_path.rstrip("?"), "") \
                if request.method == "GET" else None
            return redirect(url_for("auth.sign_in"))
        if rule == LINKED:
            if g.signed_in.person_id is None:
                return redirect(url_for("link.link_record"))
            g.person_id = g.signed_in.person_id
        elif rule.startswith("scope:"):
            refused = _decide(rule.removeprefix("scope:").split(ANY_OF), reads)
            if refused is not None:
                return refused
        return view(*args, **kwargs)

    guarded.access = rule  # type: ignore[attr-defined]
    return guarded


def _decide(scopes: list[str], reads: Reads | None) -> Any:
    from portal.web import deps

    person_id = session.get("acting_for") or g.signed_in.person_id
    if person_id is None:
        return redirect(url_for("link.link_record"))
    backoffice = deps().backoffice
    if (reads is not None and request.method == "GET" and person_id != g.signed_in.person_id
            and isinstance(backoffice, CachedBackOfficeClient)):
        reading.start(reads, backoffice, person_id)  # kept, or shared while on its way
    decision = access.decide(deps().store, backoffice, current_actor(), person_id,
                             scopes[0], today())
    if not decision.allowed and any(s in decision.scopes for s in scopes[1:]):
        # Refused for the first scope only: another of the page's scopes opens it.
        decision = access.decide(deps().store, backoffice, current_actor(), person_id,
                                 next(s for s in scopes[1:] if s in decision.scopes), today())
    if not decision.allowed:
        return render_template("errors/forbidden.html", decision=decision), 403
    g.person_id = person_id
    g.decision = decision
    if decision.reason is not access.Reason.SELF and not refreshing():
        # A form sent (a review booked, a payment started) is told apart from a look.
        sent = request.method == "POST"
        action = (request.endpoint or "") + (CHANGED if sent else "")
        audit.record(deps().store, person_id, g.signed_in.account_id,
                     decision.actor_name or "", decision.role or "", action, utcnow(),
                     sent_a_form=sent)
    return None
