"""The browser's session lives on the server: the cookie is a random id alone,
replaced at sign-in, worthless once expired, and never cached anywhere."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from portal.clock import utcnow
from portal.services import browser_sessions
from portal.web.reviews.forms import LONGEST_ANSWER
from tests.conftest import page_of, sign_in, visible_text
from tests.support.journeys import choose_first_time, post

COOKIE = "portal_session"
AN_ID = re.compile(r"^[A-Za-z0-9_-]{43}$")
# The longest answers the review questions take, in scripts that need 2 to 4
# bytes a character: together far more than the 4 KB a browser keeps in a cookie.
GREEK, ARABIC, CHINESE = "Αλφάβητο ", "مرحبا بكم ", "护理和支持计划"
EMOJI = "🧓🏽"


def longest(text: str, limit: int = LONGEST_ANSWER) -> str:
    return (text * limit)[:limit]


def test_the_cookie_is_the_id_alone_even_with_the_longest_answers_in_any_script(
        client: FlaskClient) -> None:
    sign_in(client, "Gwen", "cy")
    assert post(client, "/book-a-review", {"reason": "changed", "detail": longest(GREEK)}
                ).status_code == 302
    assert post(client, "/book-a-review/how", {"mode": "phone"}).status_code == 302
    choose_first_time(client)
    answered = post(client, "/book-a-review/anything-else", {
        "access_needs": longest(ARABIC), "others_attending": longest(CHINESE + EMOJI),
        "language_support": "interpreter", "interpreter_language": longest(CHINESE, 100)})
    assert answered.headers["Location"].endswith("/book-a-review/check")

    check = client.get("/book-a-review/check")
    assert check.status_code == 200  # not sent back to a question
    text = visible_text(page_of(check))
    assert longest(GREEK).strip() in text and longest(ARABIC).strip() in text
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and AN_ID.match(cookie.value)
    assert cookie.expires is None  # gone when the browser closes
    assert cookie.http_only and cookie.same_site == "Lax"


def test_signing_in_gives_the_browser_a_new_session_and_the_old_one_opens_nothing(
        app: Flask) -> None:
    client = app.test_client()
    client.get("/language/cy")  # a session before signing in
    before = client.get_cookie(COOKIE)
    assert before is not None
    sign_in(client, "Gwen", "cy")
    after = client.get_cookie(COOKIE)
    assert after is not None and after.value != before.value
    planted = app.test_client()  # someone who set the old id in the person's browser
    planted.set_cookie(COOKIE, before.value)
    assert planted.get("/your-care").headers["Location"].endswith("/sign-in")
    assert client.get("/your-care").status_code == 200


def test_a_session_past_its_time_opens_nothing_and_is_cleared(app: Flask) -> None:
    store = app.extensions["portal"].store
    client = app.test_client()
    sign_in(client, "Gwen")
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    assert browser_sessions.load(store, cookie.value, utcnow()) is not None
    later = utcnow() + timedelta(hours=12, seconds=1)
    assert browser_sessions.load(store, cookie.value, later) is None
    with time_machine.travel(later, tick=False):
        assert client.get("/your-care").headers["Location"].endswith("/sign-in")
    assert browser_sessions.clear_expired(store, later + timedelta(seconds=1)) >= 1
    assert browser_sessions.load(store, cookie.value, utcnow()) is None


def test_a_signed_in_page_seen_again_within_the_minute_writes_nothing(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen")
    assert client.get("/account").status_code == 200
    said: list[str] = []

    def note(_connection: object, _cursor: object, statement: str, *_args: object) -> None:
        said.append(" ".join(statement.split()))

    engine = app.extensions["portal"].store.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get("/account").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert said, "the session is read"
    assert [s for s in said if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE")] == []
    # The news of unread messages is worked out once, for both places it is shown.
    assert len([s for s in said if "council_messages" in s]) == 1
