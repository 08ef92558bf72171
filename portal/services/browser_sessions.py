"""What a browser's session holds, kept on the server: the cookie is the id alone,
so nothing a person types (review answers, names) travels in it or outgrows it."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import bindparam, delete, select

from portal.store import Store
from portal.store.models import BrowserSession


def new_id() -> str:
    return secrets.token_urlsafe(32)


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


_LOAD = select(BrowserSession.data, BrowserSession.expires_at).where(
    BrowserSession.id_hash == bindparam("id_hash"))


def load(store: Store, session_id: str, now: datetime) -> str | None:
    """The session's data as saved, or None if there is no such live session."""
    with store.reading() as connection:
        row = connection.execute(_LOAD, {"id_hash": _hash(session_id)}).first()
    return str(row.data) if row is not None and row.expires_at > now else None


def save(store: Store, session_id: str, data: str, expires_at: datetime) -> None:
    with store.transaction() as db:
        row = db.get(BrowserSession, _hash(session_id))
        if row is None:
            db.add(BrowserSession(id_hash=_hash(session_id), data=data, expires_at=expires_at))
        else:
            row.data, row.expires_at = data, expires_at


def forget(store: Store, session_id: str) -> None:
    with store.transaction() as db:
        db.execute(delete(BrowserSession).where(BrowserSession.id_hash == _hash(session_id)))


def clear_expired(store: Store, now: datetime) -> int:
    """Delete sessions past their time; how many went."""
    with store.transaction() as db:
        result = db.execute(delete(BrowserSession).where(BrowserSession.expires_at <= now))
        return int(result.rowcount)  # type: ignore[attr-defined]
