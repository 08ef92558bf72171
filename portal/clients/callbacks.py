"""What other services send to the portal (Notify's receipts, Pay's webhooks), read
with suspicion: a credential compared in constant time whatever bytes it holds,
and a JSON body taken only if it is an object whose fields fit where they go."""

from __future__ import annotations

import hmac
import json
from typing import Any


def same_secret(given: str | None, expected: str) -> bool:
    """Whether a header carries the secret we expect; any text at all may arrive."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode())


def json_object(body: bytes) -> dict[str, Any] | None:
    """The JSON object in a body, or None for anything else: not JSON, not an object,
    nested deeper than Python will read."""
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return message if isinstance(message, dict) else None


def text(message: dict[str, Any], key: str, longest: int) -> str | None:
    """A field that must be short text: None when it is missing, not a string or a
    number, too long for where it is kept, or holds NUL (which PostgreSQL refuses)."""
    value = message.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    value = str(value)
    return value if 0 < len(value) <= longest and "\x00" not in value else None
