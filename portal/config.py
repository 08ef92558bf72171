"""All configuration, read from environment variables in one place.

Defaults run the embedded mode (SQLite, the sandboxes on loopback). Production
sets every service URL and secret; secrets have no default outside embedded mode.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("PORTAL_INSTANCE_DIR", PROJECT_ROOT / "instance"))

# Loopback ports of the sandboxes in embedded mode, one service per port,
# each at the root of its host like the real services.
SANDBOX_PORTS = {"backoffice": 8101, "identity": 8102, "notify": 8103, "pay": 8104}
# The sandbox Notify's service and key: not secrets, they exist only on this machine.
SANDBOX_NOTIFY_KEY = ("portal_sandbox-5c4f1bd2-6a3e-4c1f-9f55-0d6f7a9c2e11-"
                      "2b9e4e57-3c0a-4f5d-8d2c-7e6a1f0b9c34")
# The sandbox Pay account's API key, shaped like a Pay test key.
SANDBOX_PAY_KEY = "api_test_sandbox4care4portal7b2e9d0c1a5f3e8b6d4c2a0f9e7d5c3b1a"
# The Welsh Government's weekly maximum charge for non-residential care, in pence.
WEEKLY_MAXIMUM_CHARGE_PENCE = 10000


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _required(name: str) -> str:
    value = _env(name)
    if value is None:
        raise RuntimeError(f"{name} must be set outside embedded mode")
    return value


@dataclass
class Config:
    """Settings for one portal process."""

    MODE: str
    SECRET_KEY: str
    DATABASE_URL: str
    BASE_URL: str
    BACKOFFICE_URL: str
    BACKOFFICE_API_KEY: str
    BACKOFFICE_CONNECT_TIMEOUT: float
    BACKOFFICE_READ_TIMEOUT: float
    IDENTITY_ISSUER: str
    IDENTITY_CLIENT_ID: str
    IDENTITY_PRIVATE_KEY_PEM: str
    SESSION_COOKIE_SECURE: bool
    NOTIFY_API_KEY: str = ""
    NOTIFY_BASE_URL: str = ""
    NOTIFY_TEMPLATE_IDS: dict[str, str] = field(default_factory=dict)
    NOTIFY_CALLBACK_TOKEN: str = ""
    OUTBOX_MAX_PER_MINUTE: int = 2950
    # How often the outbox worker looks for new messages from the care team.
    MESSAGES_FOLLOW_SECONDS: float = 15.0
    PAY_API_KEY: str = ""
    PAY_BASE_URL: str = ""
    # Where Pay's payment pages are (the host of its next_url): forms here may lead there.
    PAY_PAGES_URL: str = ""
    # The signing secret of the webhook registered with Pay for <BASE_URL>/pay/webhooks.
    PAY_WEBHOOK_SECRET: str = ""
    WEEKLY_MAXIMUM_CHARGE_PENCE: int = WEEKLY_MAXIMUM_CHARGE_PENCE
    SESSION_IDLE_MINUTES: int = 30
    SESSION_ABSOLUTE_HOURS: int = 12
    LINK_MAX_TRIES: int = 5
    LINK_LOCK_MINUTES: int = 30
    RATELIMIT_STORAGE_URI: str = "memory://"
    # Names this portal's counts in a store others may share.
    RATELIMIT_KEY_PREFIX: str = "care-portal"
    # Back-office reads kept (portal/clients/cache.py): redis://, memory:// or "" (none).
    BACKOFFICE_CACHE_URL: str = ""
    BACKOFFICE_CACHE_SECONDS: int = 30
    # How many proxies in front set X-Forwarded-For (so limits count real addresses).
    PROXIES: int = 0
    SUPPORT_PHONE: str = "0300 123 4567"
    SUPPORT_EMAIL: str = "gofal@example.gov.wales"
    # The council's own support for carers, in Welsh and English (CARER_SUPPORT_FILE).
    CARER_SUPPORT: dict[str, list[dict[str, str]]] = field(
        default_factory=lambda: _carer_support(None))
    extra: dict[str, object] = field(default_factory=dict)

    def as_flask(self) -> dict[str, object]:
        values = {k: v for k, v in self.__dict__.items() if k != "extra"}
        values.update(self.extra)
        return values


def embedded_private_key() -> str:
    """The portal's sign-in client key for embedded mode, made once per machine."""
    path = INSTANCE_DIR / "identity-client-key.pem"
    if not path.exists():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        path.chmod(0o600)
    return path.read_text()


def load() -> Config:
    """Build the configuration from the environment."""
    mode = _env("PORTAL_MODE") or "embedded"
    if mode == "embedded":
        port = int(_env("PORT", "8000") or 8000)
        ports = sandbox_ports()
        return Config(
            MODE=mode,
            SECRET_KEY=_env("SECRET_KEY") or _embedded_secret(),
            DATABASE_URL=_env("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'portal.db'}") or "",
            BASE_URL=_env("BASE_URL", f"http://127.0.0.1:{port}") or "",
            BACKOFFICE_URL=_env("BACKOFFICE_URL", f"http://127.0.0.1:{ports['backoffice']}") or "",
            BACKOFFICE_API_KEY=_env("BACKOFFICE_API_KEY", "sandbox-backoffice-key") or "",
            BACKOFFICE_CONNECT_TIMEOUT=float(_env("BACKOFFICE_CONNECT_TIMEOUT", "2") or 2),
            BACKOFFICE_READ_TIMEOUT=float(_env("BACKOFFICE_READ_TIMEOUT", "5") or 5),
            IDENTITY_ISSUER=_env("IDENTITY_ISSUER", f"http://127.0.0.1:{ports['identity']}/") or "",
            IDENTITY_CLIENT_ID=_env("IDENTITY_CLIENT_ID", "care-portal-local") or "",
            IDENTITY_PRIVATE_KEY_PEM=_env("IDENTITY_PRIVATE_KEY_PEM") or embedded_private_key(),
            SESSION_COOKIE_SECURE=False,
            NOTIFY_API_KEY=_env("NOTIFY_API_KEY", SANDBOX_NOTIFY_KEY) or "",
            NOTIFY_BASE_URL=_env("NOTIFY_BASE_URL", f"http://127.0.0.1:{ports['notify']}") or "",
            NOTIFY_TEMPLATE_IDS=_template_ids(_env("NOTIFY_TEMPLATE_IDS")),
            NOTIFY_CALLBACK_TOKEN=_env("NOTIFY_CALLBACK_TOKEN") or _embedded_secret()[:32],
            PAY_API_KEY=_env("PAY_API_KEY", SANDBOX_PAY_KEY) or "",
            PAY_BASE_URL=_env("PAY_BASE_URL", f"http://127.0.0.1:{ports['pay']}") or "",
            PAY_PAGES_URL=_env("PAY_PAGES_URL", f"http://127.0.0.1:{ports['pay']}") or "",
            PAY_WEBHOOK_SECRET=_env("PAY_WEBHOOK_SECRET") or _embedded_derived("pay-webhook"),
            WEEKLY_MAXIMUM_CHARGE_PENCE=_weekly_maximum(),
            BACKOFFICE_CACHE_URL=_env("BACKOFFICE_CACHE_URL", "memory://") or "",
            BACKOFFICE_CACHE_SECONDS=_cache_seconds(),
            MESSAGES_FOLLOW_SECONDS=_follow_seconds(),
        )
    return Config(
        MODE=mode,
        SECRET_KEY=_required("SECRET_KEY"),
        DATABASE_URL=_required("DATABASE_URL"),
        BASE_URL=_required("BASE_URL"),
        BACKOFFICE_URL=_required("BACKOFFICE_URL"),
        BACKOFFICE_API_KEY=_required("BACKOFFICE_API_KEY"),
        BACKOFFICE_CONNECT_TIMEOUT=float(_env("BACKOFFICE_CONNECT_TIMEOUT", "2") or 2),
        BACKOFFICE_READ_TIMEOUT=float(_env("BACKOFFICE_READ_TIMEOUT", "5") or 5),
        IDENTITY_ISSUER=_required("IDENTITY_ISSUER"),
        IDENTITY_CLIENT_ID=_required("IDENTITY_CLIENT_ID"),
        IDENTITY_PRIVATE_KEY_PEM=_required("IDENTITY_PRIVATE_KEY_PEM"),
        SESSION_COOKIE_SECURE=True,
        RATELIMIT_STORAGE_URI=_required("RATELIMIT_STORAGE_URI"),
        RATELIMIT_KEY_PREFIX=_env("RATELIMIT_KEY_PREFIX", "care-portal") or "",
        NOTIFY_API_KEY=_required("NOTIFY_API_KEY"),
        NOTIFY_BASE_URL=_env("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk") or "",
        NOTIFY_TEMPLATE_IDS=_template_ids(_required("NOTIFY_TEMPLATE_IDS")),
        NOTIFY_CALLBACK_TOKEN=_required("NOTIFY_CALLBACK_TOKEN"),
        PAY_API_KEY=_required("PAY_API_KEY"),
        PAY_BASE_URL=_env("PAY_BASE_URL", "https://publicapi.payments.service.gov.uk") or "",
        PAY_PAGES_URL=_env("PAY_PAGES_URL", "https://card.payments.service.gov.uk") or "",
        PAY_WEBHOOK_SECRET=_required("PAY_WEBHOOK_SECRET"),
        WEEKLY_MAXIMUM_CHARGE_PENCE=_weekly_maximum(),
        OUTBOX_MAX_PER_MINUTE=int(_env("OUTBOX_MAX_PER_MINUTE", "2950") or 2950),
        MESSAGES_FOLLOW_SECONDS=_follow_seconds(),
        BACKOFFICE_CACHE_URL=_env("BACKOFFICE_CACHE_URL", "") or "",
        BACKOFFICE_CACHE_SECONDS=_cache_seconds(),
        PROXIES=int(_env("PROXIES", "1") or 1),
        SUPPORT_PHONE=_env("SUPPORT_PHONE", "0300 123 4567") or "",
        SUPPORT_EMAIL=_env("SUPPORT_EMAIL", "gofal@example.gov.wales") or "",
        CARER_SUPPORT=_carer_support(_env("CARER_SUPPORT_FILE")),
    )


def sandbox_ports() -> dict[str, int]:
    """Sandbox ports, each overridable (SANDBOX_BACKOFFICE_PORT, ...)."""
    return {
        name: int(_env(f"SANDBOX_{name.upper()}_PORT", str(default)) or default)
        for name, default in SANDBOX_PORTS.items()
    }


def _embedded_derived(purpose: str) -> str:
    """A secret for one purpose, derived from the embedded secret key."""
    import hashlib

    return hashlib.sha256(f"{purpose}:{_embedded_secret()}".encode()).hexdigest()


def _weekly_maximum() -> int:
    return int(_env("WEEKLY_MAXIMUM_CHARGE_PENCE", str(WEEKLY_MAXIMUM_CHARGE_PENCE))
               or WEEKLY_MAXIMUM_CHARGE_PENCE)


def _cache_seconds() -> int:
    return int(_env("BACKOFFICE_CACHE_SECONDS", "30") or 30)


def _embedded_secret() -> str:
    path = INSTANCE_DIR / "secret-key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _carer_support(path: str | None) -> dict[str, list[dict[str, str]]]:
    """CARER_SUPPORT_FILE: the council's own support for carers, as JSON holding a list
    for "cy" and one for "en" of {"title", "text", and optionally "url"}. Without it,
    portal/content/carer-support.json, which points to support across Wales."""
    import json

    source = Path(path) if path else Path(__file__).parent / "content" / "carer-support.json"
    try:
        content = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RuntimeError(f"CARER_SUPPORT_FILE cannot be read: {error}") from error
    items_ok = isinstance(content, dict) and all(
        isinstance(content.get(language), list) and all(
            isinstance(item, dict) and isinstance(item.get("title"), str)
            and isinstance(item.get("text"), str)
            and isinstance(item.get("url", ""), str) for item in content[language])
        for language in ("cy", "en"))
    if not items_ok:
        raise RuntimeError("CARER_SUPPORT_FILE must hold a list for cy and for en of items "
                           "with a title and a text (and an optional url)")
    return {language: content[language] for language in ("cy", "en")}


def _template_ids(value: str | None) -> dict[str, str]:
    """NOTIFY_TEMPLATE_IDS: JSON of template name (portal/messages.py) -> Notify id
    (`python -m portal.notify_templates` lists them). Embedded mode uses the
    sandbox's stable ids."""
    import json

    from portal.messages import sandbox_template_ids
    from portal.notify_templates import problems

    try:
        ids = json.loads(value) if value else sandbox_template_ids()
    except ValueError as error:
        raise RuntimeError(f"NOTIFY_TEMPLATE_IDS is not JSON: {error}") from error
    wrong = problems(ids)
    if wrong:
        raise RuntimeError("NOTIFY_TEMPLATE_IDS: " + "; ".join(wrong))
    return dict(ids)


def _follow_seconds() -> float:
    return float(_env("MESSAGES_FOLLOW_SECONDS", "15") or 15)
