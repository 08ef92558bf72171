"""Pages are sent compressed to a browser that accepts brotli or gzip, and the form
token in each is masked afresh, so that compressing cannot give it away (BREACH)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from portal.web.compression import SMALLEST, chosen_encoding
from tests.conftest import page_of, sign_in
from tests.support.journeys import publish
from tests.support.pages import body_of

PUBLIC = ["/", "/accessibility", "/how-care-at-home-is-going", "/no-such-page"]
SIGNED_IN = ["/your-care", "/your-care/plan", "/your-care/visits", "/your-requests",
             "/your-charges", "/messages", "/account", "/who-can-act-for-you"]


@pytest.mark.parametrize(("accepted", "sent"), [
    ("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"),
    ("*", "br"), ("*;q=1, br;q=0", "gzip"), ("identity", None), ("", None),
    ("gzip;q=0", None), ("gzip;q=nonsense", None)])
def test_the_encoding_is_the_one_the_browser_accepts(accepted: str, sent: str | None) -> None:
    assert chosen_encoding(accepted) == sent


def test_every_page_is_sent_compressed_to_a_browser_that_accepts_it(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen")
    for path in PUBLIC + SIGNED_IN:
        plain = client.get(path)
        assert "Content-Encoding" not in plain.headers
        for encoding in ("br", "gzip"):
            packed = client.get(path, headers={"Accept-Encoding": f"{encoding}, deflate"})
            assert packed.status_code == plain.status_code
            assert packed.headers["Content-Encoding"] == encoding, path
            assert "Accept-Encoding" in packed.headers["Vary"]
            assert int(packed.headers["Content-Length"]) == len(packed.get_data())
            assert len(packed.get_data()) < len(body_of(packed)) / 2, path
            assert b"</html>" not in packed.get_data()  # not readable without decoding
            assert b"</html>" in body_of(packed)
        if path in SIGNED_IN:  # personal: no browser or proxy keeps it, compressed or not
            assert packed.headers["Cache-Control"] == "no-store"


def test_the_open_data_is_compressed_too(app: Flask, client: FlaskClient) -> None:
    publish(app)
    page = page_of(client.get("/how-care-at-home-is-going"))
    links = [a["href"] for a in page.find_all("a", href=lambda h: h and "/data/v1/" in h)]
    assert len(links) > 20
    compressed = 0
    for link in links:
        plain = client.get(link)
        packed = client.get(link, headers={"Accept-Encoding": "gzip"})
        assert body_of(packed) == plain.get_data()
        if len(plain.get_data()) >= SMALLEST:
            assert packed.headers["Content-Encoding"] == "gzip", link
            compressed += 1
    assert compressed > 10


def test_the_form_token_differs_in_every_response_and_each_one_works(app: Flask) -> None:
    client = app.test_client()
    sign_in(client, "Gwen")
    tokens = []
    for _ in range(5):
        page = client.get("/messages/new", headers={"Accept-Encoding": "br"})
        fields = BeautifulSoup(body_of(page), "html.parser").find_all(
            "input", {"name": "csrf_token"})
        # Every form of one page carries the same (masked once a response)...
        assert len(fields) >= 2 and len({field["value"] for field in fields}) == 1
        tokens.append(fields[0]["value"])
    # ...and no two responses the same.
    assert len(set(tokens)) == len(tokens)
    # None of them holds the session's token as Flask-WTF signs it.
    with client.session_transaction() as session:
        held = session.get("csrf_token")
    assert held and not any(held in token for token in tokens)
    for token in (tokens[0], tokens[-1]):  # an older page's form works as well as the newest
        answered = client.post("/messages/new", data={"csrf_token": token, "subject": "",
                                                      "body": ""})
        # The form's own errors: the token was good.
        assert page_of(answered).find(class_="govuk-error-summary") is not None
    for forged in (tokens[0][:-4] + "AAAA", "not-a-token", held):
        refused = client.post("/messages/new", data={"csrf_token": forged, "subject": "Hi",
                                                     "body": "Hi"})
        assert refused.status_code == 400
        assert "Your form could not be sent" in page_of(refused).h1.get_text()
