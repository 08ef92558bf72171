"""The sandbox sign-in provider behaves as GOV.UK One Login does where a service would
notice, driven by authlib as any standard OpenID Connect client would drive it: the
levels of confidence asked for, the scopes and their claims, PKCE, at_hash, and the
client assertions One Login takes."""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey

from portal.sandbox.identity.app import RegisteredClient, create_app
from portal.sandbox.identity.identities import IDENTITIES
from portal.sandboxes import serve
from tests.conftest import free_port
from tests.support.listener import Listener, listening
from tests.support.waiting import until

CALLBACK = "https://service.example/callback"
GWEN = IDENTITIES[0]
RSA_KEY = RSAKey.generate_key(2048)
EC_KEY = ECKey.generate_key("P-256")


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A provider with two services registered: one with an RSA key, one with EC."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/"
    app = create_app(issuer, [
        RegisteredClient("rsa-service", RSA_KEY.as_pem(private=False).decode(), (CALLBACK,), ()),
        RegisteredClient("ec-service", EC_KEY.as_pem(private=False).decode(), (CALLBACK,), ()),
    ])
    server = serve(app, port, "identity-conformance")
    yield issuer
    server.shutdown()


def discovered(issuer: str) -> dict[str, Any]:
    return dict(requests.get(f"{issuer}.well-known/openid-configuration", timeout=5).json())


def session(issuer: str, client_id: str = "rsa-service", alg: str = "PS256",
            scope: str = "openid email phone", audience: str | None = None) -> OAuth2Session:
    key = EC_KEY if client_id == "ec-service" else RSA_KEY
    token_endpoint = discovered(issuer)["token_endpoint"]
    client = OAuth2Session(client_id, key, scope=scope, redirect_uri=CALLBACK,
                           token_endpoint_auth_method=PrivateKeyJWT.name)
    client.register_client_auth_method(PrivateKeyJWT(audience or token_endpoint, alg=alg))
    return client


def sign_in(issuer: str, client: OAuth2Session, **extra: str) -> str:
    """Sign in as Gwen; returns where the provider sends the browser back to."""
    url, _state = client.create_authorization_url(discovered(issuer)["authorization_endpoint"],
                                                  nonce="n-0S6_WzA2Mj", **extra)
    answer = requests.post(url, data={"sub": GWEN.sub}, allow_redirects=False, timeout=5)
    return str(answer.headers["Location"])


def claims_of(issuer: str, id_token: str) -> dict[str, Any]:
    keys = KeySet.import_key_set(requests.get(discovered(issuer)["jwks_uri"], timeout=5).json())
    return dict(jwt.decode(id_token, keys, algorithms=["ES256"]).claims)


def test_discovery_publishes_what_one_login_publishes(provider: str) -> None:
    found = discovered(provider)
    assert found["issuer"] == provider
    assert {"authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
            "end_session_endpoint", "scopes_supported", "response_types_supported",
            "grant_types_supported", "token_endpoint_auth_methods_supported",
            "token_endpoint_auth_signing_alg_values_supported",
            "id_token_signing_alg_values_supported", "subject_types_supported",
            "claims_supported", "ui_locales_supported", "trustmarks",
            "backchannel_logout_supported", "code_challenge_methods_supported"} <= set(found)
    assert {"PS256", "ES256"} <= set(found["token_endpoint_auth_signing_alg_values_supported"])
    assert found["ui_locales_supported"] == ["en", "cy"]
    assert "registration_endpoint" not in found  # no null for an endpoint it does not have


@pytest.mark.parametrize("client_id, alg", [("rsa-service", "PS256"), ("rsa-service", "RS256"),
                                            ("ec-service", "ES256")])
def test_a_standard_client_signs_in_with_each_assertion_one_login_takes(
        provider: str, client_id: str, alg: str) -> None:
    client = session(provider, client_id, alg)
    token = client.fetch_token(discovered(provider)["token_endpoint"],
                               authorization_response=sign_in(provider, client))
    claims = claims_of(provider, token["id_token"])
    assert claims["sub"] == GWEN.sub and claims["aud"] == client_id
    assert claims["vot"] == "Cl.Cm"  # asked for nothing: One Login's default
    half = hashlib.sha256(token["access_token"].encode()).digest()[:16]
    assert claims["at_hash"] == base64.urlsafe_b64encode(half).rstrip(b"=").decode()


def test_an_assertion_for_the_issuer_is_taken_too(provider: str) -> None:
    client = session(provider, audience=provider)
    token = client.fetch_token(discovered(provider)["token_endpoint"],
                               authorization_response=sign_in(provider, client))
    assert token["id_token"]


@pytest.mark.parametrize("client_id, alg, audience", [
    ("ec-service", "PS256", None),      # the wrong kind of key for the client
    ("rsa-service", "PS256", "https://elsewhere.example/token"),  # for someone else
])
def test_an_assertion_one_login_would_refuse_is_400_invalid_client(
        provider: str, client_id: str, alg: str, audience: str | None) -> None:
    signer = session(provider, "rsa-service" if client_id == "ec-service" else client_id, alg,
                     audience=audience)
    signer.client_id = client_id  # claims to be the EC service, signed with an RSA key
    answer = requests.post(discovered(provider)["token_endpoint"], timeout=5, data={
        "grant_type": "authorization_code", "code": "nothing", "redirect_uri": CALLBACK,
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": PrivateKeyJWT(alg=alg).sign(
            signer, audience or discovered(provider)["token_endpoint"])})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client"


def test_the_level_of_confidence_asked_for_is_the_one_given(provider: str) -> None:
    client = session(provider)
    token = client.fetch_token(discovered(provider)["token_endpoint"],
                               authorization_response=sign_in(provider, client,
                                                              vtr=json.dumps(["Cl"])))
    assert claims_of(provider, token["id_token"])["vot"] == "Cl"


@pytest.mark.parametrize("extra, error", [
    ({"vtr": json.dumps(["P2.Cl.Cm"])}, "invalid_request"),   # identity proving: not here
    ({"vtr": "Cl.Cm"}, "invalid_request"),                     # not a JSON list
    ({"code_challenge": "x" * 43, "code_challenge_method": "plain"}, "invalid_request"),
])
def test_what_one_login_refuses_comes_back_as_an_error(
        provider: str, extra: dict[str, str], error: str) -> None:
    back = parse_qs(urlsplit(sign_in(provider, session(provider), **extra)).query)
    assert back["error"] == [error] and "code" not in back


def test_an_unknown_scope_is_refused(provider: str) -> None:
    back = parse_qs(urlsplit(sign_in(provider, session(provider,
                                                       scope="openid email address"))).query)
    assert back["error"] == ["invalid_scope"]


@pytest.mark.parametrize("scope, claims", [
    ("openid", {"sub"}),
    ("openid email", {"sub", "email", "email_verified"}),
    ("openid phone", {"sub", "phone_number", "phone_number_verified"}),
])
def test_userinfo_holds_only_the_claims_of_the_scopes_asked_for(
        provider: str, scope: str, claims: set[str]) -> None:
    client = session(provider, scope=scope)
    client.fetch_token(discovered(provider)["token_endpoint"],
                       authorization_response=sign_in(provider, client))
    info = client.get(discovered(provider)["userinfo_endpoint"], timeout=5).json()
    assert set(info) == claims


def test_pkce_is_honoured_when_the_client_uses_it(provider: str) -> None:
    client = session(provider)
    client.code_challenge_method = "S256"
    verifier = "v" * 64
    back = sign_in(provider, client, code_verifier=verifier)
    token_endpoint = discovered(provider)["token_endpoint"]
    with pytest.raises(Exception, match="invalid_grant"):
        client.fetch_token(token_endpoint, authorization_response=back, code_verifier="w" * 64)
    back = sign_in(provider, client, code_verifier=verifier)
    assert client.fetch_token(token_endpoint, authorization_response=back,
                              code_verifier=verifier)["id_token"]


@pytest.fixture
def services() -> Iterator[tuple[str, dict[str, Listener]]]:
    """A provider with three services that take logout tokens, each at a listener."""
    with listening() as one, listening() as two, listening() as unused:
        port = free_port()
        issuer = f"http://127.0.0.1:{port}/"
        listeners = {"one": one, "two": two, "unused": unused}
        app = create_app(issuer, [
            RegisteredClient(name, RSA_KEY.as_pem(private=False).decode(), (CALLBACK,),
                             (CALLBACK,), back_channel_logout_uri=listener.url)
            for name, listener in listeners.items()])
        server = serve(app, port, "identity-logout")
        yield issuer, listeners
        server.shutdown()


def signed_in_browser(issuer: str, browser: requests.Session, client_id: str) -> str:
    """Sign in to a service in this browser (its cookies kept); returns the ID token."""
    client = session(issuer, client_id)
    url, _state = client.create_authorization_url(discovered(issuer)["authorization_endpoint"],
                                                  nonce="n-1")
    back = browser.post(url, data={"sub": GWEN.sub}, allow_redirects=False, timeout=5)
    token = client.fetch_token(discovered(issuer)["token_endpoint"],
                               authorization_response=back.headers["Location"])
    return str(token["id_token"])


def signed_in_to_both_then_out(issuer: str) -> None:
    """In one browser, sign in to services one and two, then sign out from one."""
    browser = requests.Session()
    id_token = signed_in_browser(issuer, browser, "one")
    signed_in_browser(issuer, browser, "two")
    browser.get(f"{issuer}logout", params={"id_token_hint": id_token,
                                           "post_logout_redirect_uri": CALLBACK},
                allow_redirects=False, timeout=30)


def test_signing_out_tells_every_service_used_in_that_browser_the_one_signing_out_too(
        services: tuple[str, dict[str, Listener]]) -> None:
    issuer, listeners = services
    signed_in_to_both_then_out(issuer)
    for name in ("one", "two"):
        assert until(lambda name=name: len(listeners[name].received) == 1)
        (headers, body), = listeners[name].received
        token = parse_qs(body.decode())["logout_token"][0]
        claims = claims_of(issuer, token)
        assert claims["aud"] == name and claims["sub"] == GWEN.sub and "sid" not in claims
    assert listeners["unused"].received == []  # never signed in to: never told


def test_a_logout_token_is_sent_again_up_to_three_times_until_it_is_taken(
        services: tuple[str, dict[str, Listener]]) -> None:
    issuer, listeners = services
    listeners["one"].answers = [500, 503]          # taken the third time
    listeners["two"].answers = [500, 400, 502, 500]  # never taken: 1 try and 3 more
    signed_in_to_both_then_out(issuer)
    assert until(lambda: len(listeners["two"].received) == 4)
    assert until(lambda: len(listeners["one"].received) == 3)
    time.sleep(0.5)  # and no more
    assert (len(listeners["one"].received), len(listeners["two"].received)) == (3, 4)
