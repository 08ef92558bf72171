"""Fixtures the web tests share."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import config, sandboxes
from portal.sandbox.backoffice import data
from portal.sandbox.backoffice import state as backoffice_state
from portal.sandbox.backoffice.app import create_app as create_backoffice
from portal.sandbox.notify import state as notify_state
from tests.conftest import csrf_token, free_port, link_record
from tests.support.databases import database_url
from tests.support.pages import CheckedClient
from tests.support.settings import council_table, portal_serving

MERTHYR = "W06000024"
GWEN_IN_MERTHYR = f"{MERTHYR}:p-3101"


@pytest.fixture
def notify(running_sandboxes: Any) -> Any:
    """The sandbox Notify, with nothing sent yet as far as the test can see."""
    service = notify_state.of(running_sandboxes.servers["notify"].app).first
    service.sent.clear()
    return service


@pytest.fixture
def merthyr() -> Iterator[Any]:
    """Merthyr Tudful's back office (Eleri, Owen and Rhys). Councils in Wales share who
    holds which authority for whom: it knows Gwynedd records Rhys as Gwen's advocate."""
    back_office = create_backoffice(api_key="merthyr-backoffice-key", council=MERTHYR)
    backoffice_state.of(back_office).everyone["p-1001"].related.append({
        "id": "r-9001", "person_id": "p-3001", "name": {"given": "Rhys", "family": "Thomas"},
        "relationship": "ADVOCATE", "authorities": [{
            "type": "advocacy", "status": "active", "start": "2026-01-01",
            "end": "2099-12-31", "organisation": "Eiriolaeth Cymoedd / Valleys Advocacy"}]})
    server = sandboxes.serve(back_office, free_port(), "merthyr")
    yield server
    server.shutdown()


@pytest.fixture
def gwynedd_and_merthyr(base_settings: Any, running_sandboxes: Any, engine: str,
                        merthyr: Any, monkeypatch: pytest.MonkeyPatch,
                        tmp_path: Path) -> Iterator[Flask]:
    server = merthyr
    councils_file = council_table(
        "W06000002", base_settings.BACKOFFICE_URL, "01766 771000",
        "gofal@gwynedd.example.gov.wales", "GWYNEDD") + council_table(
        MERTHYR, f"http://127.0.0.1:{server.server_port}", "01685 725000",
        "gofal@merthyr.example.gov.wales", "MERTHYR")
    secrets = {"GWYNEDD_BACKOFFICE_KEY": base_settings.BACKOFFICE_API_KEY,
               "MERTHYR_BACKOFFICE_KEY": "merthyr-backoffice-key",
               "GWYNEDD_PAY_KEY": config.SANDBOX_PAY_KEY, "MERTHYR_PAY_KEY": config.SANDBOX_PAY_KEY,
               "GWYNEDD_PAY_WEBHOOK_SECRET": base_settings.PAY_WEBHOOK_SECRET,
               "MERTHYR_PAY_WEBHOOK_SECRET": "a-secret-only-merthyr-knows"}
    with database_url(engine, tmp_path) as url:
        app = portal_serving(councils_file, secrets, base_settings, monkeypatch, tmp_path,
                             database=url)
        app.config["TESTING"] = True
        app.test_client_class = CheckedClient
        yield app
        app.extensions["portal"].store.engine.dispose()


def gwen_moves_to_merthyr(merthyr: Any) -> None:
    """Gwen has moved to Merthyr Tudful, whose back office now holds a record of her
    own, with a reference of its own (M310100); she has not linked it yet."""
    back_office = backoffice_state.of(merthyr.app)
    back_office.people["p-3101"] = data.DemoPerson(
        person=data.person_record("p-3101", "M310100", "Gwen", "Morgan", "1941-03-14", "cy",
                            ["4 Stryd Fawr"], "Merthyr Tudful", "CF47 8AB", None),
        council=MERTHYR, rounds=data.people()["p-1001"].rounds, carers=["Ffion"])
    back_office.ledger["p-3101"] = []


def move(client: FlaskClient, council: str = MERTHYR, reference: str = "M310100",
         year: str = "1941") -> Any:
    """Say on the account's page that one has moved, with the new record's details."""
    return link_record(client, "/account/moved", council, reference, f"{year}-03-14")


def see(client: FlaskClient, person_id: str) -> Any:
    """Choose which of one's records to look at: an earlier one, or "" for the current."""
    return client.post("/account/care-records", data={
        "csrf_token": csrf_token(client, "/account/care-records"), "person_id": person_id})
