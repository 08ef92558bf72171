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
import dataclasses
import hashlib
import json
import secrets
import shlex
import signal
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import Flask
from joserfc.jwk import RSAKey
from werkzeug.exceptions import NotFound
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

from portal import charging_rules, config
from portal.config import Config
from portal.councils import WALES, BackOffice, Council, Councils, Pay
from portal.messages import TEMPLATES, sandbox_template_ids
from portal.sandbox.backoffice import data as demo_data
from portal.sandbox.backoffice import state as backoffice_state
from portal.sandbox.backoffice.app import create_app as create_backoffice
from portal.sandbox.identity.app import RegisteredClient
from portal.sandbox.identity.app import create_app as create_identity
from portal.sandbox.notify.app import create_app as create_notify
from portal.sandbox.notify.state import Service, Template
from portal.sandbox.pay.app import create_app as create_pay
from portal.sandbox.pay.state import Account


@dataclass
class Running:
    servers: dict[str, BaseWSGIServer]
    # Each council's back office, by council code, as the sandbox serves it.
    back_offices: dict[str, Flask] = field(default_factory=dict)
    # Each council's account in the sandbox Pay, by council code.
    pay_accounts: dict[str, Account] = field(default_factory=dict)

    def back_office(self, council: str | None = None) -> backoffice_state.BackOffice:
        """What a council's sandbox back office holds (the first council's, unless
        another is named)."""
        app = self.back_offices[council] if council else next(iter(self.back_offices.values()))
        return backoffice_state.of(app)

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()


def serve(app: object, port: int, name: str) -> BaseWSGIServer:
    """Serve a WSGI app on 127.0.0.1:port from a daemon thread."""
    server = make_server("127.0.0.1", port, app, threaded=True)  # type: ignore[arg-type]
    threading.Thread(target=server.serve_forever, name=f"sandbox-{name}", daemon=True).start()
    return server


# The other councils of embedded mode: code, phone (Ofcom's drama range) and email.
DEMO_COUNCILS = ((demo_data.CEREDIGION, "01632 960 800", "gofal@ceredigion.example.gov.wales"),
                 (demo_data.MERTHYR_TUDFUL, "01632 960 900", "gofal@merthyr.example.gov.wales"))
# The postcode districts of embedded mode's councils, as a council's file would give
# them (a district two councils share, like CF46, is in both where both are served).
DEMO_DISTRICTS = {
    demo_data.GWYNEDD: frozenset({"LL23", "LL35", "LL36", "LL37", "LL38", "LL39", "LL40",
                                  "LL41", "LL42", "LL43", "LL44", "LL45", "LL46", "LL47",
                                  "LL48", "LL49", "LL51", "LL52", "LL53", "LL54", "LL55",
                                  "LL56", "LL57"}),
    demo_data.CEREDIGION: frozenset({"SY23", "SY24", "SY25", "SA38", "SA40", "SA43", "SA44",
                                     "SA45", "SA46", "SA47", "SA48"}),
    demo_data.MERTHYR_TUDFUL: frozenset({"CF46", "CF47", "CF48"}),
}
# A council's own choice in charging, as a council's file would give it: in embedded
# mode, Merthyr Tudful charges no more than £80 a week (an example, not its policy).
DEMO_CHARGING = {
    demo_data.MERTHYR_TUDFUL: (charging_rules.Figure(
        "weekly_maximum", Decimal("80.00"), "pounds", date(2026, 4, 6),
        {"en": "Example only (embedded mode): a council's own charging policy",
         "cy": "Enghraifft yn unig (modd mewnosodedig): polisi codi ffioedd cyngor ei hun"},
        demo_data.MERTHYR_TUDFUL),),
}


def demo_councils(settings: Config) -> Councils:
    """Embedded mode's councils: those the demo people live in. The settings' own
    council (Gwynedd) first, then Ceredigion and Merthyr Tudful, each with a back
    office of its own on the sandbox back office's port (under its code), its own
    account in the sandbox Pay and its own contact details."""
    first = settings.councils.first
    first = dataclasses.replace(first, postcode_districts=DEMO_DISTRICTS.get(first.code,
                                                                             frozenset()))
    others = [Council(
        code=code, names=dict(zip(("cy", "en"), WALES[code], strict=True)),
        back_office=BackOffice(f"{first.back_office.url.rstrip('/')}/{code}",
                               f"sandbox-backoffice-key-{code}"),
        pay=Pay(f"api_test_sandbox{code.lower()}{first.pay.api_key[-24:]}",
                hashlib.sha256(f"{code}:{first.pay.webhook_secret}".encode()).hexdigest()),
        phone=phone, email=email, carer_support=first.carer_support,
        postcode_districts=DEMO_DISTRICTS[code], charging=DEMO_CHARGING.get(code, ()))
        for code, phone, email in DEMO_COUNCILS if code != first.code]
    return Councils([first, *others])


def start(settings: Config, ports: dict[str, int]) -> Running:
    """Start every sandbox the configuration points at, registered for this portal: a
    back office for each council whose address is on the sandbox back office's port
    (one council's demo people each, when there are several), and an account in the
    sandbox Pay for each council."""
    public_key = RSAKey.import_key(settings.IDENTITY_PRIVATE_KEY_PEM).as_pem(private=False)
    identity = create_identity(settings.IDENTITY_ISSUER, [RegisteredClient(
        client_id=settings.IDENTITY_CLIENT_ID,
        public_key_pem=public_key.decode(),
        redirect_uris=(f"{settings.BASE_URL}/sign-in/callback",),
        post_logout_redirect_uris=(f"{settings.BASE_URL}/signed-out",),
        back_channel_logout_uri=f"{settings.BASE_URL}/sign-in/back-channel-logout",
    )])
    served = settings.councils
    # The councils of each back office this machine serves, by the path it is at.
    sharing: dict[str, list[Council]] = {}
    for council in served:
        at = urlsplit(council.back_office.url)
        if at.port == ports["backoffice"]:
            sharing.setdefault(at.path.rstrip("/"), []).append(council)
    back_offices: dict[str, Flask] = {}
    mounted: dict[str, WSGIApplication] = {}
    for path, its_councils in sharing.items():
        # One back office for one council of several holds that council's demo people;
        # one alone, or shared, holds every demo person.
        own = its_councils[0].code if len(sharing) > 1 and len(its_councils) == 1 else None
        app = create_backoffice(api_key=its_councils[0].back_office.api_key, council=own)
        back_offices.update({council.code: app for council in its_councils})
        mounted[path] = app
    root = mounted.pop("", None) or NotFound()
    backoffice = DispatcherMiddleware(root, mounted) if mounted else root
    # Notify's national service, and the own service of each council that has one
    # (an API key ends with the service's id and its secret, as Notify's do).
    notify = create_notify(
        Service(service_id=settings.NOTIFY_API_KEY[-73:-37], secret=settings.NOTIFY_API_KEY[-36:],
                callback_url=f"{settings.BASE_URL}/notify/receipts",
                callback_token=settings.NOTIFY_CALLBACK_TOKEN),
        [Template(id=ids[t.name], type=t.channel, name=t.name, body=t.body, subject=t.subject)
         for ids in (settings.NOTIFY_TEMPLATE_IDS,
                     *(c.notify.template_ids for c in served if c.notify is not None))
         for t in TEMPLATES],
        others=tuple(Service(service_id=c.notify.api_key[-73:-37], secret=c.notify.api_key[-36:],
                             callback_url=f"{settings.BASE_URL}/notify/receipts/{c.code}",
                             callback_token=c.notify.callback_token)
                     for c in served if c.notify is not None))
    pay_accounts = {council.code: Account(
        api_key=council.pay.api_key, signing_secret=council.pay.webhook_secret,
        webhook_url=f"{settings.BASE_URL}/pay/webhooks/{council.code}") for council in served}
    pay = create_pay(*pay_accounts.values())
    return Running(servers={
        "backoffice": serve(backoffice, ports["backoffice"], "backoffice"),
        "identity": serve(identity, ports["identity"], "identity"),
        "notify": serve(notify, ports["notify"], "notify"),
        "pay": serve(pay, ports["pay"], "pay"),
    }, back_offices=back_offices, pay_accounts=pay_accounts)


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
