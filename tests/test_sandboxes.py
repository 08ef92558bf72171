"""`python -m portal.sandboxes env` writes the settings of a production-mode portal
that uses the sandboxes on this machine, on the ports chosen."""

from __future__ import annotations

import shlex

import pytest

from portal import sandboxes


def test_the_settings_written_use_the_sandbox_ports_chosen(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for name, port in (("BACKOFFICE", 9101), ("IDENTITY", 9102), ("NOTIFY", 9103),
                       ("PAY", 9104)):
        monkeypatch.setenv(f"SANDBOX_{name}_PORT", str(port))
    sandboxes.main(["env", "--base-url", "http://127.0.0.1:9000"])
    values = dict(token.split("=", 1) for token in shlex.split(capsys.readouterr().out))
    assert values["BACKOFFICE_URL"] == "http://127.0.0.1:9101"
    assert values["IDENTITY_ISSUER"] == "http://127.0.0.1:9102/"
    assert values["NOTIFY_BASE_URL"] == "http://127.0.0.1:9103"
    assert values["PAY_BASE_URL"] == values["PAY_PAGES_URL"] == "http://127.0.0.1:9104"
