"""Every page in both languages; the language link keeps you on the same page."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from portal.config import PROJECT_ROOT
from tests.conftest import page_of, sign_in, visible_text

PUBLIC_PAGES = ["/", "/cookies", "/accessibility", "/privacy", "/help", "/contact",
                "/signed-out", "/what-will-i-pay", "/what-will-i-pay/questions"]
SIGNED_IN_PAGES = ["/your-care", "/your-care/plan", "/your-care/visits", "/account",
                   "/support-for-carers", "/support-for-carers/assessment"]
# Words every English page has and no Welsh page should.
CATALOGUE = read_po((PROJECT_ROOT / "translations/cy/LC_MESSAGES/messages.po").open("rb"))


def english_sentences_left_in(text: str) -> list[str]:
    """Catalogue English strings of three words or more found on a Welsh page."""
    found = []
    for message in CATALOGUE:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            if not msgid or "%(" in msgid or "<" in msgid or len(msgid.split()) < 3:
                continue
            if msgid in text:
                found.append(msgid)
    return found


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_in_welsh_hold_no_english(client: FlaskClient, path: str) -> None:
    client.get("/language/cy")
    response = client.get(path)
    assert response.status_code == 200
    page = page_of(response)
    assert page.html["lang"] == "cy"
    skip_link = page.find("a", class_="govuk-skip-link").get_text(strip=True)
    assert skip_link == "Neidio i'r prif gynnwys"
    assert english_sentences_left_in(visible_text(page)) == []


@pytest.mark.parametrize("who", ["Gwen", "Dafydd", "Eleri", "Owen"])
@pytest.mark.parametrize("language", ["cy", "en"])
def test_signed_in_pages_work_in_both_languages_for_each_demo_person(
        app: Flask, who: str, language: str) -> None:
    client = app.test_client()
    sign_in(client, who, language)
    for path in SIGNED_IN_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        page = page_of(response)
        assert page.html["lang"] == language
        assert page.h1 is not None
        if language == "cy":
            assert english_sentences_left_in(visible_text(page)) == [], path


# The estimate's questions send their answers with the change of language instead
# (tests/web/test_estimate.py).
@pytest.mark.parametrize("path", [p for p in PUBLIC_PAGES if p != "/what-will-i-pay/questions"]
                         + ["/your-care/plan?x=1"])
def test_the_language_link_opens_the_same_page_in_the_other_language(
        client: FlaskClient, path: str) -> None:
    sign_in(client, "Dafydd")
    link = page_of(client.get(path)).find("a", hreflang="cy")
    assert link["lang"] == "cy" and link["rel"] == ["alternate"]
    switched = client.get(link["href"])
    assert switched.status_code == 302 and switched.headers["Location"] == path
    assert page_of(client.get(path)).html["lang"] == "cy"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil",
                                    "javascript:alert(1)"])
def test_the_language_link_never_leaves_the_site(client: FlaskClient, target: str) -> None:
    response = client.get("/language/cy", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_an_unknown_language_and_an_unknown_page_get_a_bilingual_404(client: FlaskClient) -> None:
    assert client.get("/language/fr").status_code == 404
    client.get("/language/cy")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert page_of(response).h1.get_text(strip=True) == "Heb ddod o hyd i'r dudalen"


def test_every_page_is_served_with_strict_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    nonce = page_of(response).find("script", nonce=True)["nonce"]
    assert f"'nonce-{nonce}'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_page_has_inline_style_or_script_without_the_nonce() -> None:
    for template in Path(PROJECT_ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        assert "style=" not in text, template
        assert "<script>" not in text, template


def test_acting_for_and_account_pages_in_welsh_hold_no_english(app: Flask) -> None:
    from tests.web.test_access import carer_of_gwen

    person, carer, delegation_id = carer_of_gwen(app, ["plan"], "cy", "cy")
    carer.get("/your-care/plan")
    pages = [(person, p) for p in (
        "/who-can-act-for-you", "/who-can-act-for-you/invite",
        f"/who-can-act-for-you/{delegation_id}/change",
        f"/who-can-act-for-you/{delegation_id}/stop",
        "/who-has-looked-at-your-record", "/account", "/account/contact", "/act-for-someone",
        "/people-you-help")] + [(carer, p) for p in ("/people-you-help", "/your-care")]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = page_of(response)
        assert page.html["lang"] == "cy", path
        assert english_sentences_left_in(visible_text(page)) == [], path
