"""The sandbox back office's letters and documents (FHIR DocumentReference): for Gwen
her care and support plan and a letter in Welsh and a bilingual charging letter; for
Eleri a charging letter and an assessment. Each file is a real one-page PDF."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

# (person, id, type, title, days ago, languages, lines of the letter)
_LETTERS = [
    ("p-1001", "doc-p-1001-plan", "care-plan", "Cynllun gofal a chymorth", 70, ["cy"],
     ["Cynllun gofal a chymorth: Gwen Morgan", "Anghenion cymwys, canlyniadau personol,",
      "a phwy fydd yn gwneud beth."]),
    ("p-1001", "doc-p-1001-review", "letter", "Llythyr am eich adolygiad", 12, ["cy"],
     ["Annwyl Gwen Morgan,", "Mae'n bryd adolygu eich cynllun gofal a chymorth."]),
    ("p-1001", "doc-p-1001-charges", "charging-letter",
     "Llythyr am daliadau / Charging letter", 30, ["cy", "en"],
     ["Eich taliadau am ofal cartref", "Your charges for care at home"]),
    ("p-1003", "doc-p-1003-charges", "charging-letter", "Your charges from April", 40, ["en"],
     ["Dear Eleri Price,", "Your weekly charge for care at home from April."]),
    ("p-1003", "doc-p-1003-assessment", "assessment",
     "Assessment of your care and support needs", 95, ["en"],
     ["Assessment of care and support needs: Eleri Price",
      "What matters to you, and what the council will do."]),
]


def documents(person_id: str, today: date) -> list[dict[str, Any]]:
    """The person's documents as the contract lists them, newest first."""
    found = [{"id": doc_id, "type": kind, "title": title,
              "date": (today - timedelta(days=days_ago)).isoformat(), "languages": languages,
              "content_type": "application/pdf", "size": len(content(doc_id) or b"")}
             for pid, doc_id, kind, title, days_ago, languages, _ in _LETTERS
             if pid == person_id]
    return sorted(found, key=lambda d: d["date"], reverse=True)


def content(document_id: str) -> bytes | None:
    """The document's file, or None if there is no such document."""
    letter = next((entry for entry in _LETTERS if entry[1] == document_id), None)
    return None if letter is None else pdf([letter[3], "", *letter[6]])


def pdf(lines: list[str]) -> bytes:
    """A one-page PDF showing these lines (Latin-1 text, in Helvetica)."""
    def text(line: str) -> str:
        safe = line.replace("ŵ", "w").replace("ŷ", "y").encode("latin-1", "replace")
        return safe.decode("latin-1").replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    drawn = "BT /F1 12 Tf 16 TL 72 770 Td " + " ".join(f"({text(line)}) '" for line in lines)
    stream = (drawn + " ET").encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
