"""Sandbox identity provider shaped like GOV.UK One Login.

Discovery, JWKS, authorization code flow (state and nonce required, ui_locales
en or cy, vtr), private_key_jwt at the token endpoint (User-Agent required),
ES256 ID tokens with vot and sid, userinfo, /logout, and back-channel logout:
when someone signs out of one service, every other registered service with a
back-channel logout URI is sent a logout token for them (OpenID Connect
Back-Channel Logout 1.0). POST /_sandbox/sign-out (sub) stands for someone
signing out from a service that is not registered here.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from flask import Flask, Response, abort, jsonify, redirect, render_template, request
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet, RSAKey

from portal.sandbox import faults as fault_injection
from portal.sandbox.identity.identities import BY_SUB, IDENTITIES
from portal.web import assets
from portal.web.templating import configure_templates

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CODE_LIFETIME = 60
TOKEN_LIFETIME = 180
LOGOUT_TOKEN_LIFETIME = 120
BACK_CHANNEL_LOGOUT = "http://schemas.openid.net/event/backchannel-logout"


@dataclass(frozen=True)
class RegisteredClient:
    client_id: str
    public_key_pem: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...]
    # Where the client wants logout tokens (One Login's back_channel_logout_uri).
    back_channel_logout_uri: str | None = None


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    nonce: str
    sub: str
    expires: float


def create_app(issuer: str, clients: list[RegisteredClient],
               faults: fault_injection.Faults | None = None) -> Flask:
    """The sandbox provider, at the root of issuer's host."""
    app = Flask(__name__, static_folder=None)
    configure_templates(app, locale_from=_ui_locale)
    assets.install(app)
    signing_key = ECKey.generate_key("P-256", parameters={"use": "sig", "alg": "ES256"},
                                     auto_kid=True)
    registered = {c.client_id: c for c in clients}
    grants: dict[str, _Grant] = {}
    access_tokens: dict[str, tuple[str, float]] = {}
    used_jtis: set[str] = set()
    lock = threading.Lock()
    base = issuer.rstrip("/")
    app.extensions["sandbox_faults"] = faults or fault_injection.Faults()
    fault_injection.install(app, app.extensions["sandbox_faults"],
                            lambda status: _oauth_error("server_error", status))

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Response:
        return jsonify({
            "issuer": issuer,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "userinfo_endpoint": f"{base}/userinfo",
            "jwks_uri": f"{base}/.well-known/jwks.json",
            "end_session_endpoint": f"{base}/logout",
            "registration_endpoint": None,
            "scopes_supported": ["openid", "email", "phone", "offline_access"],
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "ES256"],
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            "subject_types_supported": ["public", "pairwise"],
            "claims_supported": ["sub", "email", "email_verified", "phone_number",
                                 "phone_number_verified"],
            "ui_locales_supported": ["en", "cy"],
            "vtr_values_supported": ["Cl.Cm", "Cl"],
            "backchannel_logout_supported": True,
            "backchannel_logout_session_supported": False,
        })

    @app.get("/.well-known/jwks.json")
    def jwks() -> Response:
        return jsonify(KeySet([signing_key]).as_dict(private=False))

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize() -> Any:
        params = request.values
        client = registered.get(params.get("client_id", ""))
        redirect_uri = params.get("redirect_uri", "")
        if client is None or redirect_uri not in client.redirect_uris:
            abort(400, "Unknown client_id or unregistered redirect_uri")
        state = params.get("state", "")
        missing = [p for p in ("state", "nonce", "scope") if not params.get(p)]
        if missing or params.get("response_type") != "code" or \
                "openid" not in params.get("scope", "").split():
            return _redirect_error(redirect_uri, "invalid_request", state)
        if request.method == "GET":
            return render_template("sandbox/identity/sign_in.html", identities=IDENTITIES,
                                   params=params, error=False)
        chosen = BY_SUB.get(request.form.get("sub", ""))
        if chosen is None:
            return render_template("sandbox/identity/sign_in.html", identities=IDENTITIES,
                                   params=params, error=True), 400
        code = secrets.token_urlsafe(24)
        with lock:
            grants[code] = _Grant(client.client_id, redirect_uri, params["nonce"], chosen.sub,
                                  time.time() + CODE_LIFETIME)
        return redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    @app.post("/token")
    def token() -> Response:
        if not request.headers.get("User-Agent"):
            return _oauth_error("invalid_request", 400, "User-Agent header is required")
        form = request.form
        if form.get("grant_type") != "authorization_code":
            return _oauth_error("unsupported_grant_type", 400)
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return _oauth_error("invalid_client", 401, "private_key_jwt is required")
        client_id = _assertion_client(form.get("client_assertion", ""), registered,
                                      f"{base}/token", used_jtis, lock)
        if client_id is None:
            return _oauth_error("invalid_client", 401)
        with lock:
            grant = grants.pop(form.get("code", ""), None)
        if grant is None or grant.expires < time.time() or grant.client_id != client_id or \
                grant.redirect_uri != form.get("redirect_uri"):
            return _oauth_error("invalid_grant", 400)
        now = int(time.time())
        id_token = jwt.encode(
            {"alg": "ES256", "kid": signing_key.kid},
            {"iss": issuer, "sub": grant.sub, "aud": client_id, "iat": now,
             "exp": now + TOKEN_LIFETIME, "nonce": grant.nonce, "vot": "Cl.Cm",
             "vtm": f"{base}/trustmark", "sid": secrets.token_urlsafe(12),
             "auth_time": now},
            signing_key,
        )
        access_token = secrets.token_urlsafe(32)
        with lock:
            access_tokens[access_token] = (grant.sub, now + TOKEN_LIFETIME)
        return jsonify({"access_token": access_token, "token_type": "Bearer",
                        "expires_in": TOKEN_LIFETIME, "id_token": id_token})

    @app.get("/userinfo")
    def userinfo() -> Response:
        header = request.headers.get("Authorization", "")
        entry = access_tokens.get(header.removeprefix("Bearer ")) if header.startswith(
            "Bearer ") else None
        if entry is None or entry[1] < time.time():
            response = _oauth_error("invalid_token", 401)
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        identity = BY_SUB[entry[0]]
        return jsonify({"sub": identity.sub, "email": identity.email, "email_verified": True,
                        "phone_number": identity.phone_number, "phone_number_verified": True})

    def logout_token(client: RegisteredClient, sub: str) -> str:
        now = int(time.time())
        return jwt.encode(
            {"alg": "ES256", "kid": signing_key.kid, "typ": "logout+jwt"},
            {"iss": issuer, "aud": client.client_id, "sub": sub, "iat": now,
             "exp": now + LOGOUT_TOKEN_LIFETIME, "jti": secrets.token_urlsafe(16),
             "events": {BACK_CHANNEL_LOGOUT: {}}},
            signing_key)

    def sign_out_everywhere(sub: str, signed_out_from: str | None) -> list[dict[str, Any]]:
        """Tell every other client with a back-channel logout URI that `sub` signed out."""
        told = []
        for client in registered.values():
            if client.client_id == signed_out_from or not client.back_channel_logout_uri:
                continue
            try:
                answer = requests.post(client.back_channel_logout_uri,
                                       data={"logout_token": logout_token(client, sub)},
                                       timeout=5)
                status: int | None = answer.status_code
            except requests.RequestException:
                status = None
            told.append({"client_id": client.client_id, "status": status})
        return told

    @app.post("/_sandbox/sign-out")
    def signed_out_elsewhere() -> Response:
        """Someone signed out of the provider from a service not registered here."""
        sub = request.values.get("sub", "")
        if sub not in BY_SUB:
            return _oauth_error("invalid_request", 400, "unknown sub")
        return jsonify(told=sign_out_everywhere(sub, None))

    @app.get("/_sandbox/logout-token")
    def a_logout_token() -> Response:
        """The logout token the provider would send this client for sub, to deliver
        by hand (tests of a portal that is not listening)."""
        client = registered.get(request.args.get("client_id", ""))
        sub = request.args.get("sub", "")
        if client is None or sub not in BY_SUB:
            return _oauth_error("invalid_request", 400)
        return jsonify(logout_token=logout_token(client, sub))

    @app.get("/logout")
    def logout() -> Any:
        hint = request.args.get("id_token_hint", "")
        target = request.args.get("post_logout_redirect_uri", "")
        try:
            claims = jwt.decode(hint, signing_key, algorithms=["ES256"]).claims
        except (JoseError, ValueError):
            claims = {}
        client = registered.get(str(claims.get("aud", "")))
        if claims.get("sub") in BY_SUB:  # signed out here: every other service is told
            sign_out_everywhere(str(claims["sub"]), client.client_id if client else None)
        if client is None or target not in client.post_logout_redirect_uris:
            # One Login sends people to its own signed-out page in this case.
            return render_template("sandbox/identity/signed_out.html")
        state = request.args.get("state")
        return redirect(target + (f"?{urlencode({'state': state})}" if state else ""))

    return app


def _ui_locale() -> str:
    for code in request.values.get("ui_locales", "").split():
        if code in ("en", "cy"):
            return code
    return "en"


CLOCK_SKEW_SECONDS = 10


def _assertion_client(assertion: str, registered: dict[str, RegisteredClient], audience: str,
                      used_jtis: set[str], lock: threading.Lock) -> str | None:
    """The client_id a valid private_key_jwt assertion proves, or None."""
    try:
        # Read the issuer first to learn whose key to verify the signature with.
        issuer = json.loads(jws.extract_compact(assertion.encode()).payload).get("iss")
        client = registered.get(str(issuer))
        if client is None:
            return None
        key = RSAKey.import_key(client.public_key_pem)
        claims = jwt.decode(assertion, key, algorithms=["RS256"]).claims
        # Like authorisation servers generally (FAPI 2 asks for 10 seconds), a client's
        # clock a little ahead is allowed for: an assertion "issued" up to 10 s from now.
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": client.client_id},
            sub={"essential": True, "value": client.client_id},
            aud={"essential": True, "value": audience},
            exp={"essential": True}, jti={"essential": True},
        ).validate(claims)
    except (JoseError, ValueError):
        return None
    with lock:
        if claims["jti"] in used_jtis:
            return None
        used_jtis.add(claims["jti"])
    return client.client_id


def _oauth_error(error: str, status: int, description: str | None = None) -> Response:
    body = {"error": error}
    if description:
        body["error_description"] = description
    response = jsonify(body)
    response.status_code = status
    return response


def _redirect_error(redirect_uri: str, error: str, state: str) -> Any:
    return redirect(f"{redirect_uri}?{urlencode({'error': error, 'state': state})}")
