"""What a file is, told by its content and never by its name (a renamed program is
not a PDF), and the name it is offered for download under."""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

# A damaged file is refused with a message to the person, not logged as a warning.
logging.getLogger("pypdf").setLevel(logging.ERROR)

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
# What in a PDF can run or open something when it is read: refused, whatever else it
# holds, as a key of any dictionary or as the kind (/S) of an action.
PDF_ACTIONS = frozenset({"/JavaScript", "/JS", "/Launch", "/OpenAction", "/AA", "/EmbeddedFile",
                         "/EmbeddedFiles", "/RichMedia", "/XFA", "/SubmitForm", "/ImportData",
                         "/GoToR", "/GoToE"})
# The most objects a PDF sent to the council may hold, so that reading it stays cheap.
LARGEST_PDF_OBJECTS = 100_000
# Characters a file name may keep: letters and digits of any script (Welsh ones too),
# joined by hyphens; nothing that hides, reverses or breaks a line.
LONGEST_NAME = 100
_NOT_A_NAME = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Upload:
    """A file someone sent, as it is kept and given to the council."""

    filename: str
    content_type: str  # as its content shows it (sendable)
    content: bytes


class Refused(ValueError):
    """A file people may not send; `reason` says why: empty, too-large, kind, active,
    locked (a PDF behind a password) or unreadable (a PDF that cannot be read)."""

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
    if kind == "application/pdf":
        _check_pdf(content)
    return kind


def sent_name(given: str, kind: str) -> str:
    """The name a file someone sends is kept and given to the council under: the words
    of the name they gave (any script, without hidden or line-breaking characters),
    and the extension of what the file is, whatever its name said."""
    stem = given.replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    shown = "".join(ch for ch in unicodedata.normalize("NFC", stem)
                    if unicodedata.category(ch)[0] not in "CZ" or ch == " ")
    words = _NOT_A_NAME.sub("-", shown).strip("-")[:LONGEST_NAME].strip("-")
    return f"{words or 'file'}.{EXTENSIONS[kind]}"


def _check_pdf(content: bytes) -> None:
    """Read the PDF as a viewer would, every object of every revision, those packed in
    compressed object streams included, and refuse it if anything in it can act."""
    if _ACTIVE_BYTES.search(_without_escapes(content)):
        raise Refused("active")  # plainly written, even in a revision no longer used
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            raise Refused("locked")
        numbers = {(n, g) for g, found in reader.xref.items() for n in found}
        numbers |= {(n, 0) for n in reader.xref_objStm}
        if len(numbers) > LARGEST_PDF_OBJECTS:
            raise Refused("unreadable")
        seen: set[int] = set()
        _refuse_actions(reader.trailer, seen)
        for number, generation in sorted(numbers):
            _refuse_actions(reader.get_object(IndirectObject(number, generation, reader)),
                            seen)
        if not reader.pages:
            raise Refused("unreadable")
    except Refused:
        raise
    except Exception as error:  # noqa: BLE001 - hostile input may break the parser anywhere
        raise Refused("unreadable") from error


def _refuse_actions(found: Any, seen: set[int]) -> None:
    """Refuse if this object, or any it holds directly, names an action (iteratively,
    so that a deeply nested file cannot exhaust the stack)."""
    waiting = [found]
    while waiting:
        item = waiting.pop()
        if isinstance(item, IndirectObject) or id(item) in seen:
            continue  # reached in its own turn, by its number
        seen.add(id(item))
        if isinstance(item, DictionaryObject):
            if PDF_ACTIONS & set(item) or item.get("/S") in PDF_ACTIONS:
                raise Refused("active")
            waiting.extend(item.values())
        elif isinstance(item, ArrayObject):
            waiting.extend(item)


# Written plainly in the file's bytes, these are enough to refuse it.
_ACTIVE_BYTES = re.compile(rb"/(JavaScript|JS|Launch|OpenAction|AA|EmbeddedFiles?|RichMedia|"
                           rb"XFA|SubmitForm|ImportData)\b")


def _without_escapes(content: bytes) -> bytes:
    """PDF names may hide letters as #xx (/J#61vaScript): read them as the letters."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), content)
