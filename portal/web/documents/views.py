"""Letters and documents from the council: the list, and each file downloaded
through the portal. Someone acting for the person sees the documents their scopes
allow (charging letters with `money`, the rest with `plan`); every download is
logged, and one by anyone but the person is in the person's access log too."""

from __future__ import annotations

import io
import logging

from flask import Blueprint, g, render_template, send_file
from werkzeug.wrappers import Response

from portal.dependencies import deps
from portal.services import documents
from portal.services.documents import READERS
from portal.web.access import scope_required
from portal.web.errors import or_404

bp = Blueprint("documents", __name__, url_prefix="/your-care/letters")
log = logging.getLogger(__name__)


@bp.get("")
@scope_required(*READERS,
                reads=lambda backoffice, person_id: backoffice.list_documents(person_id))
def letters() -> str:
    return render_template("documents/letters.html", found=documents.for_person(
        deps().backoffice, g.person_id, g.decision.scopes))


@bp.get("/<document_id>")
@scope_required(*READERS)
def download(document_id: str) -> Response:
    found = or_404(documents.download, deps().backoffice, g.person_id, document_id,
                   g.decision.scopes)
    log.info("document downloaded", extra={
        "document_id": document_id, "document_type": found.document.type,
        "person_id": g.person_id, "account_id": g.signed_in.account_id,
        "role": g.decision.role})
    response = send_file(io.BytesIO(found.content), mimetype=found.content_type,
                         as_attachment=True, download_name=found.filename, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
