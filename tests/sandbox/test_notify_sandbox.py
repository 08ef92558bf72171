"""The sandbox Notify checks tokens, limits and templates as Notify does, and
notifications-python-client works against it for every call the portal makes."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from portal import config
from portal.messages import sandbox_template_ids
from portal.sandbox import callbacks
from portal.sandbox.notify import state as notify_state
from tests.support.listener import Listener, listening
from tests.support.waiting import until

SERVICE_ID = config.SANDBOX_NOTIFY_KEY[-73:-37]
SECRET = config.SANDBOX_NOTIFY_KEY[-36:]
INVITATION = sandbox_template_ids()["invitation-email-cy+en"]
INVITATION_SMS = sandbox_template_ids()["invitation-sms-cy+en"]
VALUES = {"person_name": "Gwen", "code": "ABCD-2345", "expires_cy": "30 Tachwedd 2026",
          "expires_en": "30 November 2026"}


@pytest.fixture
def notify(base_settings: Any, running_sandboxes: Any) -> NotificationsAPIClient:
    return NotificationsAPIClient(config.SANDBOX_NOTIFY_KEY,
                                  base_url=base_settings.NOTIFY_BASE_URL)


def token(secret: str = SECRET, issued: float | None = None, iss: str = SERVICE_ID) -> str:
    return jwt.encode({"iss": iss, "iat": int(issued or time.time())}, secret, algorithm="HS256")


def test_the_client_sends_finds_and_reads_templates(notify: NotificationsAPIClient) -> None:
    sent = notify.send_email_notification("sian@example.com", INVITATION, VALUES,
                                          reference="ref-1")
    assert "Eich cod yw: ABCD-2345" in sent["content"]["body"]
    assert "Your code is: ABCD-2345" in sent["content"]["body"]
    found = notify.get_all_notifications(reference="ref-1")["notifications"]
    assert [n["id"] for n in found] == [sent["id"]]
    assert notify.get_notification_by_id(sent["id"])["email_address"] == "sian@example.com"
    assert notify.get_template(INVITATION)["type"] == "email"
    assert len(notify.get_all_templates()["templates"]) >= 2
    sms = notify.send_sms_notification("07700900105", sandbox_template_ids()[
        "invitation-sms-cy+en"], VALUES, reference="ref-2")
    assert "Cod: ABCD-2345" in sms["content"]["body"]


@pytest.mark.parametrize("bearer, status, message", [
    (None, 401, "Unauthorized: authentication token must be provided"),
    (token(secret="0" * 36), 403, "Invalid token: API key not found"),
    (token(issued=time.time() - 31), 403,
     "Error: Your system clock must be accurate to within 30 seconds"),
    (jwt.encode({"iat": int(time.time())}, SECRET, algorithm="HS256"), 403,
     "Invalid token: iss field not provided"),
    (jwt.encode({"iss": SERVICE_ID, "iat": int(time.time())}, None, algorithm="none"), 403,
     "Invalid token: algorithm used is not HS256"),
    (token(iss="not-our-service"), 403, "Invalid token: service not found"),
])
def test_tokens_are_checked_as_notify_checks_them(base_settings: Any, running_sandboxes: Any,
                                                  bearer: str | None, status: int,
                                                  message: str) -> None:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    answer = requests.get(base_settings.NOTIFY_BASE_URL + "/v2/templates", headers=headers,
                          timeout=5)
    assert answer.status_code == status
    body = answer.json()
    assert body["status_code"] == status and message in body["errors"][0]["message"]


def test_missing_personalisation_is_a_bad_request(notify: NotificationsAPIClient) -> None:
    with pytest.raises(HTTPError) as refused:
        notify.send_email_notification("a@example.com", INVITATION, {"code": "X"})
    assert refused.value.status_code == 400
    assert "Missing personalisation" in str(refused.value.message)


def test_sends_take_from_a_bucket_of_3000_a_minute_and_reads_never_do(
        notify: NotificationsAPIClient, running_sandboxes: Any) -> None:
    service = notify_state.of(running_sandboxes.servers["notify"].app).first
    now = [1000.0]
    service.clock, service.tokens, service.topped_up = (lambda: now[0]), 1.0, now[0]
    try:
        for _ in range(5):  # reads, as a worker looking up a message it tried before
            notify.get_all_templates()
            notify.get_all_notifications(reference="nothing-sent-with-this")
        notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES)  # the last one
        with pytest.raises(HTTPError) as limited:
            notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES)
        assert limited.value.status_code == 429
        assert limited.value.message == [{"error": "RateLimitError", "message":
                                          "Exceeded rate limit for key type LIVE of 3000 "
                                          "requests per 60 seconds"}]
        notify.get_all_templates()  # still answered
        now[0] += 0.05  # a twentieth of a second: 2.5 more
        notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES)
        notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES)
        with pytest.raises(HTTPError):
            notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES)
        now[0] += 60  # a minute on, the bucket is full, and holds no more than 3000
        for _ in range(3):
            notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES)
        assert service.tokens == 2997
    finally:
        service.clock, service.tokens, service.topped_up = time.monotonic, 3000.0, time.monotonic()


@pytest.mark.parametrize("personalisation, message", [
    ("Gwen", "personalisation 'Gwen' is not of type object"),
    (["Gwen"], "personalisation ['Gwen'] is not of type object"),
    (7, "personalisation 7 is not of type object"),
])
def test_personalisation_that_is_not_an_object_is_notifys_400_not_a_crash(
        notify: NotificationsAPIClient, personalisation: object, message: str) -> None:
    with pytest.raises(HTTPError) as refused:
        notify.send_email_notification("sian@example.com", INVITATION,
                                       personalisation)  # type: ignore[arg-type]
    assert refused.value.status_code == 400
    assert refused.value.message == [{"error": "ValidationError", "message": message}]


def test_a_body_that_is_not_an_object_is_notifys_400(base_settings: Any,
                                                     running_sandboxes: Any) -> None:
    answer = requests.post(f"{base_settings.NOTIFY_BASE_URL}/v2/notifications/email",
                           json=["not", "an", "object"],
                           headers={"Authorization": f"Bearer {token()}"}, timeout=5)
    assert answer.status_code == 400
    assert answer.json() == {"errors": [{"error": "ValidationError", "message":
                                         "['not', 'an', 'object'] is not of type object"}],
                             "status_code": 400}


# Notify's validation, in Notify's words --------------------------------------


@pytest.mark.parametrize("address", [
    "sian@example", "sian..morgan@example.com", "sian@example.c", '"sian"@example.com',
    "sian morgan@example.com", "sian@-example.com", "sian@exa_mple.com", "sian@@example.com",
    "a" * 310 + "@example.com",
])
def test_an_email_address_notify_would_refuse_is_a_400_naming_it(
        notify: NotificationsAPIClient, address: str) -> None:
    with pytest.raises(HTTPError) as refused:
        notify.send_email_notification(address, INVITATION, VALUES)
    assert refused.value.status_code == 400
    assert refused.value.message == [{"error": "ValidationError",
                                      "message": "email_address Not a valid email address"}]


@pytest.mark.parametrize("number, message", [
    ("07700 9001", "Mobile number is too short"),
    ("07700 900 982 1", "Mobile number is too long"),
    ("01632 960 001", "This does not look like a UK mobile number – double check the mobile "
                      "number you entered"),
    ("07700 9OO 982", "Mobile numbers can only include: 0 1 2 3 4 5 6 7 8 9 ( ) + -"),
])
def test_a_number_notify_would_refuse_is_a_400_naming_it(
        notify: NotificationsAPIClient, number: str, message: str) -> None:
    with pytest.raises(HTTPError) as refused:
        notify.send_sms_notification(number, INVITATION_SMS, VALUES)
    assert refused.value.status_code == 400
    assert refused.value.message == [{"error": "ValidationError",
                                      "message": f"phone_number {message}"}]


@pytest.mark.parametrize("address", ["sian.morgan+gofal@example.co.uk", " sian@example.com ",
                                     "o'brien@example.wales", "sian@xn--bcher-kva.example"])
def test_addresses_notify_takes_are_taken(notify: NotificationsAPIClient, address: str) -> None:
    assert notify.send_email_notification(address, INVITATION, VALUES)["id"]


@pytest.mark.parametrize("number", ["07700 900 982", "+44 7700 900982", "(+44) 07700-900-982",
                                    "447700900982", "+33 6 12 34 56 78"])
def test_numbers_notify_takes_are_taken(notify: NotificationsAPIClient, number: str) -> None:
    assert notify.send_sms_notification(number, INVITATION_SMS, VALUES)["id"]


@pytest.mark.parametrize("body, messages", [
    ({"email_address": "sian@example.com", "template_id": "invitation"},
     ["template_id is not a valid UUID"]),
    ({"template_id": INVITATION}, ["email_address is a required property"]),
    ({"email_address": "sian@example.com"}, ["template_id is a required property"]),
    ({"email_address": "sian@example.com", "template_id": INVITATION, "colour": "red",
      "personalisation": VALUES},
     ["Additional properties are not allowed ('colour' was unexpected)"]),
    ({"email_address": "sian@example.com", "template_id": INVITATION, "reference": "r" * 1001,
      "personalisation": VALUES}, [f"reference {'r' * 1001!r}"[:110] + " is too long"]),
])
def test_a_send_notifys_schema_refuses_is_a_400_with_its_message(
        base_settings: Any, running_sandboxes: Any, body: dict[str, Any],
        messages: list[str]) -> None:
    answer = requests.post(f"{base_settings.NOTIFY_BASE_URL}/v2/notifications/email", json=body,
                           headers={"Authorization": f"Bearer {token()}"}, timeout=5)
    assert answer.status_code == 400
    assert [e["message"] for e in answer.json()["errors"]] == messages


def test_an_unknown_template_is_not_found_and_a_missing_value_is_named_once(
        notify: NotificationsAPIClient) -> None:
    with pytest.raises(HTTPError) as unknown:
        notify.send_email_notification("sian@example.com", "f" * 8 + "-ffff-4fff-8fff-" + "f" * 12,
                                       VALUES)
    assert unknown.value.message == [{"error": "BadRequestError", "message": "Template not found"}]
    with pytest.raises(HTTPError) as missing:
        notify.send_email_notification("sian@example.com", INVITATION, {"code": "X"})
    message = missing.value.message[0]["message"]  # type: ignore[index]
    assert message.startswith("Missing personalisation: ")
    named = message.removeprefix("Missing personalisation: ").split(", ")
    assert sorted(named) == sorted(set(named)) and "person_name" in named


def test_lists_come_a_page_at_a_time_and_the_clients_iterator_follows_them(
        notify: NotificationsAPIClient, running_sandboxes: Any) -> None:
    service = notify_state.of(running_sandboxes.servers["notify"].app).first
    service.sent.clear()
    ids = [notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES,
                                        reference="paged")["id"] for _ in range(260)]
    first = notify.get_all_notifications(reference="paged")
    assert len(first["notifications"]) == 250 and "next" in first["links"]
    assert first["notifications"][0]["id"] == ids[-1]  # newest first
    rest = notify.get_all_notifications(reference="paged",
                                        older_than=first["notifications"][-1]["id"])
    assert [n["id"] for n in rest["notifications"]] == list(reversed(ids[:10]))
    after = notify.get_all_notifications(reference="paged", older_than=ids[0])
    assert after["notifications"] == [] and "next" not in after["links"]
    assert [n["id"] for n in notify.get_all_notifications_iterator(reference="paged")] == \
        list(reversed(ids))
    service.sent.clear()


def test_a_notification_and_a_template_carry_the_fields_notify_returns(
        notify: NotificationsAPIClient) -> None:
    sent = notify.send_email_notification("sian@example.com", INVITATION, VALUES)
    shown = notify.get_notification_by_id(sent["id"])
    assert {"id", "reference", "email_address", "phone_number", "line_1", "postcode", "type",
            "status", "template", "body", "subject", "created_at", "created_by_name",
            "sent_at", "completed_at", "scheduled_for", "postage",
            "one_click_unsubscribe", "is_cost_data_ready"} <= set(shown)
    assert set(shown["template"]) == {"id", "version", "uri"}
    template = notify.get_template(INVITATION)
    assert {"id", "name", "type", "created_at", "updated_at", "created_by", "version", "body",
            "subject", "letter_contact_block", "postage"} <= set(template)
    with pytest.raises(HTTPError) as not_uuid:
        notify.get_template("invitation")
    assert not_uuid.value.message == [{"error": "ValidationError",
                                       "message": "template_id is not a valid UUID"}]


# Delivery receipts, as Notify sends them ---------------------------------------


@pytest.fixture
def receipts(running_sandboxes: Any) -> Iterator[Listener]:
    """The Notify sandbox's receipts go to a listener, with Notify's retries a
    thousand times faster (five minutes becomes 0.3 seconds)."""
    service = notify_state.of(running_sandboxes.servers["notify"].app).first
    kept = service.callback_url, service.receipts
    with listening() as listener:
        service.callback_url = listener.url
        service.receipts = callbacks.Caller(callbacks.NOTIFY, scale=0.001)
        yield listener
    service.callback_url, service.receipts = kept


@pytest.mark.parametrize("send, status", [
    (lambda n: n.send_email_notification("temp-fail@simulator.notify", INVITATION, VALUES),
     "temporary-failure"),
    (lambda n: n.send_sms_notification("07700900003", INVITATION_SMS, VALUES),
     "temporary-failure"),
    (lambda n: n.send_email_notification("perm-fail@simulator.notify", INVITATION, VALUES),
     "permanent-failure"),
    (lambda n: n.send_sms_notification("07700 900 002", INVITATION_SMS, VALUES),
     "permanent-failure"),
    (lambda n: n.send_sms_notification("+33 6 12 34 56 78", INVITATION_SMS, VALUES), "sent"),
    (lambda n: n.send_email_notification("sian@example.com", INVITATION, VALUES), "delivered"),
])
def test_receipts_say_what_notify_would_with_the_template_and_its_version(
        notify: NotificationsAPIClient, receipts: Listener, send: Any, status: str) -> None:
    sent = send(notify)
    [receipt] = receipts.wait_for(1)
    assert receipt["id"] == sent["id"] and receipt["status"] == status
    assert receipt["template_id"] == sent["template"]["id"] and receipt["template_version"] == 1
    assert {"reference", "to", "created_at", "completed_at", "sent_at",
            "notification_type"} <= set(receipt)
    assert notify.get_notification_by_id(sent["id"])["status"] == status
    headers = receipts.received[0][0]
    assert headers["Authorization"] == "Bearer test-callback-token"


def test_a_receipt_the_service_fails_to_take_is_sent_again_as_notify_does(
        notify: NotificationsAPIClient, receipts: Listener) -> None:
    receipts.answers.extend([503, 500, 429])  # down, then broken, then busy: then it takes it
    sent = notify.send_email_notification("sian@example.com", INVITATION, VALUES)
    bodies = receipts.wait_for(4)
    assert {b["id"] for b in bodies} == {sent["id"]}


def test_a_receipt_the_service_refuses_is_not_sent_again_and_notify_gives_up_after_five_more(
        notify: NotificationsAPIClient, receipts: Listener, running_sandboxes: Any) -> None:
    service = notify_state.of(running_sandboxes.servers["notify"].app).first
    receipts.answers.append(400)
    notify.send_email_notification("sian@example.com", INVITATION, VALUES)
    receipts.wait_for(1)
    receipts.answers.extend([503] * 10)
    notify.send_email_notification("sian@example.com", INVITATION, VALUES)
    receipts.wait_for(7)
    assert until(lambda: len(service.receipts.attempts) == 7, 5)
    time.sleep(0.5)  # the last retry would be due by now
    assert len(receipts.received) == 7  # one refused; one tried six times


LETTER = sandbox_template_ids()["message-arrived-letter-cy"]
ADDRESS = {"address_line_1": "Gwen Morgan", "address_line_2": "2 Ffordd y Môr",
           "address_line_3": "Bangor", "address_line_4": "LL57 2PW"}


def test_a_letter_is_sent_to_an_address_notify_would_post_to(
        notify: NotificationsAPIClient, running_sandboxes: Any) -> None:
    sent = notify.send_letter_notification(LETTER, {**ADDRESS, "url": "https://x.example"},
                                           reference="letter-1")
    assert sent["content"]["subject"] == "Neges newydd gan y tîm gofal"
    shown = notify.get_notification_by_id(sent["id"])
    assert shown["type"] == "letter" and shown["line_1"] == "Gwen Morgan"
    assert shown["postcode"] == "LL57 2PW" and shown["status"] == "accepted"


@pytest.mark.parametrize("address, message", [
    ({"address_line_1": "Gwen Morgan"}, "personalisation address_line_2 is a required property"),
    ({"address_line_1": "Gwen", "address_line_2": "LL57 2PW"}, "at least 3 lines"),
    ({f"address_line_{n}": f"Line {n}" for n in range(1, 8)} | {"address_line_8": "LL57 2PW"},
     "no more than 7 lines"),
    ({**ADDRESS, "address_line_4": "Not a postcode"}, "must be a real UK postcode"),
    ({**ADDRESS, "address_line_2": "(2) Ffordd y Môr"}, "must not start with"),
    ({**ADDRESS, "address_line_2": "~2 Ffordd y Môr"}, "must not start with"),
    ({**ADDRESS, "address_line_2": "NFA"}, "Must be a real address"),
    ({**ADDRESS, "address_line_2": "No fixed abode"}, "Must be a real address"),
    ({**ADDRESS, "address_line_1": "- -"}, "Must be a real address"),
    ({**ADDRESS, "address_line_4": "QQ1 1AA"}, "must be a real UK postcode"),  # no such area
    ({**ADDRESS, "address_line_4": "Narnia"}, "must be a real UK postcode or another country"),
])
def test_an_address_notify_would_not_post_to_is_refused_in_its_words(
        notify: NotificationsAPIClient, address: dict[str, str], message: str) -> None:
    with pytest.raises(HTTPError) as refused:
        notify.send_letter_notification(LETTER, {**address, "url": "https://x.example"})
    assert refused.value.status_code == 400 and message in str(refused.value.message)


@pytest.mark.parametrize("address, last", [
    ({**ADDRESS, "address_line_5": "Wales"}, "LL57 2PW"),     # the UK's own name, dropped
    ({**ADDRESS, "address_line_4": "ll572pw"}, "LL57 2PW"),    # printed as Royal Mail sorts it
    ({"address_line_1": "Jean Martin", "address_line_2": "3 rue de la Paix",
      "address_line_3": "Paris", "address_line_4": "France"}, "France"),  # international
])
def test_an_address_is_printed_as_notify_prints_it(
        notify: NotificationsAPIClient, address: dict[str, str], last: str) -> None:
    sent = notify.send_letter_notification(LETTER, {**address, "url": "https://x.example"})
    assert notify.get_notification_by_id(sent["id"])["postcode"] == last


def test_a_letter_is_held_to_the_schema_every_send_is_held_to(
        notify: NotificationsAPIClient) -> None:
    values = {**ADDRESS, "url": "https://x.example"}
    for reference, message in ((123, "reference 123 is not of type string"),
                               ("x" * 1001, "is too long")):
        with pytest.raises(HTTPError) as refused:
            notify.post("/v2/notifications/letter", data={
                "template_id": LETTER, "personalisation": values, "reference": reference})
        assert refused.value.status_code == 400 and message in str(refused.value.message)
    with pytest.raises(HTTPError) as refused:
        notify.post("/v2/notifications/letter", data={
            "template_id": LETTER, "personalisation": None})
    assert "personalisation None is not of type object" in str(refused.value.message)


def test_a_precompiled_letter_must_be_a_pdf(notify: NotificationsAPIClient) -> None:
    from portal.sandbox.backoffice.documents import pdf

    sent = notify.send_precompiled_letter_notification("letter-2", io.BytesIO(pdf(["Hi"])))
    assert sent["postage"] == "second"
    with pytest.raises(HTTPError) as refused:
        notify.send_precompiled_letter_notification("letter-3", io.BytesIO(b"MZ a program"))
    assert "not a valid PDF" in str(refused.value.message)
