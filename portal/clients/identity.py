"""OpenID Connect client for a provider shaped like GOV.UK One Login.

Authorization code flow with state, nonce and PKCE (S256), private_key_jwt client
authentication at the token endpoint, ES256 (or RS256) ID tokens checked against
the provider's JWKS (their at_hash against the access token), userinfo for email
and phone.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7523 import private_key_jwt_sign
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, RSAKey

from portal.clients.errors import IdentityUnavailable, SignInFailed
from portal.clients.http import build_session

log = logging.getLogger(__name__)
SERVICE = "identity provider"
ID_TOKEN_ALGORITHMS = ["ES256", "RS256"]
LEVEL_OF_CONFIDENCE = "Cl.Cm"
CLOCK_LEEWAY_SECONDS = 60
# The event a back-channel logout token carries.
BACK_CHANNEL_LOGOUT = "http://schemas.openid.net/event/backchannel-logout"
# The provider's keys are fetched again, for a key id we do not know, at most this
# often: a stream of forged tokens costs the provider nothing.
KEYS_REFETCHED_AFTER_SECONDS = 60
# How long One Login asks services to remember a logout token's jti.
JTI_REMEMBERED_SECONDS = 180


@dataclass(frozen=True)
class LogoutToken:
    subject: str
    jti: str
    forget_after: datetime  # when it could not be accepted again, were it sent again


@dataclass(frozen=True)
class SignedInIdentity:
    sub: str
    email: str | None
    phone_number: str | None
    id_token: str
    sid: str | None


class IdentityClient:
    """Signs people in through the provider and checks what it says."""

    def __init__(self, issuer: str, client_id: str, private_key_pem: str,
                 connect_timeout: float = 2.0, read_timeout: float = 5.0) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.private_key = RSAKey.import_key(private_key_pem)
        self.timeout = (connect_timeout, read_timeout)
        self.session = build_session()
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        self._keys_fetched = 0.0
        self._lock = threading.Lock()

    def authorization_url(self, redirect_uri: str, state: str, nonce: str, language: str,
                          code_verifier: str) -> str:
        """Where to send the browser to sign in, in the person's language. The code that
        comes back is worth nothing without `code_verifier` (PKCE), which stays here."""
        return str(prepare_grant_uri(
            self.metadata()["authorization_endpoint"],
            client_id=self.client_id,
            response_type="code",
            redirect_uri=redirect_uri,
            scope="openid email phone",
            state=state,
            nonce=nonce,
            vtr=json.dumps([LEVEL_OF_CONFIDENCE]),
            ui_locales=language,
            code_challenge=_sha256(code_verifier),
            code_challenge_method="S256",
        ))

    def complete_sign_in(self, redirect_uri: str, code: str, nonce: str,
                         code_verifier: str) -> SignedInIdentity:
        """Swap the code for tokens, check the ID token, and read userinfo."""
        token_endpoint = self.metadata()["token_endpoint"]
        assertion = private_key_jwt_sign(
            self.private_key, client_id=self.client_id, token_endpoint=token_endpoint,
            alg="RS256", claims={"exp": int(time.time()) + 300},
        )
        tokens = self._call("POST", token_endpoint, data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": assertion,
            "code_verifier": code_verifier,
        })
        if "id_token" not in tokens or "access_token" not in tokens:
            raise SignInFailed(SERVICE, "token response lacks id_token or access_token")
        claims = self._verified_id_token(tokens["id_token"], nonce)
        if "at_hash" in claims and claims["at_hash"] != _sha256(tokens["access_token"], half=True):
            raise SignInFailed(SERVICE, "the ID token's at_hash is not the access token's")
        info = self._call("GET", self.metadata()["userinfo_endpoint"],
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})
        if info.get("sub") != claims["sub"]:
            raise SignInFailed(SERVICE, "userinfo sub differs from the ID token's")
        return SignedInIdentity(
            sub=claims["sub"],
            email=info.get("email"),
            phone_number=info.get("phone_number"),
            id_token=tokens["id_token"],
            sid=claims.get("sid"),
        )

    def logout_url(self, id_token: str, post_logout_redirect_uri: str, state: str) -> str:
        """The provider's end-session URL, which returns to post_logout_redirect_uri."""
        query = urlencode({"id_token_hint": id_token,
                           "post_logout_redirect_uri": post_logout_redirect_uri,
                           "state": state})
        return f"{self.metadata()['end_session_endpoint']}?{query}"

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, fetched once."""
        if self._metadata is None:
            url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = self._call("GET", url)
            if document.get("issuer") != self.issuer:
                raise SignInFailed(SERVICE, "discovery issuer does not match configuration")
            self._metadata = document
        return self._metadata

    def verified_logout_token(self, logout_token: str) -> LogoutToken:
        """A back-channel logout token the provider signed for us (OpenID Connect
        Back-Channel Logout 1.0, as One Login sends it); SignInFailed for anything else."""
        try:
            token = self._decoded(logout_token)
            jwt.JWTClaimsRegistry(
                leeway=CLOCK_LEEWAY_SECONDS,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                sub={"essential": True},
                iat={"essential": True},
                exp={"essential": True},
                jti={"essential": True},
            ).validate(token.claims)
        except (JoseError, ValueError) as error:
            raise SignInFailed(SERVICE, f"logout token rejected: {error}") from error
        events = token.claims.get("events")
        if not isinstance(events, dict) or BACK_CHANNEL_LOGOUT not in events:
            raise SignInFailed(SERVICE, "logout token has no back-channel logout event")
        if "nonce" in token.claims:  # a logout token never has one: an ID token does
            raise SignInFailed(SERVICE, "logout token has a nonce")
        claims = token.claims
        remembered = max(int(claims["exp"]), int(claims["iat"]) + JTI_REMEMBERED_SECONDS)
        return LogoutToken(str(claims["sub"]), str(claims["jti"]), datetime.fromtimestamp(
            remembered + CLOCK_LEEWAY_SECONDS, UTC))

    def _decoded(self, token: str) -> Any:
        """A token signed with one of the provider's keys. The keys are looked up again
        only for a key id we do not know (the provider has rotated them), and at most
        once a minute however many tokens name one."""
        keys = self._key_set()
        kid = _key_id(token)
        if kid is not None and all(key.kid != kid for key in keys.keys):
            keys = self._key_set(refresh=True)
        return jwt.decode(token, keys, algorithms=ID_TOKEN_ALGORITHMS)

    def _key_set(self, refresh: bool = False) -> KeySet:
        with self._lock:
            stale = time.monotonic() - self._keys_fetched >= KEYS_REFETCHED_AFTER_SECONDS
            if self._keys is None or (refresh and stale):
                document: Any = self._call("GET", self.metadata()["jwks_uri"])
                self._keys = KeySet.import_key_set(document)
                self._keys_fetched = time.monotonic()
            return self._keys

    def _verified_id_token(self, id_token: str, nonce: str) -> dict[str, Any]:
        try:
            token = self._decoded(id_token)
            jwt.JWTClaimsRegistry(
                leeway=CLOCK_LEEWAY_SECONDS,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.client_id},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
                vot={"essential": True, "value": LEVEL_OF_CONFIDENCE},
            ).validate(token.claims)
        except (JoseError, ValueError) as error:
            raise SignInFailed(SERVICE, f"ID token rejected: {error}") from error
        return dict(token.claims)

    def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            log.error("identity provider unreachable: %s %s (%s)", method, url, error)
            raise IdentityUnavailable(f"unreachable on {method} {url}") from error
        if response.status_code >= 500:
            log.error("identity provider failed: %s %s -> %s", method, url, response.status_code)
            raise IdentityUnavailable(f"{response.status_code} on {method} {url}",
                                      response.status_code)
        try:
            body: dict[str, Any] = response.json()
        except ValueError as error:
            raise SignInFailed(SERVICE, f"non-JSON answer from {url}") from error
        if not response.ok:
            log.warning("identity provider refused: %s %s -> %s %s", method, url,
                        response.status_code, body.get("error"))
            raise SignInFailed(SERVICE, f"{response.status_code} {body.get('error')}",
                               response.status_code)
        return body


def _key_id(token: str) -> str | None:
    """The key id in a compact JWS's header, unverified; None if it names none."""
    try:
        encoded = token.split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    except ValueError:
        return None
    kid = header.get("kid") if isinstance(header, dict) else None
    return kid if isinstance(kid, str) else None


def _sha256(value: str, half: bool = False) -> str:
    """base64url of the SHA-256 of a value (a PKCE challenge), or of its left half (an
    at_hash, for ES256 and RS256 tokens)."""
    digest = hashlib.sha256(value.encode()).digest()
    return base64.urlsafe_b64encode(digest[:16] if half else digest).rstrip(b"=").decode()
