"""Messages with the care team: the conversations, newest first with what this reader
has not read; one conversation, read, with a reply; a new conversation; and a file
in one, downloaded. A person's own, or someone's they act for with `messages`; every
read by anyone else is in the person's access log."""

from __future__ import annotations

import io
from contextlib import suppress

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from portal.clients.backoffice import BackOfficeClient
from portal.clients.errors import BackOfficeUnavailable
from portal.clock import utcnow
from portal.dependencies import deps
from portal.services import conversations
from portal.web.access import acting_name, scope_required
from portal.web.conversations.forms import NewMessageForm, ReplyForm
from portal.web.errors import or_404
from portal.web.features import offered
from portal.web.forms import page_number
from portal.web.journeys import question

bp = Blueprint("conversations", __name__, url_prefix="/messages")


def _conversations_read(backoffice: BackOfficeClient, person_id: str) -> object:
    return backoffice.list_conversations(person_id)


@bp.get("")
@scope_required("messages", reads=_conversations_read)
@offered("messages")
def inbox() -> str:
    return render_template("conversations/inbox.html", found=conversations.inbox(
        deps().store, deps().backoffice, g.person_id, g.signed_in.account_id,
        page_number(request.args.get("page"))))


@bp.route("/new", methods=["GET", "POST"])
@scope_required("messages")
@offered("messages")
def new() -> Response | str | tuple[str, int]:
    form = NewMessageForm()
    if not form.validate_on_submit():
        return question("conversations/new.html", form)
    _send(form, None, form.subject.data.strip())
    return redirect(url_for("conversations.inbox"))


@bp.route("/<conversation_id>", methods=["GET", "POST"])
@scope_required("messages", reads=_conversations_read)
@offered("messages")
def conversation(conversation_id: str) -> Response | str | tuple[str, int]:
    if len(conversation_id) > conversations.LONGEST_ID:
        abort(404)  # no conversation has such an id
    form = ReplyForm()
    if form.validate_on_submit():
        try:
            if not conversations.theirs(deps().backoffice, g.person_id, conversation_id):
                abort(404)
        except BackOfficeUnavailable:  # whose it is cannot be known yet: nothing is sent
            return render_template("conversations/not_checked.html", form=form), 503
        _send(form, conversation_id, None)
        return redirect(url_for("conversations.conversation", conversation_id=conversation_id))
    found = or_404(conversations.conversation, deps().store, deps().backoffice, g.person_id,
                   g.signed_in.account_id, conversation_id, utcnow(),
                   page_number(request.args.get("page")))
    return question("conversations/conversation.html", form, found=found)


@bp.get("/<conversation_id>/<message_id>/<attachment_id>")
@scope_required("messages")
@offered("messages")
def attachment(conversation_id: str, message_id: str, attachment_id: str) -> Response:
    name, kind, content = or_404(conversations.attachment, deps().backoffice, g.person_id,
                                 conversation_id, message_id, attachment_id)
    response = send_file(io.BytesIO(content), mimetype=kind, as_attachment=True,
                         download_name=name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Inside the blueprint ---------------------------------------------------------

def _send(form: ReplyForm | NewMessageForm, conversation_id: str | None,
          subject: str | None) -> None:
    """Keep the message for the care team, and say it is on its way."""
    person = ""
    if g.decision.role == "self":
        with suppress(BackOfficeUnavailable):  # the council knows whose record it is
            person = deps().backoffice.get_person(g.person_id).full_name
    conversations.send(deps().store, g.person_id, g.signed_in.account_id, acting_name(person),
                       conversation_id, subject, form.body.data.strip(),
                       form.attachment.upload, form.token.data, utcnow())
    flash(_("Your message is on its way to the care team."), "success")
