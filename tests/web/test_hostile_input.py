"""Hostile input, the way an attacker or an unlucky person sends it, to every route
in the URL map: every path segment, query value and form field, signed in and not,
on every engine. Nothing answers 5xx, and no answer may be cached.

Values come from a list of known troublemakers (NUL, 20-digit dates, thousands of
digits, CR LF, text longer than any column, other scripts) and from hypothesis."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.clock import utcnow
from tests.conftest import page_of, sign_in
from tests.support.journeys import post
from tests.web.test_access import carer_of_gwen, payment_for_gwen, review_for_gwen

KNOWN = [
    "\x00", "Gwen\x00Morgan", "1" * 20, "9" * 5000, "²", "١٢", "-1", "0", "00",
    "\r\nSet-Cookie: taken=1", "/\r\n/elsewhere", "/ok\nLocation: //evil.example",
    "x" * 400, "🧓🏽" * 300, "Ω" * 4000, "' OR '1'='1", "<script>alert(1)</script>",
    "..", "//evil.example/", "\\\\evil.example", " ", "\u202e", "%00", "{{7*7}}", "\x7f",
    "\x1b[2J", "null", "[]", "{}",
]
# What a crafted address puts where an id belongs.
SEGMENTS = ["\x00", "1" * 20, "9" * 5000, "\r\n", "x" * 400, "🧓🏽" * 30, "..", "' OR '1'='1"]
# Every query value any page reads, and some none does.
QUERY_NAMES = ["page", "next", "taken", "change", "state", "code", "error", "timeout", "x"]
# Text anyone could send: anything UTF-8 can carry (not lone surrogates).
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
# Changing who is signed in would leave the rest of the walk with nobody.
LAST = {"auth.sign_out"}


@dataclass(frozen=True)
class Target:
    method: str
    path: str
    fields: tuple[str, ...]  # the form's fields, for a POST
    token: str = ""  # the form's own token, so that the fields themselves are checked


def targets(app: Flask, client: FlaskClient, samples: dict[str, str],
            segment: str | None = None) -> list[Target]:
    """Every route in the URL map, with its path filled with real ids (or with
    `segment`, for the routes that have an argument), and for each form, the fields
    the page's form has (or, for a form a page never shows, none)."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or (segment is not None and not rule.arguments):
            continue
        path = re.sub(r"<any\([^)]*\):page>", "<page>", rule.rule)
        for name in rule.arguments:
            path = path.replace(f"<{name}>", quote(segment, safe="") if segment is not None
                                else samples.get(name, "help"))
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        if "GET" in methods:
            found.append(Target("GET", path, ()))
        if "POST" in methods:
            fields: tuple[str, ...] = ()
            token = ""
            if "GET" in methods and rule.endpoint not in LAST:
                page = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
                fields = tuple(sorted({str(f["name"]) for f in page.select(
                    "main form [name]") if f["name"] != "csrf_token"}))
                sent_with = page.select_one("main form [name=csrf_token]")
                token = str(sent_with["value"]) if sent_with else ""
            found.append(Target("POST", path, fields, token))
    return sorted(found, key=lambda t: any(t.path.startswith(p) for p in ("/sign-out",)))


def send(client: FlaskClient, target: Target, value: Callable[[str], str]) -> None:
    """Send the hostile values to the target; fail on 5xx or an answer that may be kept."""
    query = {name: value(name) for name in QUERY_NAMES}
    if target.method == "GET":
        answer = client.get(target.path, query_string=query)
    else:
        data = {name: value(name) for name in target.fields}
        data.update({f"{name}-{part}": value(name + part) for name in target.fields
                     for part in ("day", "month", "year")})
        answer = client.post(target.path, query_string=query,
                             data={**data, "csrf_token": target.token})
    assert answer.status_code < 500, f"{target.method} {target.path}: {answer.status_code}"
    # Nothing is kept by a browser or proxy but the open data, which is nobody's.
    kept = "public, max-age=60" if target.path.startswith("/data/v1/") and \
        answer.status_code in (200, 304) else "no-store"
    assert answer.headers.get("Cache-Control") == kept, f"{target.method} {target.path}"


def walk(app: Flask, client: FlaskClient, samples: dict[str, str]) -> None:
    found = targets(app, client, samples)
    for known in KNOWN:
        for target in found:
            send(client, target, lambda _name, known=known: known)  # type: ignore[misc]
    for segment in SEGMENTS:
        for target in targets(app, client, samples, segment=segment):
            send(client, target, lambda _name, known=segment: known)  # type: ignore[misc]

    @settings(max_examples=30, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(found), st.dictionaries(st.sampled_from(QUERY_NAMES), ANY_TEXT),
           ANY_TEXT)
    def anything(target: Target, chosen: dict[str, str], otherwise: str) -> None:
        send(client, target, lambda name: chosen.get(name, otherwise))

    anything()


@pytest.fixture
def gwens_things(app: Flask) -> Iterator[dict[str, str]]:
    """Real ids for each path argument, so the walk reaches each form behind them."""
    _, _, delegation_id = carer_of_gwen(app, ["plan", "money"])
    yield {"delegation_id": delegation_id, "request_id": review_for_gwen(app),
           "invoice_id": "inv-p-1001-2", "payment_id": payment_for_gwen(app), "code": "cy",
           "council": "W06000002"}


def unchecked(app: Flask) -> FlaskClient:
    """A plain client: thousands of pages here, each checked only for its status."""
    return FlaskClient(app, app.response_class, use_cookies=True)


def test_no_route_answers_5xx_to_hostile_input_signed_out(app: Flask) -> None:
    walk(app, unchecked(app), {"code": "cy"})


def test_no_route_answers_5xx_to_hostile_input_signed_in(
        app: Flask, gwens_things: dict[str, str]) -> None:
    client = unchecked(app)
    sign_in(client, "Gwen", "cy")
    walk(app, client, gwens_things)


def test_no_route_answers_5xx_to_hostile_input_while_acting_for_someone(
        app: Flask, gwens_things: dict[str, str]) -> None:
    _, sian, _ = carer_of_gwen(app, ["plan", "reviews", "money"])
    client = unchecked(app)
    client.set_cookie("portal_session", sian.get_cookie("portal_session").value)  # type: ignore
    walk(app, client, gwens_things)


DEEP = b"[" * 100_000 + b"]" * 100_000
BODIES = [b"[]", b'"a string"', b"42", b"null", b"true", DEEP, b"{", b"\xff\xfe",
          b'{"id": ["x"], "status": {"a": 1}}', b'{"id": "\\u0000", "status": "delivered"}',
          json.dumps({"id": "x" * 5000, "status": "delivered"}).encode(),
          json.dumps({"webhook_message_id": "\x00", "resource_id": 7,
                      "event_type": "card_payment_succeeded"}).encode(),
          json.dumps({"webhook_message_id": "m" * 500, "resource_id": "r" * 500,
                      "event_type": "e" * 500, "resource": {"metadata": []}}).encode()]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_receipts_and_webhooks_refuse_what_is_not_their_message_with_a_4xx(
        app: Flask, client: FlaskClient, body: bytes) -> None:
    import hashlib
    import hmac

    token = app.config["NOTIFY_CALLBACK_TOKEN"]
    receipt = client.post("/notify/receipts", data=body, content_type="application/json",
                          headers={"Authorization": f"Bearer {token}"})
    assert receipt.status_code == 400
    signature = hmac.new(app.config["PAY_WEBHOOK_SECRET"].encode(), body,
                         hashlib.sha256).hexdigest()
    webhook = client.post("/pay/webhooks", data=body, content_type="application/json",
                          headers={"Pay-Signature": signature})
    assert webhook.status_code == 400, webhook.get_data(as_text=True)


@pytest.mark.parametrize("header", ["Bearer tocyn-ï", "Bearer \u2603", "é" * 300])
def test_credentials_in_any_characters_are_refused_not_a_500(app: Flask, client: FlaskClient,
                                                              header: str) -> None:
    body = json.dumps({"id": "x", "status": "delivered", "at": utcnow().isoformat()})
    assert client.post("/notify/receipts", data=body, content_type="application/json",
                       headers={"Authorization": header.encode().decode("latin-1")}
                       ).status_code == 401
    assert client.post("/pay/webhooks", data=body, content_type="application/json",
                       headers={"Pay-Signature": header.encode().decode("latin-1")}
                       ).status_code == 401


def test_a_hidden_character_or_a_20_digit_day_is_a_message_in_the_persons_language(
        app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen", "cy")
    answer = post(client, "/who-can-act-for-you/invite", {
        "name": "Siân\x00Morgan", "contact": "s" * 400 + "@example.com", "relationship": "Merch",
        "scopes": ["plan"], "ends_on-day": "1" * 20, "ends_on-month": "1", "ends_on-year": "2027"})
    assert answer.status_code == 400
    summary = [a.get_text(strip=True) for a in
               page_of(answer).find(class_="govuk-error-summary").find_all("a")]
    assert summary == ["Rydyn ni wedi tynnu nodau na ellir eu defnyddio o'r ateb hwn. "
                       "Gwiriwch ef a rhowch gynnig arall arni",
                       "Rhaid i'w cyfeiriad e-bost neu eu rhif ffôn symudol fod yn 320 nod "
                       "neu lai",
                       "Rhaid i'r dyddiad gorffen fod yn ddyddiad go iawn"]
    # What they typed comes back without the character nobody can see.
    assert page_of(answer).find("input", {"name": "name"})["value"] == "SiânMorgan"
