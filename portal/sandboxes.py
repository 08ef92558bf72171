"""The sandboxes on loopback, each on its own port: started in-process by embedded
mode and by tests, or as a process of their own for a production-shaped run on one
machine (the portal in gunicorn, the outbox worker, the sandboxes; README):

    python -m portal.sandboxes env > production-local.env   # settings for the three
    set -a; . ./production-local.env; set +a
    python -m portal.sandboxes                                # serve until stopped

Run as a process, they read the portal's own settings (portal/config.py), so they
know its sign-in key, callback addresses and Notify templates, and each serves on
the port of the address the portal is given for it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import secrets
import shlex
import signal
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from joserfc.jwk import RSAKey
from werkzeug.serving import BaseWSGIServer, make_server

from portal import config
from portal.config import Config
from portal.messages import TEMPLATES, sandbox_template_ids
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
        back_channel_logout_uri=f"{settings.BASE_URL}/sign-in/back-channel-logout",
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


def ports_of(settings: Config) -> dict[str, int]:
    """Each sandbox's port: the one in the address the portal is given for it."""
    urls = {"backoffice": settings.BACKOFFICE_URL, "identity": settings.IDENTITY_ISSUER,
            "notify": settings.NOTIFY_BASE_URL, "pay": settings.PAY_BASE_URL}
    return {name: urlsplit(url).port or 80 for name, url in urls.items()}


def local_environment(base_url: str, database_url: str,
                      ports: dict[str, int] | None = None) -> dict[str, str]:
    """The settings of a production-mode portal (and of these sandboxes) that uses the
    sandboxes on this machine (on the ports SANDBOX_*_PORT choose), with fresh
    secrets and a fresh sign-in key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    ports = ports or config.sandbox_ports()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    sandbox = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    return {
        "PORTAL_MODE": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database_url,
        "BASE_URL": base_url,
        "COUNCIL_CODE": "W06000002",  # Gwynedd, whose sandbox back office this is
        "BACKOFFICE_URL": sandbox["backoffice"],
        "BACKOFFICE_API_KEY": secrets.token_urlsafe(24),
        "IDENTITY_ISSUER": sandbox["identity"] + "/",
        "IDENTITY_CLIENT_ID": "care-portal-local",
        "IDENTITY_PRIVATE_KEY_PEM": key,
        "NOTIFY_API_KEY": config.SANDBOX_NOTIFY_KEY,
        "NOTIFY_BASE_URL": sandbox["notify"],
        "NOTIFY_TEMPLATE_IDS": json.dumps(sandbox_template_ids()),
        "NOTIFY_CALLBACK_TOKEN": secrets.token_urlsafe(24),
        "PAY_API_KEY": config.SANDBOX_PAY_KEY,
        "PAY_BASE_URL": sandbox["pay"],
        "PAY_PAGES_URL": sandbox["pay"],
        "PAY_WEBHOOK_SECRET": secrets.token_hex(32),
        "RATELIMIT_STORAGE_URI": "memory://",
        # No cache shared between processes without Redis (--redis-url to have one).
        "BACKOFFICE_CACHE_URL": "",
        # Nothing in front of the portal on one machine.
        "PROXIES": "0",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m portal.sandboxes", description=(
        "Serve the sandbox back office, sign-in provider, Notify and Pay for a portal "
        "with the same settings; or, with `env`, write those settings."))
    commands = parser.add_subparsers(dest="command")
    env = commands.add_parser("env", help="print settings for a local production-mode run")
    env.add_argument("--base-url", default="http://127.0.0.1:8000")
    env.add_argument("--database-url",
                     default=f"sqlite:///{config.INSTANCE_DIR / 'production-local.db'}")
    env.add_argument("--redis-url", default="",
                     help="e.g. redis://127.0.0.1:6379/0: the rate limits and back-office "
                          "cache every process shares")
    arguments = parser.parse_args(argv)
    if arguments.command == "env":
        values = local_environment(arguments.base_url, arguments.database_url)
        if arguments.redis_url:
            values["RATELIMIT_STORAGE_URI"] = values["BACKOFFICE_CACHE_URL"] = arguments.redis_url
        for name, value in values.items():
            print(f"{name}={shlex.quote(value)}")
        return
    settings = config.load_or_exit()
    running = start(settings, ports_of(settings))
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    for name, server in running.servers.items():
        print(f"Sandbox {name}: http://127.0.0.1:{server.server_port}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        stopped.wait()
    running.stop()


if __name__ == "__main__":
    main()
