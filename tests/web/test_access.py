"""Every route the app defines is checked for every role there is today.

A new route without an access rule fails here."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from portal.web.access import LINKED, PUBLIC, SIGNED_IN
from tests.conftest import sign_in

ROLES = ("anonymous", "signed in, not linked", "linked person")
# What each role gets from a GET of a route with each access rule.
EXPECTED = {
    PUBLIC: {"anonymous": "ok", "signed in, not linked": "ok", "linked person": "ok"},
    SIGNED_IN: {"anonymous": "to sign-in", "signed in, not linked": "ok", "linked person": "ok"},
    LINKED: {"anonymous": "to sign-in", "signed in, not linked": "to linking",
             "linked person": "ok"},
}
SAMPLE_ARGS = {"page": "help", "code": "cy", "filename": "dist/portal.css"}


def routes(app: Flask) -> list[tuple[str, str, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        access = getattr(view, "access", None)
        assert access in EXPECTED, f"{rule.rule} ({rule.endpoint}) has no access rule"
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<{name}>", SAMPLE_ARGS[name])
            path = path.replace(f"<any(cookies, accessibility, privacy, help, contact):{name}>",
                                SAMPLE_ARGS[name])
        found.append((rule.endpoint, path, access))
    return found


def outcome(response: Any) -> str:
    if response.status_code == 302:
        location = response.headers["Location"]
        if location.endswith("/sign-in"):
            return "to sign-in"
        if location.endswith("/link-your-record"):
            return "to linking"
        return "ok"  # a redirect the route itself chose (language link, sign-in start)
    if response.status_code in (200, 400):
        return "ok"
    return f"status {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_its_rule_says(app: Flask, role: str) -> None:
    client = app.test_client()
    if role != "anonymous":
        sign_in(client, "Gwen", link=role == "linked person")
    checked = 0
    for endpoint, path, access in routes(app):
        if endpoint in ("auth.sign_out", "auth.sign_in", "auth.callback"):
            continue  # these change who is signed in; tested on their own
        expected = EXPECTED[access][role]
        assert outcome(client.get(path)) == expected, f"{role} on {path}"
        checked += 1
    print(f"{checked} routes checked for {role}")
    assert checked >= 9


def test_sign_out_ends_the_session_on_the_server(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen")
    with client.session_transaction() as cookie:
        stolen = dict(cookie)
    out = client.get("/sign-out")
    assert out.status_code == 302 and "/logout?" in out.headers["Location"]
    replay = app.test_client()
    with replay.session_transaction() as cookie:
        cookie.update(stolen)
    response = replay.get("/your-care")
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
