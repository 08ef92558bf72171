"""Rate limits on the doors people guess at: sign-in, linking a record,
redeeming a code and back-channel logout. Counted in memory locally, in a shared store (Redis) in
production, set by RATELIMIT_STORAGE_URI."""

from __future__ import annotations

from flask import g, request
from flask_limiter import Limiter


def _who() -> str:
    # Per sign-in where there is one, else per address.
    signed_in = g.get("signed_in")
    return f"account:{signed_in.account_id}" if signed_in else f"ip:{request.remote_addr}"


limiter = Limiter(key_func=_who)

SIGN_IN = "20 per 10 minutes"
GUESSES = "10 per 10 minutes"
# Logout tokens refused from one address (the provider's own are never refused).
REFUSED_LOGOUTS = "30 per minute"
