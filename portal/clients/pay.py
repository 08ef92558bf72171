"""Client for GOV.UK Pay's public API (https://docs.payments.service.gov.uk/api_reference/),
and the check of the signature on Pay's webhooks."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from typing import Any

import requests

from portal.clients.callbacks import same_secret
from portal.clients.errors import ServiceError, ServiceUnavailable
from portal.clients.http import build_session

log = logging.getLogger(__name__)
SERVICE = "GOV.UK Pay"


class PayUnavailable(ServiceUnavailable):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(SERVICE, message, status)


class PayRejected(ServiceError):
    """Pay refused the request; `code` is Pay's error code (P0102 and so on)."""

    def __init__(self, message: str, status: int, code: str | None) -> None:
        super().__init__(SERVICE, message, status)
        self.code = code


@dataclass(frozen=True)
class PayPayment:
    payment_id: str
    amount: int
    reference: str
    status: str        # created, started, submitted, success, failed, cancelled, error
    finished: bool
    code: str | None   # why it failed: P0010 declined, P0020 expired, P0030 cancelled ...
    next_url: str | None
    metadata: dict[str, Any]

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> PayPayment:
        state = body["state"]
        next_url = (body.get("_links") or {}).get("next_url") or {}
        return cls(payment_id=body["payment_id"], amount=body["amount"],
                   reference=body["reference"], status=state["status"],
                   finished=bool(state["finished"]), code=state.get("code"),
                   next_url=next_url.get("href"), metadata=body.get("metadata") or {})


class PayClient:
    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = build_session()
        self.session.headers["Authorization"] = f"Bearer {api_key}"
        self.session.headers["Accept"] = "application/json"

    def create_payment(self, amount: int, reference: str, description: str, return_url: str,
                       language: str, email: str | None, metadata: dict[str, str],
                       idempotency_key: str) -> PayPayment:
        """A new payment; the same Idempotency-Key and body give back the same payment."""
        body: dict[str, Any] = {"amount": amount, "reference": reference,
                                "description": description, "return_url": return_url,
                                "language": language, "metadata": metadata}
        if email:
            body["email"] = email
        return PayPayment.from_json(self._request(
            "POST", "/v1/payments", json=body, headers={"Idempotency-Key": idempotency_key}))

    def get_payment(self, payment_id: str) -> PayPayment:
        return PayPayment.from_json(self._request("GET", f"/v1/payments/{payment_id}"))

    def search_payments(self, reference: str) -> list[PayPayment]:
        """Every payment with this reference, newest first."""
        found: list[PayPayment] = []
        page = 1
        while True:
            body = self._request("GET", "/v1/payments",
                                 params={"reference": reference, "page": page})
            found += [PayPayment.from_json(p) for p in body["results"]]
            if not (body.get("_links") or {}).get("next_page"):
                return found
            page += 1

    def cancel_payment(self, payment_id: str) -> None:
        self._request("POST", f"/v1/payments/{payment_id}/cancel")

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.session.request(method, self.base_url + path, timeout=self.timeout,
                                            **kwargs)
        except (requests.Timeout, requests.ConnectionError) as error:
            log.error("Pay unreachable: %s %s (%s)", method, path, error)
            raise PayUnavailable(f"no answer to {method} {path}") from error
        if response.status_code == 204:
            return {}
        if response.ok:
            result: dict[str, Any] = response.json()
            return result
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        code, description = problem.get("code"), problem.get("description", response.reason)
        if response.status_code >= 500 or response.status_code == 429:
            log.error("Pay failed: %s %s -> %s %s", method, path, response.status_code, code)
            raise PayUnavailable(f"{response.status_code} {code}: {description}",
                                 response.status_code)
        log.error("Pay refused: %s %s -> %s %s %s", method, path, response.status_code, code,
                  description)
        raise PayRejected(f"{code}: {description}", response.status_code, code)


def signature_is_valid(body: bytes, signature: str | None, secret: str) -> bool:
    """Pay signs each webhook with HMAC-SHA256 of its body, in hex (Pay-Signature)."""
    if not secret:
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return same_secret((signature or "").strip(), expected)
