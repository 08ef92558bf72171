"""Writing to the care team: a new conversation or a reply, with one file if wanted.
Every message is in the page's language; a file is judged by what it holds."""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import StopValidation

from portal import files
from portal.services.conversations import LONGEST_MESSAGE, LONGEST_SUBJECT, Upload
from portal.web.forms import PortalForm, at_most, given

REFUSED = {
    "empty": _l("The selected file is empty"),
    "too-large": _l("The selected file must be smaller than 10 MB"),
    "kind": _l("The selected file must be a PDF, JPG or PNG"),
    "active": _l("The selected PDF has something in it that could run, like a script. "
                 "Save it again as a plain PDF, or send a photo of the page"),
    "locked": _l("The selected PDF is protected with a password. Save it again without "
                 "a password, or send a photo of the page"),
    "unreadable": _l("The selected PDF cannot be opened. Save it again as a PDF, or send a "
                     "photo of the page"),
}


class _FileField(FileField):
    """A file field that keeps all that was sent under its name: a second file, or a
    part that should have been a file and was not (its name broke its header)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.sent = list(valuelist)
        super().process_formdata(valuelist)


def _sendable(_form: PortalForm, field: _FileField) -> None:
    """One file, if one was chosen, that people may send: its kind told by its content,
    its name made from the words of the one it had and the extension of what it is."""
    sent = getattr(field, "sent", [])
    chosen = [f for f in sent if isinstance(f, FileStorage) and f.filename]
    field.upload = None
    if any(isinstance(f, str) and f for f in sent):  # a file part whose name broke its header
        raise StopValidation(_l("The selected file could not be read. Select it again"))
    if not chosen:
        return
    if len(chosen) > 1:
        raise StopValidation(_l("Select one file. You can send another file in a reply"))
    content = chosen[0].stream.read(files.LARGEST_SENT + 1)
    try:
        kind = files.sendable(content)
    except files.Refused as refused:
        raise StopValidation(REFUSED[refused.reason]) from refused
    field.upload = Upload(files.sent_name(chosen[0].filename or "", kind), kind, content)


def _body() -> Any:
    return TextAreaField(_l("Message"), validators=[
        given(_l("Enter your message")), at_most(LONGEST_MESSAGE)])


def _attachment() -> Any:
    return _FileField(
        _l("Attach a file (optional)"),
        description=_l("A PDF, JPG or PNG, smaller than 10 MB: a letter, say, or a photo "
                       "of one"),
        validators=[_sendable])


class _Once(PortalForm):
    """A form with its own id (a UUID), so that sent twice it sends one message."""

    token = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.token.data = str(uuid.UUID(self.token.data or ""))
        except ValueError:
            self.token.data = str(uuid.uuid4())


class ReplyForm(_Once):
    body = _body()
    attachment = _attachment()


class NewMessageForm(_Once):
    subject = StringField(_l("Subject"), description=_l("A few words to say what it is about"),
                          validators=[given(_l("Enter a subject")),
                                      at_most(LONGEST_SUBJECT)])
    body = _body()
    attachment = _attachment()
