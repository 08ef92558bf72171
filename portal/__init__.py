"""The care portal: a bilingual Welsh and English Flask application."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from portal import config as portal_config
from portal import logs
from portal.clients.backoffice import BackOfficeClient
from portal.clients.identity import IdentityClient
from portal.clients.notify import NotifyClient
from portal.clients.pay import PayClient
from portal.councils import Councils
from portal.dependencies import Dependencies
from portal.services.accounts import LinkPolicy, SessionPolicy
from portal.store import Store


def create_app(settings: portal_config.Config | None = None) -> Flask:
    """The application factory."""
    settings = settings or portal_config.load_or_exit()
    app = Flask(__name__, static_folder=None)
    from portal.web.templating import Environment

    app.jinja_environment = Environment
    app.config.update(settings.as_flask())
    app.config.update(
        SESSION_COOKIE_NAME="portal_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,  # the session's own limits apply
    )
    logs.configure(json_lines=settings.MODE != "embedded")
    councils = settings.councils
    app.extensions["portal"] = Dependencies(
        store=Store(settings.DATABASE_URL),
        backoffice=_backoffice(settings, councils),
        identity=IdentityClient(settings.IDENTITY_ISSUER, settings.IDENTITY_CLIENT_ID,
                                settings.IDENTITY_PRIVATE_KEY_PEM),
        notify=NotifyClient(settings.NOTIFY_API_KEY, settings.NOTIFY_BASE_URL,
                            settings.NOTIFY_TEMPLATE_IDS),
        pays={c.code: PayClient(settings.PAY_BASE_URL, c.pay.api_key) for c in councils},
        notifies={c.code: NotifyClient(c.notify.api_key, settings.NOTIFY_BASE_URL,
                                       dict(c.notify.template_ids))
                  for c in councils if c.notify is not None},
        sessions=SessionPolicy(idle=timedelta(minutes=settings.SESSION_IDLE_MINUTES),
                               absolute=timedelta(hours=settings.SESSION_ABSOLUTE_HOURS)),
        linking=LinkPolicy(max_tries=settings.LINK_MAX_TRIES,
                           lock_for=timedelta(minutes=settings.LINK_LOCK_MINUTES)),
        service_url=settings.BASE_URL,
        councils=councils,
    )

    from portal.web.sessions import ServerSessionInterface

    app.session_interface = ServerSessionInterface(
        app.extensions["portal"].store, timedelta(hours=settings.SESSION_ABSOLUTE_HOURS))

    from portal.web import assets

    assets.install(app)
    if settings.PROXIES:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.PROXIES,  # type: ignore[method-assign]
                                x_proto=settings.PROXIES, x_host=settings.PROXIES)

    from portal.web import register

    app.extensions["csrf"] = CSRFProtect(app)
    register(app, form_targets=[_origin(settings.IDENTITY_ISSUER),
                                _origin(settings.PAY_PAGES_URL or settings.PAY_BASE_URL)])

    from portal import cli

    cli.register(app)
    return app


def _backoffice(settings: portal_config.Config, councils: Councils) -> BackOfficeClient:
    """The client of every council's back office, its reads kept in the configured
    cache if there is one (under the record's key, which names its council)."""
    from portal.clients.cache import CachedBackOfficeClient, make_cache

    back_offices = {council.code: council.back_office for council in councils}
    cache = make_cache(settings.BACKOFFICE_CACHE_URL, back_offices)
    if cache is None or settings.BACKOFFICE_CACHE_SECONDS <= 0:
        return BackOfficeClient(back_offices, settings.BACKOFFICE_CONNECT_TIMEOUT,
                                settings.BACKOFFICE_READ_TIMEOUT)
    return CachedBackOfficeClient(back_offices,
                                  settings.BACKOFFICE_CONNECT_TIMEOUT,
                                  settings.BACKOFFICE_READ_TIMEOUT, cache,
                                  settings.BACKOFFICE_CACHE_SECONDS)


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
