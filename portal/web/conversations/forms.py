"""Writing to the care team: a new conversation or a reply, with one file if wanted.
Every message is in the page's language; a file is judged by what it holds."""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from portal.services.conversations import LONGEST_MESSAGE, LONGEST_SUBJECT
from portal.web.forms import PortalForm, SendableFileField, at_most, given, one_sendable_file


def _body() -> Any:
    return TextAreaField(_l("Message"), validators=[
        given(_l("Enter your message")), at_most(LONGEST_MESSAGE)])


def _attachment() -> Any:
    return SendableFileField(
        _l("Attach a file (optional)"),
        description=_l("A PDF, JPG or PNG, smaller than 10 MB: a letter, say, or a photo "
                       "of one"),
        validators=[one_sendable_file(_l("Select one file. You can send another file in a "
                                         "reply"))])


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
