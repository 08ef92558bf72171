"""Writing to the care team: a new conversation or a reply, with one file if wanted.
Every message is in the page's language; a file is judged by what it holds."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField

from portal.services.conversations import LONGEST_MESSAGE, LONGEST_SUBJECT
from portal.web.forms import SendableFileField, SentOnceForm, at_most, given, one_sendable_file


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


class ReplyForm(SentOnceForm):
    body = _body()
    attachment = _attachment()


class NewMessageForm(SentOnceForm):
    subject = StringField(_l("Subject"), description=_l("A few words to say what it is about"),
                          validators=[given(_l("Enter a subject")),
                                      at_most(LONGEST_SUBJECT)])
    body = _body()
    attachment = _attachment()
