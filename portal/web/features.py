"""The parts of the service a council has switched on (portal.councils.FEATURES).

A view that does one of them carries `@offered(feature)` beneath its access rule,
so that it is asked only once access to the person is decided: where the person's
council has the feature off, the page says so and how to do it with the council
instead, and nothing is done. Templates ask `council.offers(feature)` to leave out
what would lead there (a "Pay now" button, the "Messages" link)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, render_template

from portal.councils import FEATURES
from portal.dependencies import deps


def offered(feature: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A view of something the person's council may have switched off."""
    if feature not in FEATURES:
        raise ValueError(f"unknown feature {feature!r}")

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            council = deps().councils.holding(g.person_id) or deps().council
            if not council.offers(feature):
                return render_template("not_offered.html", feature=feature,
                                       their_council=council)
            return view(*args, **kwargs)

        return guarded

    return decorate
