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
    return jwt.encode({"alg": "ES256", "kid": "a-key-the-provider-never-had"}, claims,
                      ECKey.generate_key("P-256"))


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


def test_a_logout_token_sent_again_ends_nothing_not_even_sessions_started_since(
        app: Flask, base_settings: Any) -> None:
    """One Login asks services to refuse a jti seen in the last 3 minutes: a token
    captured, or the provider retrying, must not end the person's next session."""
    token = provider_token(base_settings, "Gwen")
    first = app.test_client()
    sign_in(first, "Gwen")
    told = app.test_client().post("/sign-in/back-channel-logout", data={"logout_token": token})
    assert told.get_json() == {"sessions_ended": 1}
    since = app.test_client()
    sign_in(since, "Gwen")
    again = app.test_client().post("/sign-in/back-channel-logout", data={"logout_token": token})
    assert again.status_code == 200 and again.get_json() == {"sessions_ended": 0}
    assert since.get("/your-care").status_code == 200
    fresh = app.test_client().post("/sign-in/back-channel-logout",
                                   data={"logout_token": provider_token(base_settings, "Gwen")})
    assert fresh.get_json() == {"sessions_ended": 1}


def test_forged_tokens_do_not_make_the_portal_fetch_the_provider_s_keys_each_time(
        app: Flask, base_settings: Any) -> None:
    identity = app.extensions["portal"].identity
    fetched: list[str] = []
    identity.session.hooks["response"].append(
        lambda response, *_args, **_kwargs: fetched.append(response.url)
        if response.url.endswith("/jwks.json") else None)
    assert app.test_client().post("/sign-in/back-channel-logout", data={
        "logout_token": provider_token(base_settings, "Dafydd")}).status_code == 200
    fetched.clear()
    caller = app.test_client()
    answers = [caller.post("/sign-in/back-channel-logout",
                           data={"logout_token": forged(base_settings, jti=f"j-{n}")},
                           environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code
               for n in range(30)]
    assert answers == [400] * 30
    assert len(fetched) <= 1  # an unknown key id is looked up at most once a minute
    # the provider's own token still works, with the keys it has
    assert caller.post("/sign-in/back-channel-logout", data={
        "logout_token": provider_token(base_settings, "Dafydd")}).status_code == 200
    assert len(fetched) <= 1


def test_an_address_sending_refused_tokens_is_slowed_and_the_provider_is_not(
        app: Flask, base_settings: Any) -> None:
    caller = app.test_client()
    answers = [caller.post("/sign-in/back-channel-logout", data={"logout_token": "x"},
                           environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code
               for _ in range(31)]
    assert answers[:30] == [400] * 30 and answers[30] == 429
    provider = [caller.post("/sign-in/back-channel-logout", data={
        "logout_token": provider_token(base_settings, "Dafydd")},
        environ_base={"REMOTE_ADDR": "192.0.2.8"}).status_code for _ in range(35)]
    assert provider == [200] * 35
