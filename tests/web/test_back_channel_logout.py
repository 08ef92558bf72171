"""Signing out of the sign-in provider elsewhere ends every session here: the
provider's back-channel logout token (OpenID Connect Back-Channel Logout 1.0, as
GOV.UK One Login sends it) is checked, and anything else changes nothing."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from flask import Flask
from joserfc import jwt
from joserfc.jwk import ECKey
from sqlalchemy import select

from portal.store.models import UserSession
from tests.conftest import IDENTITY, sign_in

EVENT = "http://schemas.openid.net/event/backchannel-logout"


def provider_token(base_settings: Any, who: str) -> str:
    """The logout token the sandbox provider would send the portal for `who`."""
    answer = requests.get(f"{base_settings.IDENTITY_ISSUER}_sandbox/logout-token", timeout=5,
                          params={"client_id": base_settings.IDENTITY_CLIENT_ID,
                                  "sub": IDENTITY[who].sub})
    return str(answer.json()["logout_token"])


def test_a_logout_token_ends_every_session_of_that_person_and_no_one_else(
        app: Flask, base_settings: Any) -> None:
    phone, laptop, other = app.test_client(), app.test_client(), app.test_client()
    for client, who in ((phone, "Gwen"), (laptop, "Gwen"), (other, "Dafydd")):
        sign_in(client, who)
        assert client.get("/your-care").status_code == 200
    told = app.test_client().post("/sign-in/back-channel-logout",
                                  data={"logout_token": provider_token(base_settings, "Gwen")})
    assert told.status_code == 200 and told.get_json() == {"sessions_ended": 2}
    assert told.headers["Cache-Control"] == "no-store"
    for client in (phone, laptop):
        assert client.get("/your-care").headers["Location"].endswith("/sign-in")
    assert other.get("/your-care").status_code == 200


def forged(base_settings: Any, **changes: Any) -> str:
    """A token shaped like the provider's, signed with a key that is not the provider's."""
    now = int(time.time())
    claims = {"iss": base_settings.IDENTITY_ISSUER, "aud": base_settings.IDENTITY_CLIENT_ID,
              "sub": IDENTITY["Gwen"].sub, "iat": now, "exp": now + 120, "jti": "j-1",
              "events": {EVENT: {}}, **changes}
    return jwt.encode({"alg": "ES256"}, claims, ECKey.generate_key("P-256"))


@pytest.mark.parametrize("token", [
    "", "not-a-token", "a" * 9000,
    lambda s: forged(s),
    lambda s: provider_token(s, "Gwen")[:-4] + "AAAA",  # its signature broken
])
def test_anything_but_the_provider_s_token_for_us_is_refused_and_ends_nothing(
        app: Flask, base_settings: Any, token: Any) -> None:
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    value = token(base_settings) if callable(token) else token
    refused = app.test_client().post("/sign-in/back-channel-logout",
                                     data={"logout_token": value})
    assert refused.status_code == 400 and refused.get_json() == {"error": "invalid_request"}
    assert gwen.get("/your-care").status_code == 200


def test_an_id_token_is_not_a_logout_token(app: Flask, base_settings: Any) -> None:
    """A token the provider signed for us that is not a logout token: the ID token a
    sign-in brought (it has a nonce, and no logout event)."""
    gwen = app.test_client()
    sign_in(gwen, "Gwen")
    store = app.extensions["portal"].store
    with store.transaction() as db:
        id_token = db.scalar(select(UserSession.id_token).where(UserSession.id_token.is_not(None)))
    assert id_token
    refused = app.test_client().post("/sign-in/back-channel-logout",
                                     data={"logout_token": id_token})
    assert refused.status_code == 400
    assert gwen.get("/your-care").status_code == 200
