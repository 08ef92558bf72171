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


# What people may send: these kinds, each at most this size.
SENDABLE = ("application/pdf", "image/jpeg", "image/png")
LARGEST_SENT = 10 * 1024 * 1024
# What in a PDF can run or open something when it is read: refused, whatever else it holds.
PDF_ACTIONS = re.compile(rb"/(JavaScript|JS|Launch|OpenAction|AA|EmbeddedFile|RichMedia|"
                         rb"XFA|SubmitForm|ImportData)\b")


class Refused(ValueError):
    """A file people may not send; `reason` says why: empty, too-large, kind or active."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sendable(content: bytes) -> str:
    """The kind of a file someone sends, if they may send it; else Refused."""
    if not content:
        raise Refused("empty")
    if len(content) > LARGEST_SENT:
        raise Refused("too-large")
    kind = kind_of(content)
    if kind not in SENDABLE:
        raise Refused("kind")
    if kind == "application/pdf" and PDF_ACTIONS.search(_without_escapes(content)):
        raise Refused("active")
    return kind


def _without_escapes(content: bytes) -> bytes:
    """PDF names may hide letters as #xx (/J#61vaScript): read them as the letters."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), content)
