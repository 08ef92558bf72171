"""The sandbox GOV.UK Pay answers as Pay's public API does, and the portal's Pay
client works against it for every call the portal makes."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings, strategies
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.clients.pay import PayClient, PayRejected, signature_is_valid
from portal.sandbox import callbacks
from portal.sandbox.pay import state as pay_state
from tests.conftest import pay_at_sandbox
from tests.support.listener import listening


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
    account = pay_state.of(running_sandboxes.servers["pay"].app).first
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


def test_a_refund_starts_submitted_and_goes_through_with_its_webhook(
        api: requests.Session, running_sandboxes: Any) -> None:
    account = pay_state.of(running_sandboxes.servers["pay"].app).first
    payment = new_payment(api).json()
    pay_at_sandbox(payment["_links"]["next_url"]["href"])
    url = f"{api.base}/v1/payments/{payment['payment_id']}/refunds"  # type: ignore
    before = len(account.webhooks)
    refund = api.post(url, json={"amount": 410}, timeout=5).json()
    assert refund["status"] == "submitted" and len(account.webhooks) == before
    shown = api.get(refund["_links"]["self"]["href"], timeout=5)
    assert shown.status_code == 200 and shown.json()["status"] == "success"
    assert json.loads(account.webhooks[-1][0])["event_type"] == "card_payment_refunded"
    missing = api.post(url, json={}, timeout=5)
    assert (missing.status_code, missing.json()["code"]) == (400, "P0601")
    unpaid = new_payment(api).json()
    refused = api.post(f"{api.base}/v1/payments/{unpaid['payment_id']}/refunds",  # type: ignore
                       json={"amount": 1}, timeout=5)
    assert (refused.status_code, refused.json()["code"]) == (400, "P0603")


def test_every_link_pay_gives_is_one_it_serves(api: requests.Session) -> None:
    created = new_payment(api)
    assert created.headers["Location"] == created.json()["_links"]["self"]["href"]
    for name, link in created.json()["_links"].items():
        if link["method"] == "GET" and name != "next_url":  # next_url works once, for people
            assert api.get(link["href"], timeout=5).status_code == 200, name
    events = api.get(created.json()["_links"]["events"]["href"], timeout=5).json()
    assert [e["state"]["status"] for e in events["events"]] == ["created"]


def test_search_filters_pages_and_keeps_its_filters_in_every_link(api: requests.Session) -> None:
    reference = f"INV-{uuid.uuid4().hex[:6]}"
    made = [new_payment(api, reference=reference, email=f"sian{n}@example.com").json()
            for n in range(5)]
    search = f"{api.base}/v1/payments"  # type: ignore[attr-defined]
    first = api.get(search, params={"reference": reference, "display_size": "2"},
                    timeout=5).json()
    assert (first["total"], first["count"], first["page"]) == (5, 2, 1)
    following = first["_links"]["next_page"]["href"]
    assert f"reference={reference}" in following and "display_size=2" in following
    second = api.get(following, timeout=5).json()
    assert second["page"] == 2 and "prev_page" in second["_links"]
    last = api.get(first["_links"]["last_page"]["href"], timeout=5).json()
    assert last["count"] == 1 and "next_page" not in last["_links"]
    seen = [p["payment_id"] for page in (first, second, last) for p in page["results"]]
    assert sorted(seen) == sorted(p["payment_id"] for p in made)
    past = api.get(search, params={"reference": reference, "display_size": "2", "page": "4"},
                   timeout=5)
    assert (past.status_code, past.json()["code"]) == (404, "P0402")
    by_email = api.get(search, params={"email": "sian3@example.com", "reference": reference},
                       timeout=5).json()
    assert [p["payment_id"] for p in by_email["results"]] == [made[3]["payment_id"]]
    later = api.get(search, params={"reference": reference,
                                    "from_date": "2099-01-01T00:00:00Z"}, timeout=5).json()
    assert later["total"] == 0


@pytest.mark.parametrize("params, named", [
    ({"page": "0"}, "page"), ({"display_size": "501"}, "display_size"),
    ({"page": "two"}, "page"), ({"from_date": "yesterday"}, "from_date"),
    ({"state": "paid"}, "state"), ({"to_date": "2026-11-24"}, "to_date"),
])
def test_search_parameters_pay_would_refuse_are_422(api: requests.Session,
                                                    params: dict[str, str], named: str) -> None:
    answer = api.get(f"{api.base}/v1/payments", params=params, timeout=5)  # type: ignore
    assert answer.status_code == 422
    assert answer.json()["code"] == "P0401" and named in answer.json()["description"]


@pytest.mark.parametrize("cancel, code", [("user", "P0030"), ("service", "P0040")])
def test_a_cancel_sends_pays_failed_webhook_and_tries_again_on_pays_schedule(
        api: requests.Session, running_sandboxes: Any, base_settings: Any,
        cancel: str, code: str) -> None:
    account = pay_state.of(running_sandboxes.servers["pay"].app).first
    kept = account.webhook_url, account.deliver_webhooks, account.webhook_calls
    with listening() as portal:
        portal.answers.extend([500, 503])  # the service is down, then busy: then it takes it
        account.webhook_url, account.deliver_webhooks = portal.url, True
        # Pay's minute, then five minutes, at a thousandth of the time.
        account.webhook_calls = callbacks.Caller(callbacks.PAY, scale=0.001)
        try:
            payment = new_payment(api).json()
            if cancel == "user":
                browser = requests.Session()
                page = browser.get(payment["_links"]["next_url"]["href"], timeout=5)
                browser.post(page.url + "/cancel", timeout=5, allow_redirects=False)
            else:
                api.post(payment["_links"]["cancel"]["href"], timeout=5)
            bodies = portal.wait_for(3)
        finally:
            account.webhook_url, account.deliver_webhooks, account.webhook_calls = kept
    assert len({b["webhook_message_id"] for b in bodies}) == 1  # the same message, again
    assert bodies[0]["event_type"] == "card_payment_failed"
    assert bodies[0]["resource"]["state"]["code"] == code
    headers, raw = portal.received[0]
    assert signature_is_valid(raw, headers["Pay-Signature"], base_settings.PAY_WEBHOOK_SECRET)


# Pay's own OpenAPI document (alphagov/pay-publicapi) drives requests at every operation
# the portal uses; each answer must be one the document allows: no server error, and the
# status, content type and body its schema gives. The one answer Pay's document leaves
# out, search's 404 P0402 for a page past the last, is tested above.
SPEC = Path(__file__).parent / "reference" / "govuk-pay-publicapi-openapi.json"
DOCUMENT = json.loads(SPEC.read_text())
# Two slips in Pay's document, where its schemas say other than its own examples and
# every answer Pay gives: a POST link's params are strings (next_url_post's
# chargeTokenId), and metadata is a flat map of strings, numbers and booleans, not an
# object with a property called "metadata".
SCHEMAS = DOCUMENT["components"]["schemas"]
SCHEMAS["PostLink"]["properties"]["params"]["additionalProperties"] = {"type": "string"}
SCHEMAS["ExternalMetadata"] = {"type": "object", "additionalProperties": {
    "anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}]}}
schema = schemathesis.openapi.from_dict(DOCUMENT).include(
    path_regex=r"^/v1/payments(/\{paymentId\}(/cancel)?)?$")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


# One test an operation, each with an id of its own (so that tests run in several
# processes can tell them apart), its cases drawn from the operation's schema.
OPERATIONS = {f"{o.method.upper()} {o.path}": o
              for o in (result.ok() for result in schema.get_all_operations())}


@pytest.mark.parametrize("operation", list(OPERATIONS))
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=strategies.data())
def test_the_sandbox_answers_as_pays_openapi_document_says(
        operation: str, data: strategies.DataObject, api: requests.Session) -> None:
    case = data.draw(OPERATIONS[operation].as_strategy())
    # Half the time a payment that exists, so its answers are checked too.
    if "paymentId" in (case.path_parameters or {}) and \
            sum(map(ord, str(case.path_parameters["paymentId"]))) % 2:
        case.path_parameters["paymentId"] = new_payment(api).json()["payment_id"]
    response = case.call(base_url=api.base,  # type: ignore[attr-defined]
                         headers={"Authorization": api.headers["Authorization"]})
    if response.status_code == 404 and response.json().get("code") == "P0402":
        return  # a page past the last: Pay's answer, which its document does not list
    case.validate_response(response, checks=CHECKS)
