"""Settings as a production process would find them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask

from portal import config, create_app
from portal.councils import BackOffice


def production(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    """PORTAL_MODE=production with only these settings in the environment."""
    for setting in config.SETTINGS:
        monkeypatch.delenv(setting.name, raising=False)
    monkeypatch.setenv("PORTAL_MODE", "production")
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def back_offices(settings: config.Config) -> dict[str, BackOffice]:
    """Each council's back office, as the settings give them (by council code)."""
    return {council.code: council.back_office for council in settings.councils}


def council_table(code: str, backoffice: str, phone: str, email: str, secrets: str,
                  districts: tuple[str, ...] = (), features: tuple[str, ...] | None = None
                  ) -> str:
    """One council of a COUNCILS_FILE, its secrets in the environment variables
    {secrets}_BACKOFFICE_KEY, {secrets}_PAY_KEY and {secrets}_PAY_WEBHOOK_SECRET, these
    postcode districts its own, and these features alone switched on (else every one)."""
    listed = f"postcode_districts = {list(districts)!r}".replace("'", '"') if districts else ""
    switched_on = "" if features is None else \
        f"features = {list(features)!r}".replace("'", '"')
    return f"""
[[council]]
code = "{code}"
{listed}
{switched_on}

[council.back_office]
url = "{backoffice}"
api_key_env = "{secrets}_BACKOFFICE_KEY"

[council.pay]
api_key_env = "{secrets}_PAY_KEY"
webhook_secret_env = "{secrets}_PAY_WEBHOOK_SECRET"

[council.contact]
phone = "{phone}"
email = "{email}"
"""


def write(tmp_path: Path, text: str) -> Path:
    """A councils file holding this text."""
    path = tmp_path / "councils.toml"
    path.write_text(text, encoding="utf-8")
    return path


def portal_serving(councils_file: str, secrets: dict[str, str], base_settings: config.Config,
                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                   database: str | None = None, **settings: str) -> Flask:
    """A portal serving the councils of this file (their secrets in the environment),
    on the sandboxes the tests run (or those `settings` name), with a database of its
    own (SQLite, or the one `database` names)."""
    monkeypatch.setenv("COUNCILS_FILE", str(write(tmp_path, councils_file)))
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("COUNCIL_CODE", raising=False)
    for name in ("BASE_URL", "IDENTITY_ISSUER", "IDENTITY_CLIENT_ID", "NOTIFY_BASE_URL",
                 "PAY_BASE_URL", "PAY_PAGES_URL", "IDENTITY_PRIVATE_KEY_PEM", "SECRET_KEY"):
        monkeypatch.setenv(name, settings.get(name, str(getattr(base_settings, name))))
    monkeypatch.setenv("DATABASE_URL", database or f"sqlite:///{tmp_path}/portal.db")
    app = create_app(replace(config.load(), SESSION_COOKIE_SECURE=False))
    app.extensions["portal"].store.migrate()
    return app
