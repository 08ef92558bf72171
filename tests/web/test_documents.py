"""Letters and documents from the council: listed with their date, type and language,
downloaded through the portal as files, shown to someone acting for the person only
as their access allows, and every download in the log."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import files
from portal.sandbox.backoffice.documents import pdf
from tests.conftest import page_of, sign_in, visible_text
from tests.support.journeys import post
from tests.web.test_access import carer_of_gwen

LETTERS = "/your-care/letters"


def titles(client: FlaskClient) -> list[str]:
    page = page_of(client.get(LETTERS))
    return [h.get_text(" ", strip=True).split(" (")[0]
            for h in page.select(".portal-documents__item h2")]


def test_eleri_finds_her_letters_newest_first_and_downloads_one(client: FlaskClient) -> None:
    sign_in(client, "Eleri")
    page = visible_text(page_of(client.get(LETTERS)))
    assert titles(client) == ["Your charges from April",
                              "Assessment of your care and support needs"]
    assert "Charging letter" in page and "In English" in page and "PDF" in page
    letter = client.get(f"{LETTERS}/doc-p-1003-charges")
    assert letter.status_code == 200
    assert letter.mimetype == "application/pdf" and letter.data.startswith(b"%PDF-")
    assert letter.headers["Content-Disposition"] == \
        "attachment; filename=your-charges-from-april.pdf"
    assert "no-store" in letter.headers["Cache-Control"]
    assert letter.headers["X-Content-Type-Options"] == "nosniff"


def test_gwen_reads_the_list_in_welsh(client: FlaskClient) -> None:
    sign_in(client, "Gwen", "cy")
    page = visible_text(page_of(client.get(LETTERS)))
    assert "Llythyrau a dogfennau" in page and "Cymraeg a Saesneg" in page
    assert "Llythyr am daliadau" in page and "Yn Gymraeg" in page


def test_a_title_in_one_language_is_marked_with_it(client: FlaskClient) -> None:
    """Gwen's Welsh letters, read on an English page, are marked Welsh for a screen
    reader; the bilingual one is in both, and marked neither."""
    sign_in(client, "Gwen", "en")
    page = page_of(client.get(LETTERS))
    marked = {s.get_text(): s["lang"] for s in page.find("main").find_all("span", lang=True)}
    assert marked["Llythyr am eich adolygiad"] == "cy"
    assert marked["Cynllun gofal a chymorth"] == "cy"
    assert "Llythyr am daliadau / Charging letter" not in marked


@pytest.mark.parametrize("scope, sees, allowed, refused", [
    ("plan", ["Llythyr am eich adolygiad", "Cynllun gofal a chymorth"], "doc-p-1001-plan",
     "doc-p-1001-charges"),
    ("money", ["Llythyr am daliadau / Charging letter"], "doc-p-1001-charges",
     "doc-p-1001-plan"),
])
def test_a_carer_sees_only_the_documents_their_access_covers(
        app: Flask, scope: str, sees: list[str], allowed: str, refused: str) -> None:
    gwen, sian, _ = carer_of_gwen(app, [scope])
    assert post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"}).status_code == 302
    assert titles(sian) == sees
    assert sian.get(f"{LETTERS}/{refused}").status_code == 404
    assert sian.get(f"{LETTERS}/{allowed}").status_code == 200
    log = visible_text(page_of(gwen.get("/who-has-looked-at-your-record")))
    assert "Downloaded a letter or document" in log and "Looked at letters and documents" in log


def test_a_carer_without_plan_or_money_cannot_see_the_letters(app: Flask) -> None:
    _, sian, _ = carer_of_gwen(app, ["reviews"])
    assert post(sian, "/people-you-help", {"person_id": "W06000002:p-1001"}).status_code == 302
    assert sian.get(LETTERS).status_code == 403
    assert sian.get(f"{LETTERS}/doc-p-1001-plan").status_code == 403


@pytest.mark.parametrize("document_id", ["doc-p-1003-charges", "nothing", "..%2F..%2Fetc",
                                         "doc-p-1001-plan%20", "%F0%9F%92%A9"])
def test_someone_elses_or_no_document_is_not_found(client: FlaskClient, document_id: str
                                                   ) -> None:
    sign_in(client, "Gwen")
    assert client.get(f"{LETTERS}/{document_id}").status_code == 404


def test_without_the_council_the_page_says_so_and_nothing_breaks(
        client: FlaskClient, backoffice_faults: Any) -> None:
    sign_in(client, "Eleri")
    backoffice_faults.set(fail_status=503)
    down = client.get(LETTERS)
    assert down.status_code == 503
    assert "Sorry" in visible_text(page_of(down))
    assert client.get(f"{LETTERS}/doc-p-1003-charges").status_code == 503


@pytest.mark.parametrize("content, kind", [
    (pdf(["A letter"]), "application/pdf"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
    (b"MZ\x90\x00 a program renamed letter.pdf", files.UNKNOWN),
    (b"<html><script>alert(1)</script>", files.UNKNOWN),
])
def test_a_file_is_what_its_content_says(content: bytes, kind: str) -> None:
    assert files.kind_of(content) == kind


def test_a_download_name_is_plain() -> None:
    assert files.download_name("Llythyr am ŵyl / Letter", "application/pdf") == \
        "llythyr-am-wyl-letter.pdf"
    assert files.download_name("../../", files.UNKNOWN) == "document.bin"
