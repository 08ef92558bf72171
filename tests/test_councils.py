"""Councils as configuration: a file a deployment supplies, every problem in it named
at start with its council and setting; without it, the one council the
single-council settings describe; and what the portal then uses is that council's."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import pytest
from flask import Flask

from portal import config, councils, create_app
from portal.councils import WALES
from tests.conftest import page_of, visible_text
from tests.support.settings import production

GOOD = """
[[council]]
code = "W06000008"

[council.back_office]
url = "{backoffice}"
api_key_env = "CEREDIGION_BACKOFFICE_KEY"

[council.pay]
api_key_env = "CEREDIGION_PAY_KEY"
webhook_secret_env = "CEREDIGION_PAY_WEBHOOK_SECRET"

[council.contact]
phone = "01545 570881"
email = "gofal@ceredigion.example.gov.wales"
"""

SECRETS = {"CEREDIGION_BACKOFFICE_KEY": "sandbox-backoffice-key",
           "CEREDIGION_PAY_KEY": config.SANDBOX_PAY_KEY,
           "CEREDIGION_PAY_WEBHOOK_SECRET": "a-secret-only-ceredigion-knows"}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "councils.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_council_of_wales_has_its_gss_code_and_both_names() -> None:
    assert len(WALES) == 22
    assert all(code.startswith("W06") and len(code) == 9 for code in WALES)
    assert WALES["W06000024"] == ("Cyngor Bwrdeistref Sirol Merthyr Tudful",
                                  "Merthyr Tydfil County Borough Council")
    assert all(cy and en and cy != en for cy, en in WALES.values())


def test_a_council_is_read_with_its_names_and_secrets(tmp_path: Path) -> None:
    served = councils.load(write(tmp_path, GOOD.format(backoffice="https://bo.example")),
                           SECRETS)
    ceredigion = served.get("W06000008")
    assert len(served) == 1 and served.first is ceredigion
    assert ceredigion.name("cy") == "Cyngor Sir Ceredigion"
    assert ceredigion.name("en") == "Ceredigion County Council"
    assert ceredigion.back_office == councils.BackOffice("https://bo.example",
                                                         "sandbox-backoffice-key")
    assert ceredigion.pay.webhook_secret == "a-secret-only-ceredigion-knows"
    with pytest.raises(KeyError):
        served.get("W06000002")  # a council not served is never reached


def test_every_problem_in_the_file_is_named_with_its_council_and_setting(
        tmp_path: Path) -> None:
    path = write(tmp_path, """
[[council]]
code = "W06000008"
name_cy = ""
[council.back_office]
url = "ftp://bo.example"
api_key_env = "NOT_SET_ANYWHERE"
[council.pay]
api_key_env = "CEREDIGION_PAY_KEY"
[council.contact]
phone = "01545 570881"
email = "not an email"

[[council]]
code = "W06000008"

[[council]]
code = "E09000001"
""")
    with pytest.raises(councils.CouncilsFileError) as refused:
        councils.load(path, SECRETS)
    problems = refused.value.problems
    first = "council W06000008 (Ceredigion County Council): "
    for expected in (
            "name_cy must be words in quotes",
            "back_office.url must be a web address (https://...), not 'ftp://bo.example'",
            "back_office.api_key_env names NOT_SET_ANYWHERE, which is not set",
            "pay.webhook_secret_env must name the environment variable that holds it",
            "contact.email must be an email address, not 'not an email'"):
        assert any(p.startswith(first + expected) for p in problems), expected
    assert any(p.startswith(first + "code is given for two councils") for p in problems)
    assert "council E09000001: code must be the GSS code of a council in Wales " \
           "(W06000001 to W06000024), not 'E09000001'" in problems


@pytest.mark.parametrize(("text", "said"), [
    ("[[council]\ncode = 1", "is not TOML"),
    ("title = 'no councils'", "holds no [[council]] table"),
])
def test_a_file_that_is_not_a_list_of_councils_says_so(tmp_path: Path, text: str,
                                                         said: str) -> None:
    with pytest.raises(councils.CouncilsFileError, match=said.replace("[", r"\[")):
        councils.load(write(tmp_path, text), SECRETS)


def test_with_a_councils_file_the_single_council_settings_are_not_asked_for(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    production(monkeypatch, COUNCILS_FILE=str(write(tmp_path, "[[council]]\ncode = 'W06000002'")))
    with pytest.raises(config.SettingsError) as refused:
        config.load()
    said = refused.value.problems
    assert not any(p.startswith(name + " ") for p in said for name in config.ONE_COUNCIL)
    assert any(p.startswith(f"COUNCILS_FILE {tmp_path}/councils.toml: council W06000002 "
                            "(Gwynedd Council): back_office.url is not set") for p in said)


def test_a_file_naming_two_councils_is_refused_plainly_for_now(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    two = GOOD.format(backoffice="https://a.example") + GOOD.replace(
        "W06000008", "W06000024").format(backoffice="https://b.example")
    monkeypatch.setenv("COUNCILS_FILE", str(write(tmp_path, two)))
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(config.SettingsError, match="names 2 councils; a portal serves one"):
        config.load()


def test_without_a_file_the_council_is_the_one_the_settings_describe(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COUNCILS_FILE", raising=False)
    monkeypatch.setenv("COUNCIL_CODE", "W06000024")
    monkeypatch.setenv("SUPPORT_PHONE", "01685 725000")
    served = config.load().councils
    assert [c.code for c in served] == ["W06000024"]
    assert served.first.phone == "01685 725000"
    assert served.first.name("cy") == "Cyngor Bwrdeistref Sirol Merthyr Tudful"
    monkeypatch.setenv("COUNCIL_CODE", "Gwynedd")
    with pytest.raises(config.SettingsError, match="COUNCIL_CODE must be the GSS code"):
        config.load()


@pytest.fixture
def ceredigion_app(base_settings: config.Config, running_sandboxes: object,
                   monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Flask:
    monkeypatch.setenv("COUNCILS_FILE", str(write(
        tmp_path, GOOD.format(backoffice=base_settings.BACKOFFICE_URL))))
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    for name in ("DATABASE_URL", "BASE_URL", "IDENTITY_ISSUER", "NOTIFY_BASE_URL",
                 "PAY_BASE_URL", "PAY_PAGES_URL", "IDENTITY_PRIVATE_KEY_PEM", "SECRET_KEY"):
        monkeypatch.setenv(name, str(getattr(base_settings, name)))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/portal.db")
    app = create_app(config.load())
    app.extensions["portal"].store.migrate()
    return app


def test_the_portal_uses_the_councils_own_settings(ceredigion_app: Flask,
                                                   base_settings: config.Config) -> None:
    client = ceredigion_app.test_client()
    for language, name in (("en", "Ceredigion County Council"),
                           ("cy", "Cyngor Sir Ceredigion")):
        client.get(f"/language/{language}")
        text = visible_text(page_of(client.get("/contact")))
        assert name in text and "01545 570881" in text
        assert "gofal@ceredigion.example.gov.wales" in text
    # Pay's webhooks are checked with this council's secret, and no other: signed with
    # it, a webhook gets past the signature (to be refused as holding nothing).
    body = b"{}"
    for secret, status in ((SECRETS["CEREDIGION_PAY_WEBHOOK_SECRET"], 400),
                           (base_settings.PAY_WEBHOOK_SECRET, 401)):
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        answered = client.post("/pay/webhooks", data=body, headers={
            "Pay-Signature": signature, "Content-Type": "application/json"})
        assert answered.status_code == status


def test_the_example_file_in_the_docs_is_a_good_one() -> None:
    secrets = {"GWYNEDD_BACKOFFICE_API_KEY": "k", "GWYNEDD_PAY_API_KEY": "k",
               "GWYNEDD_PAY_WEBHOOK_SECRET": "s"}
    served = councils.load(config.PROJECT_ROOT / "docs" / "councils.example.toml", secrets)
    assert [c.name("cy") for c in served] == ["Cyngor Gwynedd"]
    assert served.first.phone == "01766 771000"
