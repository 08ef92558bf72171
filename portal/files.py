"""What a file is, told by its content and never by its name (a renamed program is
not a PDF), and the name it is offered for download under."""

from __future__ import annotations

import re
import unicodedata

# The kinds of file people are sent and may send, by their first bytes.
SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# Anything else is offered as bytes to save, never shown.
UNKNOWN = "application/octet-stream"


def kind_of(content: bytes) -> str:
    """The file's type by its content: one of SIGNATURES, else UNKNOWN."""
    return next((kind for kind, start in SIGNATURES.items() if content.startswith(start)),
                UNKNOWN)


def download_name(title: str, kind: str) -> str:
    """A plain file name from a title: letters, digits and hyphens (Welsh letters
    lose their accents), with the extension of its kind."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:80] or "document"
    return f"{stem}.{EXTENSIONS.get(kind, 'bin')}"
