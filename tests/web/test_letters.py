"""Letters by post: someone who chooses post hears from us by Notify's letter API, at
the address the council holds, in their language, or in both (Welsh first) when we
do not know it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.store.models import Account, OutboxMessage
from tests.conftest import page_of, sign_in, visible_text
from tests.support.journeys import deliver, post
from tests.web.test_access import carer_of_gwen
from tests.web.test_changes import START, answers


def choose_post(client: FlaskClient) -> None:
    page = visible_text(page_of(client.get("/account/contact")))
    assert "7 Stryd y Plas" in page or "24 Heol Dowlais" in page
    chosen = post(client, "/account/contact", {"contact_by": "post"})
    assert chosen.status_code == 302, chosen.text


def tell_a_new_phone(client: FlaskClient) -> str:
    assert post(client, START, {"kind": "new-phone"}).status_code == 302
    for step, data in answers("new-phone"):
        post(client, f"{START}/new-phone/{step}", data)
    sent = post(client, f"{START}/new-phone/check", {})
    return str(page_of(client.get(sent.headers["Location"])).find(
        class_="portal-reference").get_text(strip=True))


def letters_with(notify: Any, reference: str) -> list[dict[str, Any]]:
    return [n for n in notify.sent if n["type"] == "letter" and reference in n["body"]]


def test_gwen_chooses_post_and_hears_by_letter_in_welsh(app: Flask, notify: Any) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen", "cy")
    choose_post(gwen)
    reference = tell_a_new_phone(gwen)
    deliver(app)
    letters = letters_with(notify, reference)
    assert len(letters) == 1
    letter = letters[0]
    assert letter["subject"] == "Mae'r cyngor wedi cael y newid y dywedoch chi wrtho amdano"
    assert [letter["line_1"], letter["line_2"], letter["line_3"], letter["postcode"]] == \
        ["Gwen Morgan", "7 Stryd y Plas", "Caernarfon", "LL55 1RR"]
    assert not [n for n in notify.sent if n["type"] != "letter" and reference in n["body"]
                and n.get("email_address") == "gwen.morgan@example.com"]


def test_someone_whose_language_we_do_not_know_gets_both_welsh_first(
        app: Flask, notify: Any) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri")
    choose_post(eleri)
    with app.extensions["portal"].store.transaction() as db:
        db.scalar(select(Account).where(Account.person_id == "W06000002:p-1003")).language = None
    reference = tell_a_new_phone(eleri)
    deliver(app)
    letter = letters_with(notify, reference)[0]
    assert letter["subject"].startswith("Mae'r cyngor") and " / The council" in letter["subject"]
    assert letter["body"].index("Cyfeirnod") < letter["body"].index("Reference")


def test_post_needs_an_address_the_council_holds(app: Flask) -> None:
    _, sian, _ = carer_of_gwen(app, ["plan"])  # Siân has no record of her own here
    refused = post(sian, "/account/contact", {"contact_by": "post"})
    assert refused.status_code == 400
    assert "address the council holds" in page_of(refused).find(
        class_="govuk-error-summary").get_text()


def test_someone_who_asked_the_council_for_post_has_post_from_the_start(
        client: FlaskClient) -> None:
    sign_in(client, "Owen")  # the council records that Owen asked for letters
    page = page_of(client.get("/account/contact"))
    chosen = page.find("input", {"name": "contact_by", "checked": True})
    assert chosen is not None and chosen["value"] == "post"
    assert "5 Heol y Nant" in visible_text(page)


@pytest.fixture
def eleris_address(running_sandboxes: Any) -> Iterator[dict[str, Any]]:
    """Eleri's address in the sandbox back office (which every test shares), put back
    as it was afterwards."""
    person = running_sandboxes.back_office().people["p-1003"].person
    kept = dict(person["address"])
    yield person["address"]
    person["address"] = kept


@pytest.mark.parametrize("address", [
    {"line": ["NFA"], "city": "Merthyr Tudful", "postal_code": "CF47 8AA"},
    {"line": ["No fixed abode"], "city": "Merthyr Tudful", "postal_code": "CF47 8AA"},
    {"line": ["24 Heol Dowlais"], "city": "Merthyr Tudful", "postal_code": "QQ1 1AA"},
    {"line": ["=24 Heol Dowlais"], "city": "Merthyr Tudful", "postal_code": "CF47 8AA"},
])
def test_post_is_offered_only_where_notify_would_post_a_letter(
        app: Flask, notify: Any, eleris_address: dict[str, Any], address: dict[str, Any]) -> None:
    eleri = app.test_client()
    sign_in(eleri, "Eleri", "cy")
    choose_post(eleri)  # while the council's address is one Notify posts to
    eleris_address.update(address)
    page = page_of(eleri.get("/account/contact"))
    assert page.find("input", {"name": "contact_by", "value": "post"}) is None
    assert "Allwn ni ddim anfon llythyrau i'r cyfeiriad" in visible_text(page)
    refused = post(eleri, "/account/contact", {"contact_by": "post"})
    assert refused.status_code == 400
    reference = tell_a_new_phone(eleri)
    deliver(app)
    assert letters_with(notify, reference) == []  # never a letter Notify would refuse
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.channel == "letter", OutboxMessage.status == "failed")) == 1
