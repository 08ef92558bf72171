"""Sign-in against the One Login-shaped sandbox over real HTTP."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from portal.clients.errors import SignInFailed
from portal.clients.identity import IdentityClient
from portal.sandbox.identity.identities import IDENTITIES

CALLBACK = "http://portal.test/sign-in/callback"
VERIFIER = "v" * 43  # PKCE: the code is worth nothing without it


@pytest.fixture
def identity(base_settings: Any, running_sandboxes: Any) -> IdentityClient:
    return IdentityClient(base_settings.IDENTITY_ISSUER, base_settings.IDENTITY_CLIENT_ID,
                          base_settings.IDENTITY_PRIVATE_KEY_PEM)


def authorize(identity: IdentityClient, nonce: str = "n-123", language: str = "cy") -> str:
    """Choose Gwen on the sandbox's page and return the code it sends back."""
    url = identity.authorization_url(CALLBACK, "s-123", nonce, language, VERIFIER)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["vtr"] == '["Cl.Cm"]' and query["ui_locales"] == language
    page = requests.get(url, timeout=5)
    assert 'lang="cy"' in page.text and "Pwy ydych chi eisiau mewngofnodi fel?" in page.text
    back = requests.post(url.split("?")[0], data={**query, "sub": IDENTITIES[0].sub},
                         allow_redirects=False, timeout=5)
    answer = parse_qs(urlsplit(back.headers["Location"]).query)
    assert answer["state"] == ["s-123"]
    return answer["code"][0]


def test_a_full_sign_in_gives_the_identity_and_its_contact_details(
        identity: IdentityClient) -> None:
    signed = identity.complete_sign_in(CALLBACK, authorize(identity), "n-123", VERIFIER)
    assert signed.sub == IDENTITIES[0].sub
    assert signed.email == "gwen.morgan@example.com"
    assert signed.phone_number == "+447700900101"
    assert signed.sid


def test_an_id_token_for_another_nonce_is_refused(identity: IdentityClient) -> None:
    with pytest.raises(SignInFailed):
        identity.complete_sign_in(CALLBACK, authorize(identity, nonce="first"), "second",
                                  VERIFIER)


def test_a_code_is_worth_nothing_without_its_verifier(identity: IdentityClient) -> None:
    with pytest.raises(SignInFailed, match="invalid_grant"):
        identity.complete_sign_in(CALLBACK, authorize(identity), "n-123", "w" * 43)


def test_a_code_works_once(identity: IdentityClient) -> None:
    code = authorize(identity)
    identity.complete_sign_in(CALLBACK, code, "n-123", VERIFIER)
    with pytest.raises(SignInFailed):
        identity.complete_sign_in(CALLBACK, code, "n-123", VERIFIER)


def test_the_provider_refuses_a_client_that_cannot_prove_its_key(
        identity: IdentityClient, base_settings: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    impostor = IdentityClient(base_settings.IDENTITY_ISSUER, base_settings.IDENTITY_CLIENT_ID,
                              other_key)
    with pytest.raises(SignInFailed):
        impostor.complete_sign_in(CALLBACK, authorize(identity), "n-123", VERIFIER)


def test_the_provider_wants_a_nonce_and_a_user_agent(identity: IdentityClient) -> None:
    url = identity.authorization_url(CALLBACK, "s-1", "n-1", "en", VERIFIER).replace(
        "nonce=n-1", "nonce=")
    refused = requests.get(url, allow_redirects=False, timeout=5)
    assert "error=invalid_request" in refused.headers["Location"]
    token = requests.post(identity.metadata()["token_endpoint"], data={"grant_type": "x"},
                          headers={"User-Agent": ""}, timeout=5)
    assert token.status_code == 400 and token.json()["error"] == "invalid_request"


def test_logout_returns_to_the_registered_page_with_state(identity: IdentityClient) -> None:
    signed = identity.complete_sign_in(CALLBACK, authorize(identity), "n-123", VERIFIER)
    url = identity.logout_url(signed.id_token, "http://portal.test/signed-out", "st")
    back = requests.get(url, allow_redirects=False, timeout=5)
    assert back.headers["Location"] == "http://portal.test/signed-out?state=st"
    elsewhere = identity.logout_url(signed.id_token, "https://evil.example/", "st")
    assert requests.get(elsewhere, allow_redirects=False, timeout=5).status_code == 200


@pytest.mark.parametrize("ahead, answer", [(5, "invalid_grant"), (60, "invalid_client")],
                         ids=["5-seconds-ahead", "a-minute-ahead"])
def test_a_client_clock_a_little_ahead_is_allowed_for_and_no_more(
        base_settings: Any, running_sandboxes: Any, ahead: int, answer: str) -> None:
    """An assertion "issued" 5 seconds from now is a client's clock a little fast, and
    is accepted (the made-up code is then refused); a minute from now is not."""
    import time
    import uuid

    from joserfc import jwt
    from joserfc.jwk import RSAKey

    now = int(time.time()) + ahead
    token_url = base_settings.IDENTITY_ISSUER.rstrip("/") + "/token"
    assertion = jwt.encode(
        {"alg": "RS256"},
        {"iss": base_settings.IDENTITY_CLIENT_ID, "sub": base_settings.IDENTITY_CLIENT_ID,
         "aud": token_url, "iat": now, "exp": now + 60, "jti": str(uuid.uuid4())},
        RSAKey.import_key(base_settings.IDENTITY_PRIVATE_KEY_PEM))
    refused = requests.post(token_url, timeout=5, data={
        "grant_type": "authorization_code", "code": "made-up", "redirect_uri": "x",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": assertion})
    assert refused.json()["error"] == answer
