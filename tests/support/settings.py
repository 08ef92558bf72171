"""Settings as a production process would find them."""

from __future__ import annotations

import pytest

from portal import config
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
                  districts: tuple[str, ...] = ()) -> str:
    """One council of a COUNCILS_FILE, its secrets in the environment variables
    {secrets}_BACKOFFICE_KEY, {secrets}_PAY_KEY and {secrets}_PAY_WEBHOOK_SECRET, and
    these postcode districts its own."""
    listed = f"postcode_districts = {list(districts)!r}".replace("'", '"') if districts else ""
    return f"""
[[council]]
code = "{code}"
{listed}

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
