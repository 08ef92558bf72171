"""Starting the sandboxes on loopback, each on its own port, for embedded mode
and for tests that talk to them over real HTTP."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server

from portal.config import Config
from portal.messages import TEMPLATES
from portal.sandbox.backoffice.app import create_app as create_backoffice
from portal.sandbox.identity.app import RegisteredClient
from portal.sandbox.identity.app import create_app as create_identity
from portal.sandbox.notify.app import Service, Template
from portal.sandbox.notify.app import create_app as create_notify
from portal.sandbox.pay.app import Account
from portal.sandbox.pay.app import create_app as create_pay


@dataclass
class Running:
    servers: dict[str, BaseWSGIServer]

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()


def serve(app: object, port: int, name: str) -> BaseWSGIServer:
    """Serve a WSGI app on 127.0.0.1:port from a daemon thread."""
    server = make_server("127.0.0.1", port, app, threaded=True)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, name=f"sandbox-{name}", daemon=True).start()
    return server


def start(settings: Config, ports: dict[str, int]) -> Running:
    """Start every sandbox the configuration points at, registered for this portal."""
    public_key = RSAKey.import_key(settings.IDENTITY_PRIVATE_KEY_PEM).as_pem(private=False)
    identity = create_identity(settings.IDENTITY_ISSUER, [RegisteredClient(
        client_id=settings.IDENTITY_CLIENT_ID,
        public_key_pem=public_key.decode(),
        redirect_uris=(f"{settings.BASE_URL}/sign-in/callback",),
        post_logout_redirect_uris=(f"{settings.BASE_URL}/signed-out",),
    )])
    backoffice = create_backoffice(api_key=settings.BACKOFFICE_API_KEY)
    notify = create_notify(
        Service(service_id=settings.NOTIFY_API_KEY[-73:-37], secret=settings.NOTIFY_API_KEY[-36:],
                callback_url=f"{settings.BASE_URL}/notify/receipts",
                callback_token=settings.NOTIFY_CALLBACK_TOKEN),
        [Template(id=settings.NOTIFY_TEMPLATE_IDS[t.name], type=t.channel, name=t.name,
                  body=t.body, subject=t.subject) for t in TEMPLATES])
    pay = create_pay(Account(api_key=settings.PAY_API_KEY,
                             signing_secret=settings.PAY_WEBHOOK_SECRET,
                             webhook_url=f"{settings.BASE_URL}/pay/webhooks"))
    return Running(servers={
        "backoffice": serve(backoffice, ports["backoffice"], "backoffice"),
        "identity": serve(identity, ports["identity"], "identity"),
        "notify": serve(notify, ports["notify"], "notify"),
        "pay": serve(pay, ports["pay"], "pay"),
    })
