"""Your charges and paying them through the sandbox GOV.UK Pay over HTTP: the amount
comes from the council, one live payment per invoice, the return is never trusted,
and each payment is settled once however Pay's webhooks arrive."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.clock import today
from portal.sandbox.backoffice.data import invoices
from portal.sandbox.notify import state as notify_state
from portal.sandbox.pay import state as pay_state
from portal.sandbox.pay.shapes import sign
from portal.store.models import OutboxMessage, Payment
from tests.conftest import DECLINED_CARD, csrf_token, page_of, pay_at_sandbox, sign_in, visible_text
from tests.support.journeys import deliver


@pytest.fixture
def pay(running_sandboxes: Any) -> Any:
    return pay_state.of(running_sandboxes.servers["pay"].app).first


@pytest.fixture(autouse=True)
def ledger(running_sandboxes: Any) -> dict[str, list[dict[str, Any]]]:
    """The council's ledger of demo invoices, laid out afresh as of the test's instant."""
    found: dict[str, list[dict[str, Any]]] = \
        running_sandboxes.back_office().ledger
    found.update({person_id: invoices(person_id, today()) for person_id in found})
    return found


def new_invoice(base_settings: Any, person_id: str, amount: int = 2410) -> dict[str, Any]:
    answer = requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/people/{person_id}/invoices",
                           json={"amount_pence": amount}, timeout=5)
    return dict(answer.json())


def start_paying(client: FlaskClient, invoice_id: str, **extra: str) -> Any:
    path = f"/your-charges/{invoice_id}"
    return client.post(f"{path}/pay", data={"csrf_token": csrf_token(client, path), **extra})


def come_back(client: FlaskClient, return_url: str) -> Any:
    return client.get(urlsplit(return_url).path)



@pytest.mark.any_hour
def test_charges_show_overdue_due_and_paid_with_the_weekly_maximum_in_welsh(
        client: FlaskClient) -> None:
    sign_in(client, "Gwen", "cy")
    page = page_of(client.get("/your-charges"))
    text = visible_text(page)
    assert page.h1.get_text(strip=True) == "Eich taliadau"
    assert "£24.10 yr wythnos" in text
    assert "does neb yn talu mwy na £100.00 yr wythnos" in text
    headings = [h.get_text(strip=True) for h in page.find("main").find_all("h2")]
    assert headings == ["Hwyr", "I'w dalu", "Wedi'u talu",
                        "Ydych chi'n meddwl eich bod yn talu gormod, neu a yw eich arian wedi "
                        "newid?"]
    assert page.find("table") is None  # a summary card per invoice reflows on a phone
    invoice = page_of(client.get("/your-charges/inv-p-1001-2"))
    assert invoice.find("main").find("button").get_text(strip=True) == "Talu £96.40 nawr"


@pytest.mark.any_hour
def test_paying_takes_the_amount_from_the_council_and_settles_once(
        app: Flask, client: FlaskClient, base_settings: Any, pay: Any, ledger: Any,
        running_sandboxes: Any) -> None:
    invoice = new_invoice(base_settings, "p-1002", 4820)
    sign_in(client, "Dafydd")
    started = start_paying(client, invoice["id"], amount="1")  # an amount in the form is ignored
    assert started.status_code == 302
    next_url = started.headers["Location"]
    assert next_url.startswith(base_settings.PAY_BASE_URL + "/secure/")
    with app.extensions["portal"].store.transaction() as db:
        row = db.scalar(select(Payment).where(Payment.invoice_id == invoice["id"]))
        assert row is not None and row.amount_pence == 4820 and row.state == "created"
        assert pay.payments[row.pay_payment_id]["language"] == "en"
        assert pay.payments[row.pay_payment_id]["amount"] == 4820
        payment_id = row.id
    # A second click resumes the same payment; it never starts another.
    assert start_paying(client, invoice["id"]).headers["Location"] == next_url

    return_url = pay_at_sandbox(next_url)
    assert return_url == f"{base_settings.BASE_URL}/payments/{payment_id}/return"
    back = come_back(client, return_url)
    assert back.headers["Location"] == f"/your-charges/receipts/{payment_id}"
    receipt_page = page_of(client.get(back.headers["Location"]))
    receipt = visible_text(receipt_page)
    assert "Payment received" in receipt and "£48.20" in receipt
    # Our own short reference, to read out; Pay's 26-character id is a secondary detail.
    reference = receipt_page.find(class_="portal-reference").get_text(strip=True)
    assert re.fullmatch(r"PY-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}", reference)
    pay_row = receipt_page.find("dt", string=lambda s: s and "GOV.UK Pay reference" in s)
    with app.extensions["portal"].store.transaction() as db:
        assert pay_row.find_next("dd").get_text(strip=True) == \
            db.get(Payment, payment_id).pay_payment_id
    # Pay's webhooks arrive afterwards, one of them twice: nothing more happens.
    for body, signature in pay.webhooks[-2:] + pay.webhooks[-1:]:
        answer = client.post("/pay/webhooks", data=body,
                             headers={"Pay-Signature": signature,
                                      "Content-Type": "application/json"})
        assert answer.status_code == 200
    with app.extensions["portal"].store.transaction() as db:
        queued = list(db.scalars(select(OutboxMessage).where(
            OutboxMessage.about == f"payment:{payment_id}")))
    assert sorted(m.channel for m in queued) == ["backoffice", "email"]
    notify = notify_state.of(running_sandboxes.servers["notify"].app).first
    notify.sent.clear()
    deliver(app)
    mine = next(i for i in ledger["p-1002"] if i["id"] == invoice["id"])
    assert [p["amount_pence"] for p in mine["payments"]] == [4820]
    assert mine["status"] == "balanced"
    receipts = [n for n in notify.sent if n["email_address"] == "dafydd.hughes@example.com"]
    assert [n["subject"] for n in receipts] == [f"Receipt: payment of £48.20 for invoice "
                                                f"{invoice['number']}"]
    assert reference in receipts[0]["body"]
    # Paid: the invoice offers no payment now, and a stray click says nothing is owed.
    stray = start_paying_raw(client, invoice["id"])
    assert stray.headers["Location"] == f"/your-charges/{invoice['id']}"
    page = page_of(client.get(stray.headers["Location"]))
    assert f"Nothing is owed on invoice {invoice['number']}." in visible_text(page)
    assert page.find("main").find("form") is None


def test_a_declined_card_then_a_good_one_and_a_cancelled_payment_each_get_their_page(
        app: Flask, client: FlaskClient, base_settings: Any) -> None:
    invoice = new_invoice(base_settings, "p-1002")
    sign_in(client, "Dafydd", "cy")
    next_url = start_paying(client, invoice["id"]).headers["Location"]
    declined = come_back(client, pay_at_sandbox(next_url, card=DECLINED_CARD))
    assert declined.status_code == 200
    assert page_of(declined).h1.get_text(strip=True) == "Cafodd eich taliad ei wrthod"

    again = start_paying(client, invoice["id"]).headers["Location"]
    assert again != next_url  # the declined payment is finished: a new one starts
    cancelled = come_back(client, pay_at_sandbox(again, cancel=True))
    assert page_of(cancelled).h1.get_text(strip=True) == "Cafodd eich taliad ei ganslo"

    third = start_paying(client, invoice["id"]).headers["Location"]
    paid = come_back(client, pay_at_sandbox(third))
    assert paid.headers["Location"].startswith("/your-charges/receipts/")
    with app.extensions["portal"].store.transaction() as db:
        states = sorted((r.state, r.failure_code) for r in db.scalars(
            select(Payment).where(Payment.invoice_id == invoice["id"])))
    assert states == [("cancelled", "P0030"), ("failed", "P0010"), ("success", None)]


def test_an_expired_payment_says_so_and_a_new_one_can_start(
        client: FlaskClient, base_settings: Any, pay: Any) -> None:
    invoice = new_invoice(base_settings, "p-1002")
    sign_in(client, "Dafydd")
    next_url = start_paying(client, invoice["id"]).headers["Location"]
    payment_id = next(p for p in pay.payments.values()
                      if next_url.endswith(p["token"]))["payment_id"]
    requests.post(f"{base_settings.PAY_BASE_URL}/_sandbox/payments/{payment_id}/expire",
                  timeout=5)
    return_url = next(p for p in pay.payments.values()
                      if p["payment_id"] == payment_id)["return_url"]
    page = page_of(come_back(client, return_url))
    assert page.h1.get_text(strip=True) == "Your payment session timed out"
    assert start_paying(client, invoice["id"]).headers["Location"] != next_url


def test_a_webhook_before_the_return_settles_it_and_the_return_shows_the_receipt(
        app: Flask, client: FlaskClient, base_settings: Any, pay: Any) -> None:
    invoice = new_invoice(base_settings, "p-1002")
    sign_in(client, "Dafydd")
    return_url = pay_at_sandbox(start_paying(client, invoice["id"]).headers["Location"])
    body, signature = pay.webhooks[-2]  # card_payment_succeeded
    hook = app.test_client().post("/pay/webhooks", data=body,
                                  headers={"Pay-Signature": signature})
    assert hook.status_code == 200 and hook.json == {"outcome": "applied"}
    payment_id = urlsplit(return_url).path.split("/")[2]
    with app.extensions["portal"].store.transaction() as db:
        row = db.get(Payment, payment_id)
        assert row is not None and row.state == "success" and row.live_invoice_id is None
    assert come_back(client, return_url).headers["Location"].endswith(payment_id)


def test_webhooks_need_pays_signature(app: Flask, pay: Any) -> None:
    body = '{"webhook_message_id": "x", "resource_id": "y", "event_type": "card_payment_succeeded"}'
    client = app.test_client()
    assert client.post("/pay/webhooks", data=body).status_code == 401
    assert client.post("/pay/webhooks", data=body,
                       headers={"Pay-Signature": sign(body, "wrong")}).status_code == 401
    unknown = client.post("/pay/webhooks", data=body,
                          headers={"Pay-Signature": sign(body, "test-webhook-secret")})
    assert unknown.status_code == 200 and unknown.json == {"outcome": "unknown"}
    broken = "not json"
    assert client.post("/pay/webhooks", data=broken, headers={
        "Pay-Signature": sign(broken, "test-webhook-secret")}).status_code == 400


def test_someone_elses_invoice_or_payment_is_not_found(
        app: Flask, client: FlaskClient) -> None:
    from tests.web.test_access import payment_for_gwen

    sign_in(app.test_client(), "Gwen")
    gwens = payment_for_gwen(app)
    sign_in(client, "Dafydd")
    assert client.get("/your-charges/inv-p-1001-2").status_code == 404
    assert start_paying_raw(client, "inv-p-1001-2").status_code == 404
    assert client.get(f"/payments/{gwens}/return").status_code == 404
    assert client.get(f"/your-charges/receipts/{gwens}").status_code == 404


def start_paying_raw(client: FlaskClient, invoice_id: str) -> Any:
    """Post to pay without the invoice page's button (there may be none to press)."""
    return client.post(f"/your-charges/{invoice_id}/pay",
                       data={"csrf_token": csrf_token(client, "/account")})


def test_pay_down_gives_the_unavailable_page_and_loses_nothing(
        app: Flask, client: FlaskClient, base_settings: Any, running_sandboxes: Any) -> None:
    invoice = new_invoice(base_settings, "p-1002")
    sign_in(client, "Dafydd")
    faults = running_sandboxes.servers["pay"].app.extensions["sandbox_faults"]
    faults.set(fail_status=503, fail_count=1)
    try:
        down = start_paying(client, invoice["id"])
    finally:
        faults.set()
    assert down.status_code == 503
    assert "Sorry, the service is unavailable" in visible_text(page_of(down))
    # The try was kept: the next click carries on with it, at Pay, once.
    resumed = start_paying(client, invoice["id"])
    assert resumed.status_code == 302
    with app.extensions["portal"].store.transaction() as db:
        rows = list(db.scalars(select(Payment).where(Payment.invoice_id == invoice["id"])))
    assert len(rows) == 1 and rows[0].pay_payment_id is not None


def test_reconciliation_finds_a_payment_whose_return_and_webhooks_were_lost_and_mends_it(
        app: Flask, client: FlaskClient, base_settings: Any) -> None:
    invoice = new_invoice(base_settings, "p-1002", 1234)
    sign_in(client, "Dafydd")
    return_url = pay_at_sandbox(start_paying(client, invoice["id"]).headers["Location"])
    payment_id = urlsplit(return_url).path.split("/")[2]
    runner = app.test_cli_runner()
    report = runner.invoke(args=["reconcile-payments"])
    assert report.exit_code == 1
    assert f"missed-by-portal\t{payment_id}\tto look at" in report.output
    mended = runner.invoke(args=["reconcile-payments", "--mend"])
    assert mended.exit_code == 0, mended.output
    with app.extensions["portal"].store.transaction() as db:
        row = db.get(Payment, payment_id)
        assert row is not None and row.state == "success"
    deliver(app)
    assert runner.invoke(args=["reconcile-payments"]).output.endswith(
        "0 differences, 0 mended, 0 to look at.\n")


def test_every_charges_page_in_welsh_holds_no_english(
        app: Flask, client: FlaskClient, base_settings: Any) -> None:
    from tests.web.test_pages import english_sentences_left_in

    invoice = new_invoice(base_settings, "p-1002")
    sign_in(client, "Dafydd", "cy")
    pages = ["/your-care", "/your-charges", f"/your-charges/{invoice['id']}"]
    declined = pay_at_sandbox(start_paying(client, invoice["id"]).headers["Location"],
                              card=DECLINED_CARD)
    pages.append(urlsplit(declined).path)
    paid = come_back(client, pay_at_sandbox(
        start_paying(client, invoice["id"]).headers["Location"]))
    pages.append(paid.headers["Location"])
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = page_of(response)
        assert page.html["lang"] == "cy", path
        assert english_sentences_left_in(visible_text(page)) == [], path


def test_a_carer_with_money_only_chooses_gwen_lands_on_charges_and_pays_for_her(
        app: Flask, base_settings: Any, running_sandboxes: Any) -> None:
    from tests.web.test_access import carer_of_gwen, choose

    invoice = new_invoice(base_settings, "p-1001", 1500)
    gwen, sian, _ = carer_of_gwen(app, ["money"], person_language="cy", carer_language="en")
    choose(sian, "W06000002:p-1001")
    landed = sian.post("/people-you-help", data={
        "csrf_token": csrf_token(sian, "/people-you-help"), "person_id": "W06000002:p-1001"})
    assert landed.headers["Location"] == "/your-charges"
    assert page_of(sian.get("/your-charges")).h1.get_text(strip=True) == "Charges"
    assert sian.get("/your-care/plan").status_code == 403  # money, not the plan
    paid = come_back(sian, pay_at_sandbox(start_paying(sian, invoice["id"]).headers["Location"]))
    assert paid.headers["Location"].startswith("/your-charges/receipts/")
    notify = notify_state.of(running_sandboxes.servers["notify"].app).first
    notify.sent.clear()
    deliver(app)
    subjects = {n["email_address"]: n["subject"] for n in notify.sent
                if n["subject"] and "INV-" in n["subject"]}
    assert subjects["gwen.morgan@example.com"].startswith("Derbynneb: taliad o £15.00")
    assert subjects["sian.morgan@example.com"].startswith("Receipt: payment of £15.00")
    receipt = visible_text(page_of(gwen.get(paid.headers["Location"])))
    assert "Talwyd gan Siân Morgan" in receipt


def test_a_payment_opened_and_left_is_cancelled_at_pay_before_a_new_one_starts(
        app: Flask, client: FlaskClient, base_settings: Any, pay: Any) -> None:
    invoice = new_invoice(base_settings, "p-1002")
    sign_in(client, "Dafydd")
    first = start_paying(client, invoice["id"]).headers["Location"]
    requests.get(first, timeout=5)  # opened Pay's page, then came away
    assert requests.get(first, timeout=5).status_code == 400  # Pay's link works once
    with app.extensions["portal"].store.transaction() as db:
        old = db.scalar(select(Payment).where(Payment.invoice_id == invoice["id"]))
        assert old is not None
        old_id, old_pay_id = old.id, old.pay_payment_id
    left = page_of(client.get(f"/payments/{old_id}/return"))
    assert left.h1.get_text(strip=True) == "Your payment is not finished"
    second = start_paying(client, invoice["id"]).headers["Location"]
    assert second != first
    assert pay.payments[old_pay_id]["state"]["code"] == "P0040"  # it can never complete now
    assert come_back(client, pay_at_sandbox(second)).status_code == 302


@pytest.mark.parametrize("invoice_id", ["nothing-here", "inv-p-1001-2%3Fx=1", "%2E%2E"])
def test_an_unknown_or_crafted_invoice_address_is_not_found(client: FlaskClient,
                                                            invoice_id: str) -> None:
    sign_in(client, "Dafydd")
    assert client.get(f"/your-charges/{invoice_id}").status_code == 404


@pytest.mark.parametrize("language, says", [
    ("en", "You do not pay anything towards your care and support at the moment."),
    ("cy", "Nid ydych chi'n talu dim tuag at eich gofal a chymorth ar hyn o bryd."),
])
def test_someone_the_council_does_not_charge_is_told_so_not_shown_nothing_a_week(
        client: FlaskClient, language: str, says: str) -> None:
    sign_in(client, "Owen", language)
    text = visible_text(page_of(client.get("/your-charges")))
    assert says in text
    assert "£0.00" not in text


@pytest.mark.parametrize("name, person_id, language, heading", [
    ("Gwen", "p-1001", "cy", "Cafodd eich taliad ei ganslo"),
    ("Dafydd", "p-1002", "en", "Your payment was cancelled"),
])
def test_a_payment_cancelled_at_pay_and_never_come_back_from_is_settled_by_pays_webhook(
        app: Flask, client: FlaskClient, base_settings: Any, pay: Any, name: str,
        person_id: str, language: str, heading: str) -> None:
    invoice = new_invoice(base_settings, person_id)
    sign_in(client, name, language)
    return_url = pay_at_sandbox(start_paying(client, invoice["id"]).headers["Location"],
                                cancel=True)  # ...and closed the tab
    body, signature = pay.webhooks[-1]
    assert json.loads(body)["event_type"] == "card_payment_failed"
    hook = app.test_client().post("/pay/webhooks", data=body, headers={"Pay-Signature": signature})
    assert hook.status_code == 200 and hook.json == {"outcome": "applied"}
    payment_id = urlsplit(return_url).path.split("/")[2]
    with app.extensions["portal"].store.transaction() as db:
        row = db.get(Payment, payment_id)
        assert (row.state, row.failure_code, row.live_invoice_id) == \
            ("cancelled", "P0030", None)
    creates = len(pay.payments)
    again = start_paying(client, invoice["id"]).headers["Location"]
    assert len(pay.payments) == creates + 1  # a new payment, with nothing to cancel first
    assert pay.payments[row.pay_payment_id]["state"]["code"] == "P0030"
    assert page_of(come_back(client, return_url)).h1.get_text(strip=True) == heading
    assert again.startswith(base_settings.PAY_BASE_URL + "/secure/")


def test_the_webhook_for_a_payment_the_portal_cancelled_itself_changes_nothing(
        app: Flask, client: FlaskClient, base_settings: Any, pay: Any) -> None:
    invoice = new_invoice(base_settings, "p-1002")
    sign_in(client, "Dafydd")
    first = start_paying(client, invoice["id"]).headers["Location"]
    requests.get(first, timeout=5)  # opened Pay's page, then came away
    start_paying(client, invoice["id"])  # the portal cancels the first at Pay
    body, signature = next((b, s) for b, s in reversed(pay.webhooks)
                           if json.loads(b)["resource"]["state"].get("code") == "P0040")
    assert json.loads(body)["event_type"] == "card_payment_failed"
    for _ in range(2):  # Pay may send it more than once
        hook = app.test_client().post("/pay/webhooks", data=body,
                                      headers={"Pay-Signature": signature})
        assert hook.status_code == 200
    assert hook.json == {"outcome": "duplicate"}
    with app.extensions["portal"].store.transaction() as db:
        states = sorted((r.state, r.failure_code, r.live_invoice_id is None) for r in db.scalars(
            select(Payment).where(Payment.invoice_id == invoice["id"])))
    assert states == [("cancelled", "P0040", True), ("created", None, False)]
