"""The settings: one table read the same way in every mode, every missing or wrong
setting named at once in one plain message, and an example file that lists them all."""

from __future__ import annotations

import subprocess
import sys

import pytest

from portal import config
from portal.config import PROJECT_ROOT
from tests.support.settings import production


def test_every_setting_missing_or_wrong_is_named_at_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    production(monkeypatch, BASE_URL="gofal.example.gov.wales", PROXIES="two",
               NOTIFY_TEMPLATE_IDS="{not json", OUTBOX_MAX_PER_MINUTE="0")
    with pytest.raises(config.SettingsError) as refused:
        config.load()
    said = str(refused.value)
    required = [s.name for s in config.SETTINGS if s.production is config.REQUIRED
                and s.name not in ("BASE_URL", "NOTIFY_TEMPLATE_IDS")]
    assert all(f"{name} is not set" in said for name in required)
    assert "BASE_URL must be a web address" in said
    assert "PROXIES must be a whole number, not 'two'" in said
    assert "NOTIFY_TEMPLATE_IDS is not JSON" in said
    assert "OUTBOX_MAX_PER_MINUTE must be at least 1" in said
    assert len(refused.value.problems) == len(required) + 4


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "portal.settings", "check"],
    [sys.executable, "-c", "from portal import create_app; create_app()"],
])
def test_a_process_started_without_its_settings_says_so_plainly_and_stops(
        command: list[str]) -> None:
    env = {"PATH": "/usr/bin:/bin", "PORTAL_MODE": "production", "HOME": "/tmp",
           "SECRET_KEY": "s" * 32, "PROXIES": "-1"}
    ran = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                         timeout=60, check=False)
    assert ran.returncode == 2
    assert "Traceback" not in ran.stderr
    assert "The portal cannot start. Its settings need attention:" in ran.stderr
    assert "DATABASE_URL is not set" in ran.stderr and "PROXIES must be at least 0" in ran.stderr
    assert "SECRET_KEY" not in ran.stderr  # set, and a secret: never repeated


def test_embedded_mode_reads_every_setting_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_MODE", "embedded")
    monkeypatch.setenv("OUTBOX_MAX_PER_MINUTE", "1200")
    monkeypatch.setenv("PROXIES", "2")
    monkeypatch.setenv("SUPPORT_PHONE", "01286 679 000")
    settings = config.load()
    assert (settings.OUTBOX_MAX_PER_MINUTE, settings.PROXIES, settings.SUPPORT_PHONE) == \
        (1200, 2, "01286 679 000")
    assert settings.SESSION_COOKIE_SECURE is False


def test_the_example_settings_file_lists_every_setting_as_the_portal_reads_them() -> None:
    written = (PROJECT_ROOT / "docs/settings.example.env").read_text()
    assert written == config.example(), "run make settings-example"
    for setting in config.SETTINGS:
        assert f"{setting.name}=" in written
    assert written.count("REQUIRED.") == sum(
        s.production is config.REQUIRED for s in config.SETTINGS)
