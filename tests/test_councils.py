"""Councils as configuration: a file a deployment supplies, every problem in it named
at start with its council and setting; without it, the one council the
single-council settings describe; and what the portal then uses is that council's."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal import config, councils, sandboxes, worker
from portal.clients.errors import NotFound
from portal.clock import local_date, utcnow
from portal.councils import WALES
from portal.messages import TEMPLATES, sandbox_template_ids
from portal.sandbox.backoffice import state as backoffice_state
from portal.sandbox.backoffice.app import create_app as create_backoffice
from portal.sandbox.notify.app import create_app as create_notify
from portal.sandbox.notify.state import Service as NotifyService
from portal.sandbox.notify.state import Template as NotifyTemplate
from portal.sandbox.pay import state as pay_state
from portal.sandbox.pay.app import create_app as create_pay
from portal.sandbox.pay.state import Account as PayAccount
from portal.services import changes, conversations, disclosure, figures
from portal.store.models import (
    Account,
    CarerAssessmentRequest,
    FeedPosition,
    OutboxMessage,
    Payment,
    SentMessage,
)
from tests.conftest import (
    DEMO_RECORDS,
    IDENTITY,
    csrf_token,
    free_port,
    page_of,
    pay_at_sandbox,
    sign_in,
    visible_text,
)
from tests.support.journeys import deliver, post, publish
from tests.support.settings import council_table, portal_serving, production, write
from tests.web.test_carers import answer_every_question, say_i_look_after_someone, send
from tests.web.test_link import post_link

GOOD = council_table("W06000008", "{backoffice}", "01545 570881",
                     "gofal@ceredigion.example.gov.wales", "CEREDIGION")

SECRETS = {"CEREDIGION_BACKOFFICE_KEY": "sandbox-backoffice-key",
           "CEREDIGION_PAY_KEY": config.SANDBOX_PAY_KEY,
           "CEREDIGION_PAY_WEBHOOK_SECRET": "a-secret-only-ceredigion-knows"}


def linked_at(app: Flask, who: str, council: str) -> FlaskClient:
    """A client signed in as this demo person, their record linked at this council
    (each test back office holding every demo person)."""
    client = app.test_client()
    sign_in(client, who, link=False)
    _, reference, born = DEMO_RECORDS[who]
    year, month, day = born.split("-")
    assert post_link(client, reference, day, month, year, council=council).status_code == 302
    return client


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
postcode_districts = ["SY23", "SY23 2AZ", "Aberystwyth"]
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
            "contact.email must be an email address, not 'not an email'",
            'postcode_districts must be a list of postcode districts, like ["SY23", "SY24"]'):
        assert any(p.startswith(first + expected) for p in problems), expected
    assert any(p.startswith(first + "code is given for two councils") for p in problems)
    assert "council E09000001: code must be the GSS code of a council in Wales " \
           "(W06000001 to W06000024), not 'E09000001'" in problems


def test_a_councils_own_charging_choices_are_read_and_one_charging_more_refused(
        tmp_path: Path) -> None:
    choice = """
[[council.charging]]
name = "weekly_maximum"
amount = "{amount}"
unit = "pounds"
from = 2026-04-06
source = "Ceredigion charging policy 2026-27"
source_cy = "Polisi codi ffioedd Ceredigion 2026-27"
"""
    served = councils.load(write(tmp_path, GOOD.format(backoffice="https://bo.example")
                                 + choice.format(amount="85.00")), SECRETS)
    ceredigion = served.get("W06000008")
    rules = ceredigion.charging_rules(date(2026, 12, 7))
    assert rules.pence("weekly_maximum") == 8500
    assert rules.of("weekly_maximum").source("cy") == "Polisi codi ffioedd Ceredigion 2026-27"
    assert ceredigion.charging_rules(date(2026, 4, 5)).pence("weekly_maximum") == 10000
    with pytest.raises(councils.CouncilsFileError) as refused:
        councils.load(write(tmp_path, GOOD.format(backoffice="https://bo.example")
                            + choice.format(amount="150.00")), SECRETS)
    assert any(p.startswith("council W06000008 (Ceredigion County Council): charging 1 "
                            "(weekly_maximum): may only charge less than the law")
               for p in refused.value.problems), refused.value.problems


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


def test_a_file_naming_two_councils_serves_both_led_by_the_council_code(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    two = GOOD.format(backoffice="https://a.example") + GOOD.replace(
        "W06000008", "W06000024").format(backoffice="https://b.example")
    monkeypatch.setenv("COUNCILS_FILE", str(write(tmp_path, two)))
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("COUNCIL_CODE", raising=False)
    assert [c.code for c in config.load().councils] == ["W06000008", "W06000024"]
    # The council whose records were stored before councils were named comes first.
    monkeypatch.setenv("COUNCIL_CODE", "W06000024")
    loaded = config.load()
    assert [c.code for c in loaded.councils] == ["W06000024", "W06000008"]
    assert loaded.BACKOFFICE_URL == "https://b.example"
    monkeypatch.setenv("COUNCIL_CODE", "W06000001")
    with pytest.raises(config.SettingsError, match="COUNCIL_CODE W06000001 is not a council "
                                                   "in COUNCILS_FILE"):
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
    return portal_serving(GOOD.format(backoffice=base_settings.BACKOFFICE_URL), SECRETS,
                          base_settings, monkeypatch, tmp_path)


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


GWYNEDD_AND_CEREDIGION = council_table(
    "W06000002", "{gwynedd}", "01766 771000", "gofal@gwynedd.example.gov.wales", "GWYNEDD"
) + GOOD.replace("{backoffice}", "{ceredigion}")


@pytest.fixture
def ceredigion_back_office() -> Iterator[Any]:
    """A second council's back office: a sandbox of its own, with its own key and its
    own state (Gwen is Gwenllian there, so that a page shows whose answer it is)."""
    council = create_backoffice(api_key="ceredigion-backoffice-key")
    backoffice_state.of(council).people["p-1001"].person["name"]["given"] = "Gwenllian"
    server = sandboxes.serve(council, free_port(), "ceredigion")
    yield server
    server.shutdown()


@pytest.fixture
def two_councils(base_settings: config.Config, running_sandboxes: object,
                 ceredigion_back_office: Any, monkeypatch: pytest.MonkeyPatch,
                 tmp_path: Path) -> Flask:
    return gwynedd_and_ceredigion(ceredigion_back_office, base_settings, monkeypatch, tmp_path)


def gwynedd_and_ceredigion(ceredigion: Any, base_settings: config.Config,
                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                           secrets: dict[str, str] | None = None,
                           councils_file: str = GWYNEDD_AND_CEREDIGION, **settings: str) -> Flask:
    """A portal serving Gwynedd (the tests' sandbox back office) and Ceredigion (the
    back office `ceredigion` serves), with the secrets of each (these overriding)."""
    return portal_serving(councils_file.format(
        gwynedd=base_settings.BACKOFFICE_URL,
        ceredigion=f"http://127.0.0.1:{ceredigion.server_port}"), {
            **SECRETS, "GWYNEDD_BACKOFFICE_KEY": base_settings.BACKOFFICE_API_KEY,
            "GWYNEDD_PAY_KEY": config.SANDBOX_PAY_KEY,
            "CEREDIGION_BACKOFFICE_KEY": "ceredigion-backoffice-key",
            "GWYNEDD_PAY_WEBHOOK_SECRET": base_settings.PAY_WEBHOOK_SECRET, **(secrets or {})},
        base_settings, monkeypatch, tmp_path, **settings)


def test_linking_asks_which_council_and_reads_that_councils_record(
        two_councils: Flask) -> None:
    gwen = two_councils.test_client()
    sign_in(gwen, "Gwen", "cy", link=False)
    asked = page_of(gwen.get("/link-your-record"))
    legend = asked.find("legend").get_text(strip=True)
    assert legend == "Gyda pha gyngor mae eich cofnod gofal?"
    assert [label.get_text(strip=True) for label in asked.select(".govuk-radios__label")] \
        == ["Cyngor Sir Ceredigion", "Cyngor Gwynedd"]  # by place
    # Not chosen, or a council not served: a message in her language, what she typed kept.
    for chosen in (None, "W06000001"):
        refused = page_of(post_link(gwen, council=chosen))
        summary = refused.find(class_="govuk-error-summary")
        assert "Dewiswch y cyngor mae eich cofnod gofal gydag ef" in summary.get_text()
        assert summary.find("a")["href"] == "#council"
        assert refused.find("input", {"name": "council_reference"})["value"] == "C104233"
    assert post_link(gwen, council="W06000008").status_code == 302
    with two_councils.extensions["portal"].store.transaction() as db:
        linked = db.scalar(select(Account.person_id).where(Account.person_id.is_not(None)))
    assert linked == "W06000008:p-1001"
    home = visible_text(page_of(gwen.get("/your-care")))
    assert "Gwenllian" in home  # Ceredigion's record, not Gwynedd's
    # Her pages speak for her council: its name and how to reach it, not the first's.
    contact = visible_text(page_of(gwen.get("/contact")))
    assert "Cyngor Sir Ceredigion" in contact and "01545 570881" in contact
    assert "01766 771000" not in contact
    signed_out = two_councils.test_client()
    assert "01766 771000" in visible_text(page_of(signed_out.get("/contact")))


def test_a_record_of_one_council_is_never_reached_through_another(
        two_councils: Flask) -> None:
    gwen = two_councils.test_client()
    gwen = linked_at(two_councils, "Gwen", "W06000008")
    # The same person at the other council, and ids that name no council served.
    for record in ("W06000002:p-1001", "p-1001", "W06000001:p-1001", "W06000008:p-1002"):
        chosen = gwen.post("/people-you-help", data={
            "csrf_token": csrf_token(gwen, "/your-care"), "person_id": record})
        assert chosen.status_code in (302, 400, 403, 404)
        assert "Gwenllian" in visible_text(page_of(gwen.get("/your-care")))
        assert "Dafydd" not in visible_text(page_of(gwen.get("/your-care")))
    with pytest.raises(NotFound):
        two_councils.extensions["portal"].backoffice.get_person("W06000001:p-1001")


def test_each_councils_pay_webhook_is_checked_with_its_own_secret(
        two_councils: Flask, base_settings: config.Config) -> None:
    client = two_councils.test_client()
    body = b"{}"
    ceredigion, gwynedd = SECRETS["CEREDIGION_PAY_WEBHOOK_SECRET"], base_settings.PAY_WEBHOOK_SECRET
    for address, secret, status in (("/pay/webhooks/W06000008", ceredigion, 400),
                                    ("/pay/webhooks/W06000008", gwynedd, 401),
                                    ("/pay/webhooks/W06000002", gwynedd, 400),
                                    ("/pay/webhooks/W06000002", ceredigion, 401),
                                    ("/pay/webhooks", gwynedd, 400),
                                    ("/pay/webhooks/W06000001", gwynedd, 404)):
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        answered = client.post(address, data=body, headers={
            "Pay-Signature": signature, "Content-Type": "application/json"})
        assert answered.status_code == status, (address, status)


@pytest.fixture
def two_pay_accounts() -> Iterator[Any]:
    """One Pay sandbox holding each council's own service: its own key, its own secret."""
    accounts = (PayAccount("api_test_gwynedd" + "g" * 40, "gwynedd-secret",
                           deliver_webhooks=False),
                PayAccount("api_test_ceredigion" + "c" * 40, "ceredigion-secret",
                           deliver_webhooks=False))
    server = sandboxes.serve(create_pay(*accounts), free_port(), "pay-councils")
    yield server
    server.shutdown()


def test_each_council_is_paid_into_its_own_pay_account(
        base_settings: config.Config, running_sandboxes: object, ceredigion_back_office: Any,
        two_pay_accounts: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    accounts = {account.api_key.removeprefix("api_test_")[:-40]: account for account in
                pay_state.of(two_pay_accounts.app).accounts.values()}
    gwynedd_pay, ceredigion_pay = accounts["gwynedd"], accounts["ceredigion"]
    by_council = {"W06000002": gwynedd_pay, "W06000008": ceredigion_pay}
    pay_url = f"http://127.0.0.1:{two_pay_accounts.server_port}"
    back_offices = {"W06000002": base_settings.BACKOFFICE_URL,
                    "W06000008": f"http://127.0.0.1:{ceredigion_back_office.server_port}"}
    app = gwynedd_and_ceredigion(ceredigion_back_office, base_settings, monkeypatch, tmp_path, {
        "GWYNEDD_PAY_KEY": gwynedd_pay.api_key,
        "GWYNEDD_PAY_WEBHOOK_SECRET": gwynedd_pay.signing_secret,
        "CEREDIGION_PAY_KEY": ceredigion_pay.api_key,
        "CEREDIGION_PAY_WEBHOOK_SECRET": ceredigion_pay.signing_secret},
        PAY_BASE_URL=pay_url, PAY_PAGES_URL=pay_url)
    gwen, dafydd = linked_at(app, "Gwen", "W06000002"), linked_at(app, "Dafydd", "W06000008")
    paid = {}
    for who, person, council, amount in ((gwen, "p-1001", "W06000002", 2410),
                                         (dafydd, "p-1002", "W06000008", 4820)):
        invoice = requests.post(f"{back_offices[council]}/_sandbox/people/{person}/invoices",
                                json={"amount_pence": amount}, timeout=5).json()
        path = f"/your-charges/{invoice['id']}"
        started = who.post(f"{path}/pay", data={"csrf_token": csrf_token(who, path)})
        assert started.status_code == 302, visible_text(page_of(started))
        assert who.get(urlsplit(pay_at_sandbox(started.headers["Location"])).path
                       ).status_code == 302
        paid[council] = invoice["id"]
    # Each payment is in its own council's Pay account, and only there.
    assert [p["amount"] for p in gwynedd_pay.payments.values()] == [2410]
    assert [p["amount"] for p in ceredigion_pay.payments.values()] == [4820]
    # Each account's webhooks are taken at its council's address, and at no other.
    client = app.test_client()
    for council, account in by_council.items():
        other = next(code for code in by_council if code != council)
        for body, signature in account.webhooks:
            headers = {"Pay-Signature": signature, "Content-Type": "application/json"}
            assert client.post(f"/pay/webhooks/{other}", data=body,
                               headers=headers).status_code == 401
            assert client.post(f"/pay/webhooks/{council}", data=body,
                               headers=headers).status_code == 200
    # Each council's ledger records its own payment once; neither records the other's.
    deliver(app)
    ceredigion_ledger = backoffice_state.of(ceredigion_back_office.app).ledger
    gwynedd_ledger = running_sandboxes.back_office().ledger  # type: ignore[attr-defined]
    for ledger, person, council, amount in ((gwynedd_ledger, "p-1001", "W06000002", 2410),
                                            (ceredigion_ledger, "p-1002", "W06000008", 4820)):
        invoice = next(i for i in ledger[person] if i["id"] == paid[council])
        assert [p["amount_pence"] for p in invoice["payments"]] == [amount]
    assert all(i["id"] != paid["W06000008"] for i in gwynedd_ledger["p-1002"])
    assert all(i["id"] != paid["W06000002"] for i in ceredigion_ledger["p-1001"])


def test_the_drill_one_council_down_the_others_served_and_its_writes_sent_once_when_back(
        two_councils: Flask, ceredigion_back_office: Any, running_sandboxes: Any) -> None:
    """Gwen's record is at Ceredigion, whose back office goes down; Dafydd's is at
    Gwynedd. Each sends three messages to their care team while it is down."""
    down = ceredigion_back_office.app.extensions["sandbox_faults"]
    gwen = linked_at(two_councils, "Gwen", "W06000008")
    dafydd = linked_at(two_councils, "Dafydd", "W06000002")
    for n in range(3):
        for who in (gwen, dafydd):
            token = csrf_token(who, "/messages/new")
            down.set(fail_status=503)
            sent = who.post("/messages/new", data={
                "csrf_token": token, "subject": f"Drill {n}", "body": f"Message {n}"},
                content_type="multipart/form-data")
            assert sent.status_code == 302
            down.set()
    down.set(fail_status=503)
    deliver(two_councils)
    # While Ceredigion is down, Gwynedd's people have every page; Gwen is told plainly.
    for path in ("/your-care", "/your-care/plan", "/your-care/visits", "/your-charges",
                 "/messages"):
        assert dafydd.get(path).status_code == 200, path
    unavailable = gwen.get("/your-care/plan")
    assert unavailable.status_code == 503
    assert "01545 570881" in visible_text(page_of(unavailable))  # Ceredigion's number
    with two_councils.extensions["portal"].store.transaction() as db:
        waiting = db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == conversations.SEND, OutboxMessage.status == "pending"))
        ours = set(db.scalars(select(SentMessage.id)))
    assert waiting == 3  # Gwen's; Dafydd's went to Gwynedd at once

    def drill_messages(back_office: Flask, person: str) -> list[str]:
        talk = backoffice_state.of(back_office).conversations
        return sorted(m["body"] for c in talk.listed(person) for m in c["messages"]
                      if m["portal_reference"] in ours)

    gwynedd = running_sandboxes.back_offices["W06000002"]
    assert drill_messages(gwynedd, "p-1002") == ["Message 0", "Message 1", "Message 2"]
    assert drill_messages(ceredigion_back_office.app, "p-1001") == []
    down.set()
    deliver(two_councils)
    deliver(two_councils)
    # Back up: each of Gwen's three reaches Ceredigion once; nothing went astray.
    assert drill_messages(ceredigion_back_office.app, "p-1001") == \
        ["Message 0", "Message 1", "Message 2"]
    assert drill_messages(gwynedd, "p-1002") == ["Message 0", "Message 1", "Message 2"]
    assert drill_messages(gwynedd, "p-1001") == []
    assert drill_messages(ceredigion_back_office.app, "p-1002") == []


def test_a_council_whose_key_is_refused_is_unavailable_to_its_people_alone(
        base_settings: config.Config, running_sandboxes: object, ceredigion_back_office: Any,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
        ) -> None:
    app = gwynedd_and_ceredigion(ceredigion_back_office, base_settings, monkeypatch, tmp_path,
                                 {"CEREDIGION_BACKOFFICE_KEY": "a-key-ceredigion-has-revoked"})
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "cy", link=False)
    client_log = logging.getLogger("portal.clients.backoffice")
    client_log.addHandler(caplog.handler)  # the portal's logging, set up by the app, replaced it
    try:
        refused = post_link(gwen, council="W06000008")
    finally:
        client_log.removeHandler(caplog.handler)
    assert refused.status_code == 503
    assert "01545 570881" in visible_text(page_of(refused))  # the council to phone
    assert "check the council's back-office API key" in caplog.text
    assert "W06000008" in caplog.text
    dafydd = linked_at(app, "Dafydd", "W06000002")
    assert dafydd.get("/your-care/plan").status_code == 200


@pytest.fixture
def ceredigion_area() -> Iterator[Any]:
    """Ceredigion's own back office: its own people and its own area's figures."""
    council = create_backoffice(api_key="ceredigion-backoffice-key", council="W06000008")
    server = sandboxes.serve(council, free_port(), "ceredigion-area")
    yield server
    server.shutdown()


def test_the_public_figures_are_each_councils_and_all_together_giving_no_small_count_away(
        base_settings: config.Config, running_sandboxes: object, ceredigion_area: Any,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app = gwynedd_and_ceredigion(ceredigion_area, base_settings, monkeypatch, tmp_path)
    assert publish(app)
    client = app.test_client()
    weeks = figures.weeks_to(utcnow())
    exact = {code: app.extensions["portal"].backoffice.care_at_home(
        code, weeks[0].start, len(weeks)) for code in ("W06000002", "W06000008")}
    withheld = 0
    for dataset in (d for d in figures.DATASETS if d.source == figures.COUNCIL):
        rows = client.get(f"/data/v1/{dataset.name}.json").get_json()["rows"]
        by_area: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_area.setdefault(row["area_code"], []).append(row)
        assert list(by_area) == ["W92000004", "W06000002", "W06000008"]
        assert {(r["area_name_en"], r["area_name_cy"]) for r in by_area["W06000008"]} == {
            ("Ceredigion County Council", "Cyngor Sir Ceredigion")}
        wales, councils = by_area["W92000004"], [by_area["W06000002"], by_area["W06000008"]]
        for index, row in enumerate(wales):
            for column in figures._counted(dataset.name):
                each = [council[index][column] for council in councils]
                shown = [isinstance(v, int | float) for v in each]
                # The total is shown exactly when every council's figure is: none can
                # then be had by taking the others from it.
                assert isinstance(row[column], int | float) == all(shown), (
                    dataset.name, column, row[column], each)
                withheld += not all(shown)
    assert withheld > 0  # the drill has small counts to protect
    # The totals are the councils' exact counts added up, then rounded.
    visits = client.get("/data/v1/home-care-visits.json").get_json()["rows"]
    last = [r for r in visits if r["area_code"] == "W92000004"][-1]
    on_time = sum(e.weeks[-1].visits_on_time for e in exact.values())
    assert last["on_time"] == disclosure.count(on_time)
    # Today so far, likewise: the day's visits up to now, every council's added up.
    today = client.get("/data/v1/visits-today.json").get_json()["rows"]
    together = next(r for r in today if r["area_code"] == "W92000004")
    assert together["day"] == local_date(utcnow()).isoformat()
    assert together["on_time"] == disclosure.count(
        sum(e.today.visits_on_time for e in exact.values()))  # type: ignore[union-attr]
    people = client.get("/data/v1/care-at-home.json").get_json()["rows"]
    last = [r for r in people if r["area_code"] == "W92000004"][-1]
    assert last["people_receiving_care"] == disclosure.count(
        sum(e.weeks[-1].people_receiving_care for e in exact.values()))

    # The page: all together first, a council chosen, a code that is none of them.
    client.get("/language/cy")
    page = page_of(client.get("/how-care-at-home-is-going"))
    chooser = page.find("select", {"name": "area"})
    assert chooser.find_previous("label").get_text(strip=True) == "Dangos y ffigurau ar gyfer"
    assert [o.get_text(strip=True) for o in chooser.find_all("option")] == [
        "Cymru: pob cyngor yn y gwasanaeth hwn", "Cyngor Sir Ceredigion", "Cyngor Gwynedd"]
    assert chooser.find("option", selected=True)["value"] == "W92000004"
    chosen = page_of(client.get("/how-care-at-home-is-going?area=W06000008"))
    assert chosen.find(class_="govuk-caption-xl").get_text(strip=True) == \
        "Cyngor Sir Ceredigion"
    assert chosen.find("select").find("option", selected=True)["value"] == "W06000008"
    table = chosen.find("a", href="/how-care-at-home-is-going/care-at-home?area=W06000008")
    shown = page_of(client.get(table["href"]))
    assert "Cyngor Sir Ceredigion" in shown.find(class_="govuk-caption-l").get_text()
    assert len(shown.find("tbody").find_all("tr")) == figures.WEEKS
    assert shown.find(class_="govuk-back-link")["href"] == \
        "/how-care-at-home-is-going?area=W06000008#care-at-home"
    for nonsense in ("W06000001", "<script>", "x" * 3000):
        answer = client.get("/how-care-at-home-is-going", query_string={"area": nonsense})
        assert answer.status_code == 200
        assert page_of(answer).find("option", selected=True)["value"] == "W92000004"

    # Ceredigion down: its figures and the total are kept with their time; Gwynedd's new.
    before = client.get("/data/v1/care-at-home.json").get_json()
    ceredigion_area.app.extensions["sandbox_faults"].set(fail_status=503)
    with time_machine.travel(utcnow() + timedelta(minutes=2), tick=False):
        assert publish(app)
        after = client.get("/data/v1/care-at-home.json").get_json()
    ceredigion_area.app.extensions["sandbox_faults"].set()
    assert after["rows"] == before["rows"]
    assert after["updated"] == before["updated"]


def test_a_carer_with_no_record_asks_the_council_of_the_area_the_person_lives_in(
        two_councils: Flask, ceredigion_back_office: Any, running_sandboxes: Any) -> None:
    nerys = two_councils.test_client()
    sign_in(nerys, "Nerys", "cy", link=False)
    say_i_look_after_someone(nerys)
    asked = page_of(nerys.get("/support-for-carers/assessment"))
    legend = asked.find("input", {"name": "council"}).find_previous("legend")
    assert legend.get_text(strip=True) == "Ym mha ardal cyngor maen nhw'n byw?"
    refused = post(nerys, "/support-for-carers/assessment",
                   {"person": "someone-else", "name": "Idris Roberts"})
    summary = page_of(refused).find(class_="govuk-error-summary")
    assert "Dewiswch y cyngor maen nhw'n byw yn ei ardal" in summary.get_text()
    assert summary.find("a")["href"] == "#council"
    assert page_of(refused).find("input", {"name": "name"})["value"] == "Idris Roberts"
    answer_every_question(nerys, who={"person": "someone-else", "name": "Idris Roberts",
                                      "council": "W06000008"})
    check = visible_text(page_of(nerys.get("/support-for-carers/assessment/check")))
    assert "Eu cyngor Cyngor Sir Ceredigion" in check
    send(nerys)
    with two_councils.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(CarerAssessmentRequest.council)) == "W06000008"
    deliver(two_councils)
    # At Ceredigion's back office, and at no other.
    with two_councils.extensions["portal"].store.transaction() as db:
        reference = db.scalar(select(CarerAssessmentRequest.reference))
    held = backoffice_state.of(ceredigion_back_office.app).carer_requests.values()
    assert [r["cared_for_name"] for r in held if r["portal_reference"] == reference] == \
        ["Idris Roberts"]
    gwynedd = running_sandboxes.back_office().carer_requests
    assert not [r for r in gwynedd.values() if r["portal_reference"] == reference]


def test_someone_not_sure_of_their_council_finds_it_from_a_postcode(
        base_settings: config.Config, running_sandboxes: object,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app = portal_serving("".join(council_table(
        code, base_settings.BACKOFFICE_URL, phone, "gofal@example.gov.wales", "BOTH",
        districts) for code, phone, districts in (
            ("W06000002", "01766 771000", ("LL55", "LL57", "SY20")),
            ("W06000008", "01545 570881", ("SY23", "SY24", "SY20")))), {
        "BOTH_BACKOFFICE_KEY": base_settings.BACKOFFICE_API_KEY,
        "BOTH_PAY_KEY": config.SANDBOX_PAY_KEY, "BOTH_PAY_WEBHOOK_SECRET": "s"},
        base_settings, monkeypatch, tmp_path)
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "cy", link=False)
    finder = page_of(gwen.get("/link-your-record")).find(
        "a", string="Ddim yn siŵr pa gyngor? Dewch o hyd iddo o god post")
    assert finder["href"] == "/find-your-council?next=link"
    asked = page_of(gwen.get(finder["href"]))
    assert asked.h1.get_text(strip=True) == "Dod o hyd i'ch cyngor"
    assert asked.find(class_="govuk-back-link")["href"] == "/link-your-record"
    for wrong, said in (("", "Rhowch god post"), ("Caernarfon", "Rhowch god post, fel SY23 2AZ")):
        refused = post(gwen, finder["href"], {"postcode": wrong})
        assert refused.status_code == 400
        summary = page_of(refused).find(class_="govuk-error-summary")
        assert said in summary.get_text() and summary.find("a")["href"] == "#postcode"
        assert page_of(refused).find("input", {"name": "postcode"})["value"] == wrong
    found = page_of(post(gwen, finder["href"], {"postcode": " ll55 1rr"}))
    assert "Mae LL55 1RR yn ardal Cyngor Gwynedd." in visible_text(found)
    onward = found.find("a", class_="govuk-button")
    assert onward["href"] == "/link-your-record?council=W06000002"
    assert onward.get_text(strip=True) == "Dewis Cyngor Gwynedd a pharhau"
    chosen = page_of(gwen.get(onward["href"]))
    assert chosen.find("input", {"name": "council", "checked": True})["value"] == "W06000002"
    # A district two councils share: each offered. One no council served holds: said so.
    shared = page_of(post(gwen, finder["href"], {"postcode": "SY20 9AA"}))
    assert [a["href"] for a in shared.select("main ul a")] == [
        "/link-your-record?council=W06000002", "/link-your-record?council=W06000008"]
    unknown = visible_text(page_of(post(gwen, finder["href"], {"postcode": "CF10 1AA"})))
    assert "Allwn ni ddim dweud ym mha ardal cyngor mae CF10 1AA." in unknown
    # From the other questions, it leads back to them; any other name, to linking.
    answered = page_of(post(gwen, "/find-your-council?next=ask", {"postcode": "SY23 2AZ"}))
    assert answered.find("a", class_="govuk-button")["href"] == \
        "/people-you-help/ask?council=W06000008"
    answered = page_of(post(gwen, "/find-your-council?next=//evil.example",
                            {"postcode": "SY23 2AZ"}))
    assert answered.find("a", class_="govuk-button")["href"] == \
        "/link-your-record?council=W06000008"


def test_one_councils_feed_down_holds_up_no_other_councils_messages(
        two_councils: Flask, ceredigion_back_office: Any) -> None:
    deps = two_councils.extensions["portal"]
    follows = [job for job in worker.periodic(deps, 15) if "messages" in job.what]
    assert [job.what for job in follows] == [
        "follow the care team's messages at W06000002",
        "follow the care team's messages at W06000008"]
    ceredigion_back_office.app.extensions["sandbox_faults"].set(fail_status=503)
    for job in reversed(follows):  # the council down first
        job.do()
    with deps.store.transaction() as db:
        followed = set(db.scalars(select(FeedPosition.name)))
    assert followed == {"messages-from-council:W06000002"}


def test_many_councils_are_offered_as_a_list_to_choose_from(
        base_settings: config.Config, running_sandboxes: object,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    eight = sorted(WALES)[:8]
    app = portal_serving("".join(GOOD.replace("W06000008", code).format(
        backoffice=base_settings.BACKOFFICE_URL) for code in eight),
        {**SECRETS, "CEREDIGION_BACKOFFICE_KEY": base_settings.BACKOFFICE_API_KEY},
        base_settings, monkeypatch, tmp_path)
    client = app.test_client()
    sign_in(client, "Gwen", "cy", link=False)
    chooser = page_of(client.get("/link-your-record")).find("select", {"name": "council"})
    assert chooser.find_previous("label").get_text(strip=True) == \
        "Gyda pha gyngor mae eich cofnod gofal?"
    offered = [option.get_text(strip=True) for option in chooser.find_all("option")]
    # In the order of their places, whatever their names begin with.
    assert offered == ["Dewiswch gyngor", "Cyngor Sir Ceredigion",
                       "Cyngor Bwrdeistref Sirol Conwy", "Cyngor Sir Ddinbych",
                       "Cyngor Sir y Fflint", "Cyngor Gwynedd", "Cyngor Sir Penfro",
                       "Cyngor Bwrdeistref Sirol Wrecsam", "Cyngor Sir Ynys Môn"]
    # Where JavaScript runs it can be searched by typing (static/js/portal.mjs): by a
    # council's name in either language, with its words in the reader's.
    assert chooser.find("option", value="W06000001")["data-other-name"] == \
        "Isle of Anglesey County Council"
    assert chooser["data-no-results"] == "Heb ddod o hyd i gyngor"
    assert chooser["data-results"] == "Mae {count} cyngor yn cyfateb."
    refused = page_of(post_link(client, council=""))
    assert refused.find(class_="govuk-error-summary").find("a")["href"] == "#council"
    assert post_link(client, council="W06000002").status_code == 302


def test_what_a_council_has_not_switched_on_is_not_done_and_the_page_says_how_instead(
        base_settings: config.Config, running_sandboxes: sandboxes.Running,
        ceredigion_back_office: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Ceredigion takes reviews online, and nothing else the service could do for it.
    app = gwynedd_and_ceredigion(
        ceredigion_back_office, base_settings, monkeypatch, tmp_path,
        councils_file=GWYNEDD_AND_CEREDIGION.replace(
            'code = "W06000008"', 'code = "W06000008"\nfeatures = ["reviews"]'))
    ceredigion, gwynedd = linked_at(app, "Gwen", "W06000008"), linked_at(app, "Dafydd", "W06000002")
    visit = f"v-p-1001-{utcnow().date() - timedelta(days=1)}-0"
    for language, heading in (
            ("en", "Ceredigion County Council does not offer this online yet"),
            ("cy", "Nid yw Cyngor Sir Ceredigion yn cynnig hyn ar-lein eto")):
        ceredigion.get(f"/language/{language}")
        for path in ("/messages", "/messages/new", "/your-care/tell-us-about-a-change",
                     f"/your-care/visits/{visit}/report"):
            page = page_of(ceredigion.get(path))
            assert page.find("h1").get_text(strip=True) == heading, path
            assert "01545 570881" in page.text
        home = page_of(ceredigion.get("/your-care"))
        assert not home.find("a", href="/messages")  # not in the navigation
        assert not home.find("a", href="/your-care/tell-us-about-a-change")
        assert home.find("main").find("a", href="/your-charges").get_text(strip=True) == \
            {"en": "See your charges", "cy": "Gweld eich taliadau"}[language]
        invoice = page_of(ceredigion.get("/your-charges/inv-p-1001-3"))
        assert not invoice.find("form", action="/your-charges/inv-p-1001-3/pay")
        assert "01545 570881" in invoice.text
    # Asked all the same, nothing is paid: no payment is started with Pay.
    refused = page_of(ceredigion.post("/your-charges/inv-p-1001-3/pay", data={
        "csrf_token": csrf_token(ceredigion, "/your-charges/inv-p-1001-3")}))
    assert refused.find("h1").get_text(strip=True) == \
        "Nid yw Cyngor Sir Ceredigion yn cynnig hyn ar-lein eto"
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Payment)) == 0
    # What it has switched on works as ever.
    assert page_of(ceredigion.get("/book-a-review?plan=care")).find("form") is not None

    # Gwynedd has every feature: its people do everything here.
    assert gwynedd.get("/messages").status_code == 200
    assert page_of(gwynedd.get("/your-care")).find("a", href="/messages")
    paying = gwynedd.post("/your-charges/inv-p-1002-1/pay", data={
        "csrf_token": csrf_token(gwynedd, "/your-charges/inv-p-1002-1")})
    assert paying.status_code == 302 and "/secure/" in paying.headers["Location"]


def test_a_feature_the_file_names_is_one_the_service_has(tmp_path: Path) -> None:
    for value, problem in (('["payments", "telepathy"]', "names 'telepathy', not a feature"),
                           ('"payments"', "must be a list of features")):
        text = GOOD.format(backoffice="https://bo.example").replace(
            'code = "W06000008"', f'code = "W06000008"\nfeatures = {value}')
        with pytest.raises(councils.CouncilsFileError, match=problem):
            councils.load(write(tmp_path, text), SECRETS)
    ceredigion = councils.load(write(tmp_path, GOOD.format(
        backoffice="https://bo.example").replace(
            'code = "W06000008"', 'code = "W06000008"\nfeatures = []')), SECRETS).first
    assert not any(ceredigion.offers(feature) for feature in councils.FEATURES)


CEREDIGION_NOTIFY_KEY = ("ceredigion_notify-7d1e0c52-0b7a-4c2e-9f3d-5a8b6c4d2e10-"
                         "4c7f1a93-2e6b-4d8a-b5c1-9e0f3a7d6b28")
CEREDIGION_RECEIPTS_TOKEN = "a-token-only-ceredigions-notify-sends"


def notify_service(key: str, token: str) -> NotifyService:
    """A Notify service in the sandbox: its API key ends with its id and its secret."""
    return NotifyService(service_id=key[-73:-37], secret=key[-36:], callback_token=token)


def test_a_council_with_a_notify_service_of_its_own_sends_what_is_about_its_people(
        base_settings: config.Config, running_sandboxes: sandboxes.Running,
        ceredigion_back_office: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    national = notify_service(config.SANDBOX_NOTIFY_KEY, base_settings.NOTIFY_CALLBACK_TOKEN)
    ceredigions = notify_service(CEREDIGION_NOTIFY_KEY, CEREDIGION_RECEIPTS_TOKEN)
    notify = sandboxes.serve(create_notify(national, [
        NotifyTemplate(id=sandbox_template_ids()[t.name], type=t.channel, name=t.name,
                       body=t.body, subject=t.subject) for t in TEMPLATES],
        others=(ceredigions,)), free_port(), "notify")
    ids = tmp_path / "ceredigion-notify-templates.json"
    ids.write_text(json.dumps(sandbox_template_ids()))
    app = gwynedd_and_ceredigion(
        ceredigion_back_office, base_settings, monkeypatch, tmp_path,
        {"CEREDIGION_NOTIFY_KEY": CEREDIGION_NOTIFY_KEY,
         "CEREDIGION_NOTIFY_RECEIPTS_TOKEN": CEREDIGION_RECEIPTS_TOKEN},
        councils_file=GWYNEDD_AND_CEREDIGION + f"""
[council.notify]
api_key_env = "CEREDIGION_NOTIFY_KEY"
callback_token_env = "CEREDIGION_NOTIFY_RECEIPTS_TOKEN"
template_ids_file = "{ids}"
""", NOTIFY_BASE_URL=f"http://127.0.0.1:{notify.server_port}")
    try:
        # Gwen's record is in Ceredigion, Dafydd's in Gwynedd: each tells the council
        # of a new phone number, and hears that the council has it.
        for who, council in (("Gwen", "W06000008"), ("Dafydd", "W06000002")):
            linked_at(app, who, council)
            store = app.extensions["portal"].store
            with store.transaction() as db:
                account = db.scalars(select(Account).where(
                    Account.person_id.startswith(council))).one()
            changes.tell(store, account.person_id, who, account.id, who,
                         changes.Told("new-phone", phone="01632 960 111"), who, utcnow())
        deliver(app)
        with store.transaction() as db:
            sent = {m.recipient: m for m in db.scalars(select(OutboxMessage).where(
                OutboxMessage.template.startswith("change-received")))}
        gwens, dafydds = (sent[IDENTITY[who].email] for who in ("Gwen", "Dafydd"))
        assert (gwens.council, dafydds.council) == ("W06000008", "W06000002")
        assert [n["email_address"] for n in ceredigions.sent] == [IDENTITY["Gwen"].email]
        assert [n["email_address"] for n in national.sent] == [IDENTITY["Dafydd"].email]

        # Its receipts come to an address of its own, with the token it was given.
        receipt = {"id": gwens.notify_id, "reference": gwens.id, "status": "delivered"}
        client = app.test_client()
        for path, token, status in (
                ("/notify/receipts/W06000008", base_settings.NOTIFY_CALLBACK_TOKEN, 401),
                ("/notify/receipts", CEREDIGION_RECEIPTS_TOKEN, 401),
                ("/notify/receipts/W06000002", CEREDIGION_RECEIPTS_TOKEN, 401),
                ("/notify/receipts/W06000008", CEREDIGION_RECEIPTS_TOKEN, 200)):
            answered = client.post(path, json=receipt,
                                   headers={"Authorization": f"Bearer {token}"})
            assert answered.status_code == status, path
        with store.transaction() as db:
            assert db.get(OutboxMessage, gwens.id).delivery_status == "delivered"
    finally:
        notify.shutdown()


def test_a_councils_own_notify_service_is_checked_with_the_rest_of_its_settings(
        tmp_path: Path) -> None:
    text = GOOD.format(backoffice="https://bo.example") + """
[council.notify]
api_key_env = "CEREDIGION_NOTIFY_KEY"
template_ids_file = "/nowhere/ids.json"
"""

    def unreadable(path: str) -> dict[str, str]:
        raise ValueError(f"cannot be read: no file {path}")

    with pytest.raises(councils.CouncilsFileError) as raised:
        councils.load(write(tmp_path, text), SECRETS, template_ids=unreadable)
    assert raised.value.problems == [
        "council W06000008 (Ceredigion County Council): notify.template_ids_file cannot be "
        "read: no file /nowhere/ids.json",
        "council W06000008 (Ceredigion County Council): notify.api_key_env names "
        "CEREDIGION_NOTIFY_KEY, which is not set",
        "council W06000008 (Ceredigion County Council): notify.callback_token_env must name "
        "the environment variable that holds it"]
    assert councils.load(write(tmp_path, GOOD.format(backoffice="https://bo.example")),
                         SECRETS).first.notify is None  # the national service
