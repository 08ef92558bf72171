"""The sandbox Notify checks tokens, limits and templates as Notify does, and
notifications-python-client works against it for every call the portal makes."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from portal import config
from portal.messages import sandbox_template_ids

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
    (token(secret="0" * 36), 403, "Invalid token: signature"),
    (token(issued=time.time() - 31), 403, "Token has expired"),
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


def test_more_than_3000_sends_a_minute_get_429_and_reads_never_count(
        notify: NotificationsAPIClient, running_sandboxes: Any) -> None:
    service = running_sandboxes.servers["notify"].app.extensions["sandbox_notify"]
    service.calls.clear()  # sends by earlier tests fall outside this minute
    service.calls.extend([time.monotonic()] * 2999)
    try:
        for _ in range(5):  # reads, as a worker looking up a message it tried before
            notify.get_all_templates()
            notify.get_all_notifications(reference="nothing-sent-with-this")
        assert len(service.calls) == 2999
        notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES)
        with pytest.raises(HTTPError) as limited:
            notify.send_sms_notification("07700900123", INVITATION_SMS, VALUES)
        assert limited.value.status_code == 429
        assert "3000 requests per 60 seconds" in str(limited.value.message)
        notify.get_all_templates()  # still answered
    finally:
        service.calls.clear()


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
