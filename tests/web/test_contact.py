"""Contact preferences: chosen and kept, checked in the person's language, and
flagged when Notify cannot deliver to the detail given."""

from __future__ import annotations

from flask import Flask

from portal.services import outbox
from tests.conftest import csrf_token, page_of, sign_in, visible_text


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
