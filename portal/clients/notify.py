"""GOV.UK Notify, through its own Python client."""

from __future__ import annotations

import logging
from typing import Any

from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from portal.clients.errors import ServiceError, ServiceUnavailable

log = logging.getLogger(__name__)
SERVICE = "GOV.UK Notify"


class NotifyUnavailable(ServiceUnavailable):
    """Worth trying again: down, slow or rate-limited. The message may have been
    accepted all the same when no answer came back."""

    def __init__(self, message: str, status: int | None) -> None:
        super().__init__(SERVICE, message, status)


class NotifyRejected(ServiceError):
    """Notify refused the message as it stands: trying again will not help."""


class RecipientRefused(NotifyRejected):
    """Notify refused the email address or phone number itself (a 400 ValidationError
    naming it): nothing will reach it until the person changes it."""


# The fields Notify names when it refuses a recipient.
RECIPIENT_FIELDS = ("email_address ", "phone_number ")


class NotifyClient:
    """Sends emails, texts and letters; finds a sent message by our reference."""

    def __init__(self, api_key: str, base_url: str, template_ids: dict[str, str],
                 timeout: float = 10.0) -> None:
        self._client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self.template_ids = template_ids

    def send(self, channel: str, template_name: str, to: str,
             personalisation: dict[str, Any], reference: str,
             unsubscribe_url: str | None = None) -> str:
        """Send one message; returns Notify's id for it. An email with an unsubscribe
        URL gets Notify's one-click unsubscribe: mail programs offer it as a button."""
        template_id = self.template_ids[template_name]
        if channel == "email":
            answer = self._call(self._client.send_email_notification, email_address=to,
                                template_id=template_id, personalisation=personalisation,
                                reference=reference, one_click_unsubscribe_url=unsubscribe_url)
        elif channel == "letter":  # the address is in the personalisation
            answer = self._call(self._client.send_letter_notification, template_id=template_id,
                                personalisation=personalisation, reference=reference)
        else:
            answer = self._call(self._client.send_sms_notification, phone_number=to,
                                template_id=template_id, personalisation=personalisation,
                                reference=reference)
        return str(answer["id"])

    def find_sent(self, reference: str) -> str | None:
        """Notify's id for a message we sent with this reference, if it has one."""
        answer = self._call(self._client.get_all_notifications, reference=reference)
        found = answer.get("notifications", [])
        return str(found[0]["id"]) if found else None

    def _call(self, method: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = method(**kwargs)
            return result
        except HTTPError as error:
            status = error.status_code
            if status == 429 or status >= 500:
                # The client reports "no answer at all" (a timeout) as a 503 too.
                log.warning("Notify unavailable: %s %s", status, error.message)
                raise NotifyUnavailable(str(error.message), status) from error
            log.error("Notify refused: %s %s", status, error.message)
            if status == 400 and _refuses_recipient(error.message):
                raise RecipientRefused(SERVICE, str(error.message), status) from error
            raise NotifyRejected(SERVICE, str(error.message), status) from error


def _refuses_recipient(errors: Any) -> bool:
    """Whether Notify's errors say the recipient itself is not valid."""
    return isinstance(errors, list) and any(
        isinstance(e, dict) and e.get("error") == "ValidationError"
        and str(e.get("message", "")).startswith(RECIPIENT_FIELDS) for e in errors)
