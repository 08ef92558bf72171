"""Direct payments, accounted for: Dafydd's account as the council holds it, a period's
return with receipts sent once (kept while the council is down), the receipts'
content forgotten once the council has them, the message in his language, the
return followed on Your requests; and who may see and send it."""

from __future__ import annotations

import io
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.sandbox.backoffice.documents import pdf
from portal.services import direct_payments
from portal.store.models import DirectPaymentReturn, OutboxMessage, RequestFile
from tests.conftest import csrf_token, page_of, sign_in, visible_text
from tests.support.journeys import deliver, post
from tests.web.test_access import carer_of_gwen

ACCOUNT = "/your-charges/direct-payments"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def council(running_sandboxes: Any) -> Any:
    """The sandbox back office's returns as sent to it; those of a test gone after it
    (so that Dafydd's period is due again for the next)."""
    held: dict[str, dict[str, Any]] = running_sandboxes.back_office().direct_payment_returns
    before = set(held)
    yield held
    for key in set(held) - before:
        held.pop(key)


def period_path(client: FlaskClient) -> str:
    page = page_of(client.get(ACCOUNT))
    link = page.find("a", href=lambda h: h and h.startswith(f"{ACCOUNT}/dpp-"))
    assert link is not None, visible_text(page)
    return str(link["href"])


def send(client: FlaskClient, path: str, spent: dict[str, str],
         files: dict[str, tuple[bytes, str]] | None = None, declared: bool = True,
         token: str | None = None) -> Any:
    data: dict[str, Any] = {"csrf_token": csrf_token(client, path), **spent}
    if token is not None:
        data["token"] = token
    if declared:
        data["declared"] = "y"
    for field, (content, name) in (files or {}).items():
        data[field] = (io.BytesIO(content), name)
    return client.post(path, data=data, content_type="multipart/form-data")


def test_dafydd_reads_his_account_and_sends_a_return_once(
        app: Flask, council: dict[str, Any], notify: Any, base_settings: Any) -> None:
    dafydd = app.test_client()
    sign_in(dafydd, "Dafydd")
    charges = visible_text(page_of(dafydd.get("/your-charges")))
    assert "Balance £1,864.20" in charges and "1 return of spending" in charges
    account = page_of(dafydd.get(ACCOUNT))
    payments = [r.find_all("td")[1].get_text(strip=True)
                for r in account.select("table tbody tr")]
    assert payments == ["£418.50"] * 12
    path = period_path(dafydd)
    sent = send(dafydd, path, {"personal_assistants": "4,520.00", "equipment": "65.5"},
                {"receipt_one": (pdf(["Payslips"]), "payslips.pdf"),
                 "receipt_two": (PNG, "hoist.png")})
    assert sent.status_code == 302
    detail = page_of(dafydd.get(sent.headers["Location"]))
    reference = detail.find(class_="portal-reference").get_text(strip=True)
    assert "£4,585.50" in visible_text(detail)
    # On its way to the council: the account says it was sent, and offers no second.
    waiting = page_of(dafydd.get(ACCOUNT))
    assert "You sent a return for this period on" in visible_text(waiting)
    assert waiting.find("a", href=path) is None
    links = waiting.find_all("a", href=sent.headers["Location"].split("?")[0])
    assert len(links) == 2  # by its period, and in the returns sent
    assert "£4,585.50" in links[1].find_parent("tr").get_text()
    deliver(app)
    deliver(app)
    held = [r for r in council.values() if r["portal_reference"] == reference]
    assert len(held) == 1 and held[0]["period_id"] == path.rsplit("/", 1)[-1]
    with app.extensions["portal"].store.transaction() as db:
        assert all(c is None for c in db.scalars(select(RequestFile.content)))
    told = [n for n in notify.sent if reference in n.get("body", "")]
    assert [n["subject"] for n in told] == ["The council has your direct payment return"]
    # Accounted for: no longer due.
    assert "Nothing at the moment" in visible_text(page_of(dafydd.get(ACCOUNT)))
    assert dafydd.get(path).status_code == 404
    requests.post(f"{base_settings.BACKOFFICE_URL}/_sandbox/direct-payment-returns/"
                  f"{held[0]['id']}/answer", json={"answer": "Thank you: all in order.",
                                                   "language": "en"}, timeout=5)
    listed = visible_text(page_of(dafydd.get("/your-requests")))
    assert reference in listed and "Thank you: all in order." in listed


def test_kept_while_the_council_is_down_and_the_same_form_sent_twice_is_one(
        app: Flask, council: dict[str, Any], backoffice_faults: Any) -> None:
    dafydd = app.test_client()
    sign_in(dafydd, "Dafydd")
    path = period_path(dafydd)
    token = "8b7ad0a6-3a7e-4a42-9c57-1f8a2f0d6a11"
    form = {"csrf_token": csrf_token(dafydd, path), "token": token, "agency_care": "300",
            "declared": "y"}
    # Asked while the council is down and its account not kept: nothing lost, nothing sent.
    kept = getattr(app.extensions["portal"].backoffice, "cache", None)
    if kept is not None:
        kept.clear()
    backoffice_faults.set(fail_status=503)
    try:
        refused = dafydd.post(path, data=form)
    finally:
        backoffice_faults.set()
    assert refused.status_code == 503
    page = page_of(refused)
    assert "We cannot reach the council" in visible_text(page)
    assert page.find("input", id="agency_care")["value"] == "300"
    # Sent, and sent again: one return; the council down when the worker tries first.
    first = dafydd.post(path, data=form)
    again = dafydd.post(path, data=form)
    assert first.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    backoffice_faults.set(fail_status=503)
    deliver(app)
    backoffice_faults.set()
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(DirectPaymentReturn)) == 1
        assert db.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.template == direct_payments.SEND,
            OutboxMessage.status == "pending")) == 1
    deliver(app)
    deliver(app)
    assert len([r for r in council.values() if r["person_id"] == "p-1002"]) == 1


@pytest.mark.parametrize(("spent", "files", "declared", "said"), [
    ({"personal_assistants": "lots"}, {}, True,
     "Rhowch beth a wariwyd ar gynorthwywyr personol mewn punnoedd"),
    ({}, {"receipt_one": (b"<script>", "receipt.pdf")}, True,
     "Rhaid i'r ffeil a ddewiswyd fod yn PDF, JPG neu PNG"),
    ({"other": "5"}, {}, False, "Cadarnhewch mai ar hyn y gwariwyd y taliad uniongyrchol"),
])
def test_mistakes_are_shown_in_welsh_and_nothing_is_sent(
        app: Flask, council: dict[str, Any], spent: dict[str, str],
        files: dict[str, tuple[bytes, str]], declared: bool, said: str) -> None:
    dafydd = app.test_client()
    sign_in(dafydd, "Dafydd", "cy")
    refused = send(dafydd, period_path(dafydd), spent, files, declared)
    assert refused.status_code == 400
    assert said in page_of(refused).find(class_="govuk-error-summary").get_text()
    with app.extensions["portal"].store.transaction() as db:
        assert db.scalar(select(func.count()).select_from(DirectPaymentReturn)) == 0


def test_someone_without_a_direct_payment_has_no_account(app: Flask) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    assert gwen.get(ACCOUNT).status_code == 404
    assert "Direct payments" not in visible_text(page_of(gwen.get("/your-charges")))
    assert gwen.get(f"{ACCOUNT}/dpp-p-1002-2026-09-07").status_code == 404


def test_another_persons_period_and_return_are_not_found(app: Flask, council: Any) -> None:
    dafydd = app.test_client()
    sign_in(dafydd, "Dafydd")
    path = period_path(dafydd)
    sent = send(dafydd, path, {"other": "1"})
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    assert gwen.get(path).status_code == 404
    assert gwen.get(sent.headers["Location"].split("?")[0]).status_code == 404


def test_a_carer_without_money_may_not_see_the_account(app: Flask) -> None:
    _gwen, sian, _ = carer_of_gwen(app, ["plan"])
    assert sian.get(ACCOUNT).status_code == 403
    assert post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"}).status_code == 302
