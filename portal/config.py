"""All configuration, read from environment variables in one place.

Defaults run the embedded mode (SQLite, the sandboxes on loopback). Production
sets every service URL and secret; secrets have no default outside embedded mode.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from portal import councils
from portal.councils import Councils

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


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


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
    COUNCILS_FILE: str = ""
    # The GSS code of the council the single-council settings above describe.
    COUNCIL_CODE: str = "W06000002"
    # The councils COUNCILS_FILE describes, when it is given (portal/councils.py).
    FILE_COUNCILS: Councils | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def councils(self) -> Councils:
        """The councils served: COUNCILS_FILE's, else the one the settings above describe."""
        return self.FILE_COUNCILS or Councils([_one_council(self)])

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


class SettingsError(RuntimeError):
    """Settings missing or wrong: every one of them, in one plain message."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("The portal cannot start. Its settings need attention:\n"
                         + "\n".join(f"  - {problem}" for problem in problems)
                         + "\nEvery setting is described in docs/settings.example.env.")
        self.problems = problems


@dataclass(frozen=True)
class Setting:
    """One environment variable: what it is for, whether it is a secret, its default
    in each mode (REQUIRED: none, it must be set) and how it is read (a function that
    raises ValueError, with words for the person setting it, for a value it cannot
    take)."""

    name: str
    meaning: str
    embedded: Any
    production: Any
    read: Callable[[str], Any] = str
    secret: bool = False


REQUIRED = object()


def _number(kind: Callable[[str], Any], at_least: float) -> Callable[[str], Any]:
    def read(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            raise ValueError(f"must be a {'whole ' if kind is int else ''}number, "
                             f"not {value!r}") from None
        if number < at_least:
            raise ValueError(f"must be at least {at_least:g}")
        return number
    return read


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"must be a web address (http:// or https://), not {value!r}")
    return value


def _mode(value: str) -> str:
    if value not in ("embedded", "production"):
        raise ValueError(f"must be embedded or production, not {value!r}")
    return value


def _sandbox(name: str) -> Callable[[], str]:
    return lambda: f"http://127.0.0.1:{sandbox_ports()[name]}"


SETTINGS = (
    Setting("SECRET_KEY", "signs the session cookie and form tokens; a long random string",
            lambda: _embedded_secret(), REQUIRED, secret=True),
    Setting("DATABASE_URL", "the portal's own database: postgresql+psycopg://user:password@"
            "host/name (sqlite:///path for one machine)",
            lambda: f"sqlite:///{INSTANCE_DIR / 'portal.db'}", REQUIRED, secret=True),
    Setting("BASE_URL", "the portal's public address, https://..., as people reach it",
            lambda: f"http://127.0.0.1:{_env('PORT', '8000')}", REQUIRED, _url),
    Setting("BACKOFFICE_URL", "the council back office's Care Record API",
            _sandbox("backoffice"), REQUIRED, _url),
    Setting("BACKOFFICE_API_KEY", "the back office's API key for the portal",
            "sandbox-backoffice-key", REQUIRED, secret=True),
    Setting("BACKOFFICE_CONNECT_TIMEOUT", "seconds to wait to connect to the back office",
            "2", "2", _number(float, 0.1)),
    Setting("BACKOFFICE_READ_TIMEOUT", "seconds to wait for the back office's answer",
            "5", "5", _number(float, 0.1)),
    Setting("BACKOFFICE_CACHE_URL", "where back-office reads are kept between requests: "
            "redis://... (shared by every process), memory:// (one process), or empty for none",
            "memory://", ""),
    Setting("BACKOFFICE_CACHE_SECONDS", "how long a back-office read is kept",
            "30", "30", _number(int, 0)),
    Setting("IDENTITY_ISSUER", "the sign-in provider (GOV.UK One Login's issuer, with its "
            "trailing slash)", lambda: _sandbox("identity")() + "/", REQUIRED, _url),
    Setting("IDENTITY_CLIENT_ID", "the portal's client id at the sign-in provider",
            "care-portal-local", REQUIRED),
    Setting("IDENTITY_PRIVATE_KEY_PEM", "the private key (PEM) the portal signs its token "
            "requests with; its public key is registered with the provider",
            lambda: embedded_private_key(), REQUIRED, secret=True),
    Setting("NOTIFY_API_KEY", "GOV.UK Notify's API key (a live key; a team or test key "
            "in trial mode)", SANDBOX_NOTIFY_KEY, REQUIRED, secret=True),
    Setting("NOTIFY_BASE_URL", "GOV.UK Notify's API", _sandbox("notify"),
            "https://api.notifications.service.gov.uk", _url),
    Setting("NOTIFY_TEMPLATE_IDS", "JSON: each message's name to its Notify template id "
            "(python -m portal.notify_templates lists them)", "", REQUIRED,
            lambda value: _template_ids(value)),
    Setting("NOTIFY_CALLBACK_TOKEN", "the bearer token Notify sends with delivery receipts "
            "to <BASE_URL>/notify/receipts", lambda: _embedded_secret()[:32], REQUIRED,
            secret=True),
    Setting("OUTBOX_MAX_PER_MINUTE", "messages the outbox sends to Notify a minute "
            "(Notify's limit is 3,000)", "2950", "2950", _number(int, 1)),
    Setting("MESSAGES_FOLLOW_SECONDS", "how often the outbox worker looks for the care "
            "team's new messages", "15", "15", _number(float, 1)),
    Setting("PAY_API_KEY", "GOV.UK Pay's API key for the council's service", SANDBOX_PAY_KEY,
            REQUIRED, secret=True),
    Setting("PAY_BASE_URL", "GOV.UK Pay's API", _sandbox("pay"),
            "https://publicapi.payments.service.gov.uk", _url),
    Setting("PAY_PAGES_URL", "where GOV.UK Pay's payment pages are", _sandbox("pay"),
            "https://card.payments.service.gov.uk", _url),
    Setting("PAY_WEBHOOK_SECRET", "the signing secret of the webhook registered with Pay "
            "for <BASE_URL>/pay/webhooks", lambda: _embedded_derived("pay-webhook"), REQUIRED,
            secret=True),
    Setting("RATELIMIT_STORAGE_URI", "where rate limits are counted: redis://... shared by "
            "every process (memory:// on one process only)", "memory://", REQUIRED),
    Setting("RATELIMIT_KEY_PREFIX", "names this portal's counts in a store others share",
            "care-portal", "care-portal"),
    Setting("PROXIES", "how many proxies in front set the X-Forwarded-* headers",
            "0", "1", _number(int, 0)),
    Setting("SUPPORT_PHONE", "the council's phone number, shown on every page that may "
            "need it", "0300 123 4567", "0300 123 4567"),
    Setting("SUPPORT_EMAIL", "the council's email address for the service",
            "gofal@example.gov.wales", "gofal@example.gov.wales"),
    Setting("COUNCILS_FILE", "a TOML file of the councils the portal serves, each with its "
            "back office, Pay service, contact details and support for carers (see "
            "docs/councils.example.toml); empty: the one council that COUNCIL_CODE, "
            "BACKOFFICE_URL, BACKOFFICE_API_KEY, PAY_API_KEY, PAY_WEBHOOK_SECRET, "
            "SUPPORT_PHONE, SUPPORT_EMAIL and CARER_SUPPORT_FILE describe", "", ""),
    Setting("COUNCIL_CODE", "the GSS code (W06...) of the one council served without "
            "COUNCILS_FILE; with it, the council whose records the portal held before it "
            "served several (default: the file's first)", "W06000002", REQUIRED,
            lambda value: value and _council_code(value)),
    Setting("CARER_SUPPORT_FILE", "a JSON file of the council's own support for carers "
            "(empty: portal/content/carer-support.json)", "", "",
            lambda value: _carer_support(value or None)),
)
# Each setting's name in the configuration, where it is not its own.
_AS = {"CARER_SUPPORT_FILE": "CARER_SUPPORT"}
# What describes the one council served without COUNCILS_FILE (and is not read with it).
ONE_COUNCIL = ("BACKOFFICE_URL", "BACKOFFICE_API_KEY", "PAY_API_KEY",
               "PAY_WEBHOOK_SECRET", "SUPPORT_PHONE", "SUPPORT_EMAIL", "CARER_SUPPORT_FILE")


def load() -> Config:
    """The configuration from the environment: each setting read the same way in every
    mode, with embedded mode's defaults there. SettingsError names every setting that
    is missing or cannot be read, at once."""
    problems: list[str] = []
    try:
        mode = _mode(_env("PORTAL_MODE") or "embedded")
    except ValueError as error:
        raise SettingsError([f"PORTAL_MODE {error}"]) from None
    values: dict[str, Any] = {}
    councils_file = _env("COUNCILS_FILE")
    for setting in SETTINGS:
        if councils_file and setting.name in ONE_COUNCIL:
            continue
        default = setting.embedded if mode == "embedded" else setting.production
        if councils_file and setting.name == "COUNCIL_CODE":
            default = ""  # the file's first council
        given = _env(setting.name)
        if given is None and default is REQUIRED:
            problems.append(f"{setting.name} is not set: {setting.meaning}")
            continue
        if given is None:
            given = default() if callable(default) else default
        try:
            values[_AS.get(setting.name, setting.name)] = setting.read(given)
        except ValueError as error:
            problems.append(f"{setting.name} {error}")
    if councils_file:
        try:
            served = councils.load(Path(councils_file), os.environ, _carer_support,
                                   _template_ids_file)
        except councils.CouncilsFileError as error:
            problems += [f"COUNCILS_FILE {councils_file}: {problem}"
                         for problem in error.problems]
        else:
            code = values.get("COUNCIL_CODE") or served.first.code
            if code in served:
                served = served.led_by(code)
                values.update(_one_council_settings(served.first))
            else:
                problems.append(f"COUNCIL_CODE {code} is not a council in COUNCILS_FILE "
                                f"{councils_file}")
    if problems:
        raise SettingsError(problems)
    return Config(MODE=mode, SESSION_COOKIE_SECURE=mode != "embedded",
                  FILE_COUNCILS=served if councils_file else None, **values)


def _one_council(config: Config) -> councils.Council:
    """The council the single-council settings describe."""
    cy, en = councils.WALES[config.COUNCIL_CODE]
    return councils.Council(
        code=config.COUNCIL_CODE, names={"cy": cy, "en": en},
        back_office=councils.BackOffice(config.BACKOFFICE_URL, config.BACKOFFICE_API_KEY),
        pay=councils.Pay(config.PAY_API_KEY, config.PAY_WEBHOOK_SECRET),
        phone=config.SUPPORT_PHONE, email=config.SUPPORT_EMAIL,
        carer_support=config.CARER_SUPPORT)


def _one_council_settings(council: councils.Council) -> dict[str, Any]:
    """The single-council settings, as a council in COUNCILS_FILE gives them."""
    return {"COUNCIL_CODE": council.code, "BACKOFFICE_URL": council.back_office.url,
            "BACKOFFICE_API_KEY": council.back_office.api_key,
            "PAY_API_KEY": council.pay.api_key, "PAY_WEBHOOK_SECRET": council.pay.webhook_secret,
            "SUPPORT_PHONE": council.phone, "SUPPORT_EMAIL": council.email,
            "CARER_SUPPORT": dict(council.carer_support)}


def _council_code(value: str) -> str:
    if value not in councils.WALES:
        raise ValueError(f"must be the GSS code of a council in Wales (W06000001 to "
                         f"W06000024), not {value!r}")
    return value


def load_or_exit() -> Config:
    """load(), or the plain message of what needs attention and an exit (status 2):
    no traceback for a setting left out."""
    try:
        return load()
    except SettingsError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None


def example() -> str:
    """docs/settings.example.env: every setting, what it is for, whether it is a
    secret, and its default in production (python -m portal.settings example)."""
    lines = ["# Every setting of the portal in production (PORTAL_MODE=production), one a line.",
             "# Unset, a setting takes the default shown; one marked REQUIRED has none.",
             "# Made by `make settings-example`: edit portal/config.py's SETTINGS, not this.",
             "", "PORTAL_MODE=production", ""]
    for setting in SETTINGS:
        default = setting.production
        lines.append(f"# {setting.meaning[0].upper()}{setting.meaning[1:]}."
                     + (" REQUIRED." if default is REQUIRED else "")
                     + (" SECRET: keep it out of logs and version control." if setting.secret
                        else ""))
        lines.append(f"{setting.name}=" if default is REQUIRED
                     else f"# {setting.name}={default}")
        lines.append("")
    return "\n".join(lines)


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
        raise ValueError(f"cannot be read: {error}") from error
    items_ok = isinstance(content, dict) and all(
        isinstance(content.get(language), list) and all(
            isinstance(item, dict) and isinstance(item.get("title"), str)
            and isinstance(item.get("text"), str)
            and isinstance(item.get("url", ""), str) for item in content[language])
        for language in ("cy", "en"))
    if not items_ok:
        raise ValueError("must hold a list for cy and for en of items with a title and a "
                         "text (and an optional url)")
    return {language: content[language] for language in ("cy", "en")}


def _template_ids_file(path: str) -> dict[str, str]:
    """A council's own Notify templates' ids: a JSON file, as NOTIFY_TEMPLATE_IDS."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot be read: {error}") from error
    return _template_ids(text)


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
        raise ValueError(f"is not JSON: {error}") from error
    wrong = problems(ids)
    if wrong:
        raise ValueError("does not fit the portal's messages: " + "; ".join(wrong))
    return dict(ids)



