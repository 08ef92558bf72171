"""Who may reach a page. Every route names one of these guards, or is public.

For now the only people who act are people looking at their own record; the
decision point for acting on someone else's behalf grows here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, redirect, request, session, url_for

PUBLIC = "public"
SIGNED_IN = "signed-in"
LINKED = "linked"


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Anyone may see this page."""
    view.access = PUBLIC  # type: ignore[attr-defined]
    return view


def signed_in_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in, linked to a record or not."""
    return _guard(view, SIGNED_IN)


def linked_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Signed in and linked to a care record: g.person_id is whose record to show."""
    return _guard(view, LINKED)


def _guard(view: Callable[..., Any], access: str) -> Callable[..., Any]:
    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if g.signed_in is None:
            # Back to this page after signing in.
            session["next"] = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("auth.sign_in"))
        if access == LINKED:
            if g.signed_in.person_id is None:
                return redirect(url_for("link.link_record"))
            g.person_id = g.signed_in.person_id
        return view(*args, **kwargs)

    guarded.access = access  # type: ignore[attr-defined]
    return guarded
