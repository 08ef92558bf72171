"""Files people send: what may be sent is told by reading the file as a viewer would,
and the name it is kept under is made from what it is."""

from __future__ import annotations

import pytest

from portal import files
from portal.sandbox.backoffice.documents import pdf
from tests.support import pdfs

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
OPENS_SCRIPT = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize("content", [
    pdf(["A letter from the hospital"]),
    pdfs.classic(),
    pdfs.in_object_stream(CATALOG),
    pdfs.updated(pdfs.classic(), CATALOG),
    # a link to a web page is part of an ordinary letter, not something that runs
    pdfs.classic(b"<< /Type /Catalog /Pages 2 0 R /Names << >> >>",
                 [b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://gov.wales) >> >>"]),
])
def test_a_plain_pdf_may_be_sent(content: bytes) -> None:
    assert files.sendable(content) == "application/pdf"


@pytest.mark.parametrize("content", [
    pdfs.classic(OPENS_SCRIPT, [pdfs.SCRIPT]),
    # the catalogue and its script packed in a compressed object stream (PDF 1.5)
    pdfs.in_object_stream(OPENS_SCRIPT, [pdfs.SCRIPT]),
    # a page whose additional actions run a launch, in an object stream
    pdfs.in_object_stream(CATALOG, [b"<< /Type /Annot /A << /S /Launch /F (calc.exe) >> >>"]),
    # a plain file, then a revision that opens a script
    pdfs.updated(pdfs.classic(), b"<< /Type /Catalog /Pages 2 0 R /OpenAction 14 0 R >>",
                 [pdfs.SCRIPT]),
    # names written in #xx escapes, inside an object stream
    pdfs.in_object_stream(b"<< /Type /Catalog /Pages 2 0 R /Open#41ction 4 0 R >>",
                          [b"<< /S /J#61va#53cript /J#53 (x) >>"]),
    # a file inside the file
    pdfs.in_object_stream(b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 4 0 R >> >>",
                          [b"<< /Names [(a.exe) 5 0 R] >>"]),
])
def test_a_pdf_that_can_act_is_refused_however_it_is_written(content: bytes) -> None:
    with pytest.raises(files.Refused) as refused:
        files.sendable(content)
    assert refused.value.reason == "active"


@pytest.mark.parametrize("content", [
    b"%PDF-1.7\nnot a PDF at all, only its first bytes",
    b"%PDF-1.5\n" + b"[" * 50_000,
    pdfs.classic()[:60],
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj trailer << /Root 1 0 R >>",  # no pages
])
def test_a_pdf_that_cannot_be_read_is_refused(content: bytes) -> None:
    with pytest.raises(files.Refused) as refused:
        files.sendable(content)
    assert refused.value.reason == "unreadable"


@pytest.mark.parametrize("given, kind, kept", [
    ("letter.pdf", "application/pdf", "letter.pdf"),
    ("Llythyr gan y meddyg.PDF", "application/pdf", "Llythyr-gan-y-meddyg.pdf"),
    ("invoice\u202egpj.exe", "image/png", "invoicegpj.png"),  # right-to-left override
    ("photo.exe", "image/png", "photo.png"),
    ("page.html", "image/jpeg", "page.jpg"),
    ("..", "image/png", "file.png"),
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("C:\\Users\\gwen\\llun.jpg", "image/jpeg", "llun.jpg"),
    ("", "image/png", "file.png"),
    ("a\x00b.png", "image/png", "ab.png"),
    ("line\r\nbreak.pdf", "application/pdf", "linebreak.pdf"),
    ("письмо.pdf", "application/pdf", "письмо.pdf"),
    ("رسالة.png", "image/png", "رسالة.png"),
    ("ŵyl\u200b\u2066.jpg", "image/jpeg", "ŵyl.jpg"),
    ("x" * 300 + ".pdf", "application/pdf", "x" * files.LONGEST_NAME + ".pdf"),
])
def test_a_sent_file_is_named_for_what_it_is(given: str, kind: str, kept: str) -> None:
    assert files.sent_name(given, kind) == kept


def test_a_picture_that_is_also_a_page_is_a_picture() -> None:
    """A polyglot: a PNG's first bytes, then HTML. It is kept and served as a PNG,
    named .png, never as a page."""
    polyglot = PNG + b"<html><script>alert(1)</script></html>"
    assert files.sendable(polyglot) == "image/png"
    assert files.sent_name("page.html", files.sendable(polyglot)) == "page.png"
