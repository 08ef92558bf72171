"""Contact preferences: chosen and kept, checked in the person's language, and
flagged when Notify cannot deliver to the detail given."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import update

from portal.services import outbox
from portal.store.models import Account, OutboxMessage
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.journeys import deliver


def save(client, **data: str):  # type: ignore[no-untyped-def]
    return client.post("/account/contact", data={
        "csrf_token": csrf_token(client, "/account/contact"), **data})


def test_the_sign_ins_email_is_offered_first_and_choices_are_kept(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Dafydd")
    page = page_of(client.get("/account/contact"))
    assert page.find("input", {"name": "email"})["value"] == "dafydd.hughes@example.com"
    assert page.find("input", {"name": "contact_by", "value": "email"}).has_attr("checked")
    assert save(client, contact_by="sms", email="", phone="07700 900 102").status_code == 302
    page = page_of(client.get("/account/contact"))
    assert page.find("input", {"name": "contact_by", "value": "sms"}).has_attr("checked")
    assert page.find("input", {"name": "phone"})["value"] == "07700 900 102"


def test_a_choice_without_its_detail_is_explained_in_welsh(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen", "cy")
    response = save(client, contact_by="both", email="not-an-email", phone="12")
    assert response.status_code == 400
    errors = [a.get_text(strip=True)
              for a in page_of(response).find(class_="govuk-error-summary")("a")]
    assert errors == ["Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@example.com",
                      "Rhowch rif ffôn symudol yn y DU, fel 07700 900 982"]
    refused = save(client, contact_by="carrier-pigeon", email="", phone="")
    assert "Dewiswch sut dylen ni anfon newyddion atoch" in visible_text(page_of(refused))


def test_a_permanent_failure_asks_the_person_to_check_their_detail(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen", "cy")
    save(client, contact_by="email", email="perm-fail@simulator.notify", phone="")
    store = app.extensions["portal"].store
    with store.transaction() as db:
        message_id = outbox.enqueue(db, "email", "invitation-email-cy+en",
                                    "perm-fail@simulator.notify", {})
    app.test_client().post("/notify/receipts", json={
        "id": "11111111-2222-3333-4444-555555555555", "reference": message_id,
        "status": "permanent-failure"}, headers={"Authorization": "Bearer test-callback-token"})
    warning = page_of(client.get("/account/contact")).find(class_="govuk-warning-text")
    assert "Nid oedd modd i ni anfon ein e-bost diwethaf at perm-fail@simulator.notify" in \
        warning.get_text()
    save(client, contact_by="email", email="gwen.morgan@example.com", phone="")
    assert page_of(client.get("/account/contact")).find(class_="govuk-warning-text") is None


def test_an_address_notify_refuses_outright_asks_the_person_to_check_it(app: Flask) -> None:
    """An address kept from before it was checked as Notify checks: Notify's 400 for it
    is taken as it would take a permanent failure, in the person's language."""
    for name, language, address, warning_text in [
        ("Gwen", "cy", "gwen.morgan@example", "Nid oedd modd i ni anfon ein e-bost diwethaf at "
                                              "gwen.morgan@example"),
        ("Dafydd", "en", "dafydd..hughes@example.com", "We could not deliver our last email to "
                                                       "dafydd..hughes@example.com"),
    ]:
        client = app.test_client()
        sign_in(client, name, language)
        save(client, contact_by="email", email="kept@example.com", phone="")
        store = app.extensions["portal"].store
        with store.transaction() as db:
            db.execute(update(Account).where(Account.contact_email == "kept@example.com")
                       .values(contact_email=address))
            message_id = outbox.enqueue(db, "email", "invitation-email-cy+en", address, {
                "person_name": name, "code": "ABCD-2345", "expires_cy": "1 Rhagfyr 2026",
                "expires_en": "1 December 2026"})
        deliver(app)
        with store.transaction() as db:
            message = db.get(OutboxMessage, message_id)
            assert message.status == "failed" and "Not a valid email address" in message.last_error
        warning = page_of(client.get("/account/contact")).find(class_="govuk-warning-text")
        assert warning is not None and warning_text in warning.get_text()


def test_details_are_checked_as_notify_checks_them(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Dafydd")
    refused = save(client, contact_by="both", email="dafydd..hughes@example.com",
                   phone="07700 900 10")
    assert refused.status_code == 400
    assert [a.get_text(strip=True) for a in page_of(refused).find(
        class_="govuk-error-summary")("a")] == [
        "Enter an email address in the correct format, like name@example.com",
        "Enter a UK mobile number, like 07700 900 982"]
    taken = save(client, contact_by="both", email=" dafydd.hughes+gofal@example.co.uk ",
                 phone="+44 (0)7700-900-102")
    assert taken.status_code == 302
    page = page_of(client.get("/account/contact"))
    assert page.find("input", {"name": "email"})["value"] == "dafydd.hughes+gofal@example.co.uk"
    assert page.find("input", {"name": "phone"})["value"] == "+44 (0)7700-900-102"


@pytest.mark.parametrize("status", ["sent", "temporary-failure", "technical-failure"])
def test_every_receipt_notify_sends_is_recorded(app: Flask, status: str) -> None:
    store = app.extensions["portal"].store
    with store.transaction() as db:
        message_id = outbox.enqueue(db, "sms", "invitation-sms-cy+en", "+33 6 12 34 56 78", {})
    answer = app.test_client().post("/notify/receipts", json={
        "id": "11111111-2222-3333-4444-555555555557", "reference": message_id,
        "to": "+33612345678", "status": status, "created_at": "2026-11-24T03:00:00.000000Z",
        "completed_at": None, "sent_at": "2026-11-24T03:00:01.000000Z",
        "notification_type": "sms", "template_id": "f" * 8 + "-ffff-4fff-8fff-" + "f" * 12,
        "template_version": 1}, headers={"Authorization": "Bearer test-callback-token"})
    assert answer.status_code == 200 and answer.json == {"recorded": True}
    with store.transaction() as db:
        assert db.get(OutboxMessage, message_id).delivery_status == status
