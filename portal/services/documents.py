"""Letters and documents from the council: listed from the back office with their
date, type and language, and downloaded through the portal, never from a link to the
back office. Who may read one follows its type: charging letters are about money,
the rest about care."""

from __future__ import annotations

from dataclasses import dataclass

from portal import files
from portal.clients.backoffice import BackOfficeClient, Document, Documents
from portal.services.access import SCOPES

# The scope each type of document needs.
SCOPE_OF = {"care-plan": "plan", "assessment": "plan", "letter": "plan",
            "charging-letter": "money"}
# The scopes that let someone read some documents.
READERS = ("plan", "money")


@dataclass(frozen=True)
class Download:
    document: Document
    filename: str
    content_type: str  # as its content shows it, not as it is said to be
    content: bytes


def for_person(backoffice: BackOfficeClient, person_id: str, scopes: frozenset[str]
               ) -> Documents:
    """The documents these scopes may read, newest first."""
    held = backoffice.list_documents(person_id)
    return Documents(sorted((d for d in held.documents if _may_read(d, scopes)),
                            key=lambda d: d.date, reverse=True), held.as_of)


def download(backoffice: BackOfficeClient, person_id: str, document_id: str,
             scopes: frozenset[str]) -> Download:
    """One document's file; LookupError if there is none these scopes may read."""
    document = next((d for d in backoffice.list_documents(person_id).documents
                     if d.id == document_id and _may_read(d, scopes)), None)
    if document is None:
        raise LookupError(document_id)
    content = backoffice.document_content(person_id, document_id)
    kind = files.kind_of(content)
    return Download(document, files.download_name(document.title, kind), kind, content)


def _may_read(document: Document, scopes: frozenset[str]) -> bool:
    # A type the portal does not know yet needs every scope: the person, or someone
    # they trust with everything.
    needed = {SCOPE_OF[document.type]} if document.type in SCOPE_OF else set(SCOPES)
    return needed <= scopes
