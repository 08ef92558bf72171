"""Sandbox identity provider shaped like GOV.UK One Login.

Discovery with the fields One Login publishes, JWKS, authorization code flow
(state and nonce required, only the scopes One Login knows, ui_locales en or cy,
vtr checked and its level given back as vot, PKCE with S256 when the client sends a
code challenge), private_key_jwt at the token endpoint (RS256, PS256 or ES256;
audience the token endpoint or the issuer; User-Agent required), ES256 ID tokens
with vot, sid and at_hash, userinfo holding only the claims of the scopes asked
for, /logout, and back-channel logout:
when someone signs out of one service, every other registered service with a
back-channel logout URI is sent a logout token for them (OpenID Connect
Back-Channel Logout 1.0). POST /_sandbox/sign-out (sub) stands for someone
signing out from a service that is not registered here.
"""

from __future__ import annotations

import base64
import hashlib
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
# One Login tries a logout token again up to this many times on any answer but 200.
LOGOUT_RETRIES = 3
# The provider's own cookie for a browser's session with it.
BROWSER = "sandbox-identity-session"
BACK_CHANNEL_LOGOUT = "http://schemas.openid.net/event/backchannel-logout"
SCOPES = ("openid", "email", "phone", "offline_access")
# Each scope's userinfo claims.
SCOPE_CLAIMS = {"email": ("email", "email_verified"),
                "phone": ("phone_number", "phone_number_verified")}
# Levels of confidence a vtr may ask for; without one, One Login uses Cl.Cm.
VECTORS = ("Cl.Cm", "Cl")
ASSERTION_ALGORITHMS = {"RSA": ["RS256", "PS256"], "EC": ["ES256"]}


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
    scopes: tuple[str, ...] = ("openid",)
    vot: str = "Cl.Cm"
    code_challenge: str | None = None


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
    # Access token: whose, until when, and for which scopes.
    access_tokens: dict[str, tuple[str, float, tuple[str, ...]]] = {}
    used_jtis: set[str] = set()
    # The services each person signed in to, by browser (the provider's session cookie):
    # signing out in a browser tells those services, and no others.
    browsers: dict[tuple[str, str], set[str]] = {}
    # Every logout token sent: to which service, its last answer, and how many tries.
    logouts: list[dict[str, Any]] = []
    app.extensions["logouts_told"] = logouts
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
            "scopes_supported": list(SCOPES),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "token_endpoint_auth_signing_alg_values_supported": ["RS256", "PS256", "ES256"],
            "id_token_signing_alg_values_supported": ["ES256", "RS256"],
            "subject_types_supported": ["public", "pairwise"],
            "claim_types_supported": ["normal"],
            "claims_supported": ["sub", "email", "email_verified", "phone_number",
                                 "phone_number_verified"],
            "code_challenge_methods_supported": ["S256"],
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
            "ui_locales_supported": ["en", "cy"],
            "trustmarks": f"{base}/trustmark",
            "service_documentation": "https://docs.sign-in.service.gov.uk/",
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
        scopes = tuple(params.get("scope", "").split())
        if missing or params.get("response_type") != "code" or "openid" not in scopes:
            return _redirect_error(redirect_uri, "invalid_request", state)
        if any(scope not in SCOPES for scope in scopes):
            return _redirect_error(redirect_uri, "invalid_scope", state)
        vot = _vector_asked(params.get("vtr"))
        challenge, method = params.get("code_challenge"), params.get("code_challenge_method")
        if vot is None or (challenge is not None and method != "S256") or \
                (challenge is None and method is not None):
            return _redirect_error(redirect_uri, "invalid_request", state)
        if request.method == "GET":
            return render_template("sandbox/identity/sign_in.html", identities=IDENTITIES,
                                   params=params, error=False)
        chosen = BY_SUB.get(request.form.get("sub", ""))
        if chosen is None:
            return render_template("sandbox/identity/sign_in.html", identities=IDENTITIES,
                                   params=params, error=True), 400
        code = secrets.token_urlsafe(24)
        browser = request.cookies.get(BROWSER) or secrets.token_urlsafe(16)
        with lock:
            grants[code] = _Grant(client.client_id, redirect_uri, params["nonce"], chosen.sub,
                                  time.time() + CODE_LIFETIME, scopes, vot, challenge)
            browsers.setdefault((chosen.sub, browser), set()).add(client.client_id)
        answer = redirect(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")
        answer.set_cookie(BROWSER, browser, httponly=True, samesite="Lax")
        return answer

    @app.post("/token")
    def token() -> Response:
        if not request.headers.get("User-Agent"):
            return _oauth_error("invalid_request", 400, "User-Agent header is required")
        form = request.form
        if form.get("grant_type") != "authorization_code":
            return _oauth_error("unsupported_grant_type", 400)
        # One Login answers a client it cannot authenticate with 400 invalid_client.
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return _oauth_error("invalid_client", 400, "private_key_jwt is required")
        client_id = _assertion_client(form.get("client_assertion", ""), registered,
                                      (f"{base}/token", issuer, base), used_jtis, lock)
        if client_id is None:
            return _oauth_error("invalid_client", 400)
        with lock:
            grant = grants.pop(form.get("code", ""), None)
        if grant is None or grant.expires < time.time() or grant.client_id != client_id or \
                grant.redirect_uri != form.get("redirect_uri") or \
                not _proves(form.get("code_verifier"), grant.code_challenge):
            return _oauth_error("invalid_grant", 400)
        now = int(time.time())
        access_token = secrets.token_urlsafe(32)
        id_token = jwt.encode(
            {"alg": "ES256", "kid": signing_key.kid},
            {"iss": issuer, "sub": grant.sub, "aud": client_id, "iat": now,
             "exp": now + TOKEN_LIFETIME, "nonce": grant.nonce, "vot": grant.vot,
             "vtm": f"{base}/trustmark", "sid": secrets.token_urlsafe(12),
             "auth_time": now, "at_hash": _half_hash(access_token)},
            signing_key,
        )
        with lock:
            access_tokens[access_token] = (grant.sub, now + TOKEN_LIFETIME, grant.scopes)
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
        claims = {"sub": identity.sub, "email": identity.email, "email_verified": True,
                  "phone_number": identity.phone_number, "phone_number_verified": True}
        granted = {c for scope in entry[2] for c in SCOPE_CLAIMS.get(scope, ())}
        return jsonify({k: v for k, v in claims.items() if k == "sub" or k in granted})

    def logout_token(client: RegisteredClient, sub: str) -> str:
        now = int(time.time())
        return jwt.encode(
            {"alg": "ES256", "kid": signing_key.kid, "typ": "logout+jwt"},
            {"iss": issuer, "aud": client.client_id, "sub": sub, "iat": now,
             "exp": now + LOGOUT_TOKEN_LIFETIME, "jti": secrets.token_urlsafe(16),
             "events": {BACK_CHANNEL_LOGOUT: {}}},
            signing_key)

    def tell_signed_out(sub: str, client_ids: set[str]) -> list[dict[str, Any]]:
        """Send a logout token for `sub` to each of these services that takes them, as
        One Login does: retried up to LOGOUT_RETRIES times on any answer but 200."""
        told = []
        for client in registered.values():
            if client.client_id not in client_ids or not client.back_channel_logout_uri:
                continue
            answers: list[int | None] = []
            while len(answers) <= LOGOUT_RETRIES and (not answers or answers[-1] != 200):
                try:
                    answers.append(requests.post(
                        client.back_channel_logout_uri,
                        data={"logout_token": logout_token(client, sub)}, timeout=5).status_code)
                except requests.RequestException:
                    answers.append(None)
            told.append({"client_id": client.client_id, "status": answers[-1],
                         "attempts": len(answers)})
        with lock:
            logouts.extend(told)
        return told

    @app.post("/_sandbox/sign-out")
    def signed_out_elsewhere() -> Response:
        """Someone signed out of the provider from a service not registered here: every
        service they signed in to, in any browser, is told."""
        sub = request.values.get("sub", "")
        if sub not in BY_SUB:
            return _oauth_error("invalid_request", 400, "unknown sub")
        with lock:
            used = {c for (who, _), clients in browsers.items() if who == sub for c in clients}
        return jsonify(told=tell_signed_out(sub, used))

    @app.get("/_sandbox/logouts")
    def logouts_told() -> Response:
        """Every logout token sent so far: to which service, its answer, how many tries."""
        with lock:
            return jsonify(told=list(logouts))

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
        sub = claims.get("sub")
        if sub in BY_SUB:
            # Signed out of the provider in this browser: every service the person used
            # in it is told, the one signing out included.
            with lock:
                used = browsers.pop((str(sub), request.cookies.get(BROWSER, "")), set())
            used.add(str(claims["aud"]))
            # As One Login, told after the browser has gone on: never held up by a
            # service slow to answer, or tried again.
            threading.Thread(target=tell_signed_out, args=(str(sub), used),
                             daemon=True).start()
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


def _vector_asked(vtr: str | None) -> str | None:
    """The level of confidence a vtr asks for (the first it lists), Cl.Cm without one,
    None for a vtr One Login would refuse."""
    if vtr is None:
        return "Cl.Cm"
    try:
        asked = json.loads(vtr)
    except ValueError:
        return None
    if not isinstance(asked, list) or not asked or any(v not in VECTORS for v in asked):
        return None
    return str(asked[0])


def _proves(verifier: str | None, challenge: str | None) -> bool:
    """Whether the code verifier answers the code challenge (PKCE, S256), when there
    was one; a verifier with no challenge proves nothing and is refused."""
    if challenge is None:
        return verifier is None
    return verifier is not None and _b64(hashlib.sha256(verifier.encode()).digest()) == challenge


def _half_hash(access_token: str) -> str:
    """at_hash for an ES256 ID token: the left half of the SHA-256 of the access token."""
    return _b64(hashlib.sha256(access_token.encode()).digest()[:16])


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _assertion_client(assertion: str, registered: dict[str, RegisteredClient],
                      audiences: tuple[str, ...], used_jtis: set[str],
                      lock: threading.Lock) -> str | None:
    """The client_id a valid private_key_jwt assertion proves, or None. Its audience
    may be the token endpoint or the issuer; it may be signed RS256, PS256 (an RSA
    key) or ES256 (an EC key), whichever the client's registered key is for."""
    try:
        # Read the issuer first to learn whose key to verify the signature with.
        issuer = json.loads(jws.extract_compact(assertion.encode()).payload).get("iss")
        client = registered.get(str(issuer))
        if client is None:
            return None
        key = _public_key(client.public_key_pem)
        claims = jwt.decode(assertion, key,
                            algorithms=ASSERTION_ALGORITHMS[key.key_type]).claims
        # Like authorisation servers generally (FAPI 2 asks for 10 seconds), a client's
        # clock a little ahead is allowed for: an assertion "issued" up to 10 s from now.
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_SKEW_SECONDS,
            iss={"essential": True, "value": client.client_id},
            sub={"essential": True, "value": client.client_id},
            aud={"essential": True, "values": list(audiences)},
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


def _public_key(pem: str) -> RSAKey | ECKey:
    """A client's registered public key, RSA or EC."""
    try:
        return RSAKey.import_key(pem)
    except (JoseError, ValueError, TypeError):
        return ECKey.import_key(pem)
