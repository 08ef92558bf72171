"""Flask sessions kept on the server (portal.services.browser_sessions): the
cookie holds a random id and nothing else, has no expiry date (it goes when the
browser closes), and is replaced whenever someone signs in or out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin, session_json_serializer
from werkzeug.datastructures import CallbackDict

from portal.clock import utcnow
from portal.services import browser_sessions
from portal.store import Store
from portal.web import assets


class ServerSession(CallbackDict[str, Any], SessionMixin):
    def __init__(self, initial: dict[str, Any] | None = None, session_id: str | None = None):
        def on_update(_self: Any) -> None:
            self.modified = True

        super().__init__(initial, on_update)
        self.session_id = session_id
        # Who was signed in when the request began: a change means a new id.
        self.signed_in_as = (initial or {}).get("sid")
        self.modified = False


class ServerSessionInterface(SessionInterface):
    def __init__(self, store: Store, lifetime: timedelta) -> None:
        self.store = store
        self.lifetime = lifetime

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if request.path.startswith(assets.PREFIX):
            return self.make_null_session(app)
        session_id = request.cookies.get(self.get_cookie_name(app))
        if session_id and len(session_id) <= 64:
            data = browser_sessions.load(self.store, session_id, utcnow())
            if data is not None:
                return ServerSession(session_json_serializer.loads(data), session_id)
        return ServerSession()

    def save_session(self, app: Flask, session: SessionMixin,  # type: ignore[override]
                     response: Response) -> None:
        if not isinstance(session, ServerSession):
            return
        name, domain, path = (self.get_cookie_name(app), self.get_cookie_domain(app),
                              self.get_cookie_path(app))
        renew = session.session_id is not None and session.get("sid") != session.signed_in_as
        if session.session_id is not None and (not session or renew):
            browser_sessions.forget(self.store, session.session_id)
            if not session:
                response.delete_cookie(name, domain=domain, path=path)
                return
        if not session or not (session.modified or renew):
            return
        session_id = browser_sessions.new_id() \
            if session.session_id is None or renew else session.session_id
        browser_sessions.save(self.store, session_id, session_json_serializer.dumps(dict(session)),
                              utcnow() + self.lifetime)
        if session_id != session.session_id:
            response.set_cookie(
                name, session_id, domain=domain, path=path,
                httponly=self.get_cookie_httponly(app), secure=self.get_cookie_secure(app),
                samesite=self.get_cookie_samesite(app))
        response.vary.add("Cookie")
