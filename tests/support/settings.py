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
