"""The sandbox GOV.UK Pay answers as Pay's public API does, and the portal's Pay
client works against it for every call the portal makes."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
from bs4 import BeautifulSoup

from portal.clients.pay import PayClient, PayRejected, signature_is_valid
from tests.conftest import pay_at_sandbox


@pytest.fixture
def api(base_settings: Any, running_sandboxes: Any) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {base_settings.PAY_API_KEY}"
    session.base = base_settings.PAY_BASE_URL  # type: ignore[attr-defined]
    return session


def new_payment(api: requests.Session, **changes: Any) -> requests.Response:
    body = {"amount": 2410, "reference": f"INV-{uuid.uuid4().hex[:6]}",
            "description": "Care charges", "return_url": "https://portal.example/return",
            "language": "cy", "email": "gwen.morgan@example.com",
            "metadata": {"invoice_id": "inv-1"}, **changes}
    return api.post(api.base + "/v1/payments", json=body, timeout=5)  # type: ignore[attr-defined]


def test_creating_a_payment_gives_pays_shape_and_links(api: requests.Session) -> None:
    created = new_payment(api)
    assert created.status_code == 201
    payment = created.json()
    assert payment["state"] == {"status": "created", "finished": False}
    assert len(payment["payment_id"]) == 26 and payment["language"] == "cy"
    assert payment["_links"]["next_url"]["method"] == "GET"
    assert payment["_links"]["next_url_post"]["params"]["chargeTokenId"]
    assert payment["refund_summary"]["status"] == "unavailable"
    fetched = api.get(f"{api.base}/v1/payments/{payment['payment_id']}", timeout=5)  # type: ignore
    assert fetched.json()["reference"] == payment["reference"]
    found = api.get(f"{api.base}/v1/payments", params={"reference": payment["reference"]},  # type: ignore
                    timeout=5).json()
    assert found["total"] == 1 and found["results"][0]["payment_id"] == payment["payment_id"]


@pytest.mark.parametrize("changes, status, code, field", [
    ({"amount": None}, 400, "P0101", "amount"),
    ({"amount": 10_000_001}, 422, "P0102", "amount"),
    ({"amount": 0}, 422, "P0102", "amount"),
    ({"language": "fr"}, 422, "P0102", "language"),
    ({"reference": "x" * 256}, 422, "P0102", "reference"),
])
def test_bad_requests_get_pays_error_codes(api: requests.Session, changes: dict[str, Any],
                                           status: int, code: str, field: str) -> None:
    answer = new_payment(api, **changes)
    assert answer.status_code == status
    assert answer.json()["code"] == code and answer.json()["field"] == field


def test_a_wrong_key_is_refused(base_settings: Any, running_sandboxes: Any) -> None:
    answer = requests.post(base_settings.PAY_BASE_URL + "/v1/payments", json={}, timeout=5,
                           headers={"Authorization": "Bearer api_test_wrong"})
    assert answer.status_code == 401


def test_the_client_creates_once_per_idempotency_key(base_settings: Any,
                                                     running_sandboxes: Any) -> None:
    client = PayClient(base_settings.PAY_BASE_URL, base_settings.PAY_API_KEY)
    key = str(uuid.uuid4())
    args = dict(amount=999, reference="INV-IDEM", description="Care", return_url="https://x/r",
                language="en", email=None, metadata={"a": "b"})
    first = client.create_payment(**args, idempotency_key=key)  # type: ignore[arg-type]
    again = client.create_payment(**args, idempotency_key=key)  # type: ignore[arg-type]
    assert again.payment_id == first.payment_id
    with pytest.raises(PayRejected) as refused:
        client.create_payment(**{**args, "amount": 1000}, idempotency_key=key)  # type: ignore
    assert refused.value.code == "P0191"
    assert [p.payment_id for p in client.search_payments("INV-IDEM")] == [first.payment_id]
    client.cancel_payment(first.payment_id)
    cancelled = client.get_payment(first.payment_id)
    assert (cancelled.status, cancelled.code, cancelled.finished) == ("cancelled", "P0040", True)
    with pytest.raises(PayRejected) as again_refused:
        client.cancel_payment(first.payment_id)
    assert again_refused.value.code == "P0501"


def test_the_payment_pages_speak_welsh_and_say_what_is_wrong(api: requests.Session) -> None:
    payment = new_payment(api).json()
    browser = requests.Session()
    page = browser.get(payment["_links"]["next_url"]["href"], timeout=5)
    html = BeautifulSoup(page.text, "html.parser")
    assert html.html["lang"] == "cy"
    assert html.h1.get_text(strip=True) == "Rhowch fanylion y cerdyn"
    wrong = browser.post(page.url, data={"card_number": "1234", "expiry_month": "13",
                                         "expiry_year": "2030", "name": "", "cvc": "1"},
                         timeout=5)
    assert wrong.status_code == 400
    summary = BeautifulSoup(wrong.text, "html.parser").find(class_="govuk-error-summary")
    assert [a.get_text(strip=True) for a in summary.find_all("a")] == [
        "Rhowch rif cerdyn dilys", "Rhowch ddyddiad dod i ben go iawn",
        "Rhowch yr enw fel y mae ar y cerdyn", "Rhowch god diogelwch 3 neu 4 digid y cerdyn"]


def test_success_sends_signed_webhooks_and_can_be_refunded(
        api: requests.Session, running_sandboxes: Any, base_settings: Any) -> None:
    account = running_sandboxes.servers["pay"].app.extensions["sandbox_pay"]
    payment = new_payment(api).json()
    before = len(account.webhooks)
    pay_at_sandbox(payment["_links"]["next_url"]["href"])
    events = account.webhooks[before:]
    assert [json.loads(b)["event_type"] for b, _ in events] == \
        ["card_payment_succeeded", "card_payment_captured"]
    body, signature = events[0]
    assert signature_is_valid(body.encode(), signature, base_settings.PAY_WEBHOOK_SECRET)
    assert not signature_is_valid(body.encode() + b" ", signature,
                                  base_settings.PAY_WEBHOOK_SECRET)
    message = json.loads(body)
    assert set(message) == {"webhook_message_id", "created_date", "resource_id", "api_version",
                            "resource_type", "event_type", "resource"}
    assert message["resource"]["state"] == {"status": "success", "finished": True}
    url = f"{api.base}/v1/payments/{payment['payment_id']}/refunds"  # type: ignore
    refund = api.post(url, json={"amount": 410, "refund_amount_available": 2410}, timeout=5)
    assert refund.status_code == 202 and refund.json()["amount"] == 410
    too_much = api.post(url, json={"amount": 5000}, timeout=5)
    assert too_much.json()["code"] == "P0603"
    listed = api.get(url, timeout=5).json()
    assert [r["amount"] for r in listed["_embedded"]["refunds"]] == [410]
