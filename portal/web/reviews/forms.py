"""The questions of the review journey. Every message is in the page's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from portal.services.reviews import LANGUAGE_SUPPORT, MODES, REASONS
from portal.web.forms import LONGEST_ANSWER, PortalForm, at_most, needed_when, one_of
from portal.web.labels import LANGUAGE_SUPPORT_NAMES, REASON_NAMES, REVIEW_MODES


class ReasonForm(PortalForm):
    reason = RadioField(
        _l("Why do you want a review?"),
        choices=[SelectChoice(r, REASON_NAMES[r]) for r in REASONS],
        validate_choice=False, validators=[one_of(REASONS, _l("Select why you want a review"))])
    detail = TextAreaField(
        _l("Tell us more"),
        description=_l("If something has changed, tell us what. For another reason, tell us "
                       "why you want a review."),
        validators=[needed_when("reason", "changed", _l("Tell us what has changed")),
                    needed_when("reason", "other", _l("Tell us why you want a review")),
                    at_most(LONGEST_ANSWER)])


class ModeForm(PortalForm):
    mode = RadioField(
        _l("How would you like the review to happen?"),
        choices=[SelectChoice(m, REVIEW_MODES[m]) for m in MODES], validate_choice=False,
        validators=[one_of(MODES, _l("Select how you would like the review to happen"))])


class DayForm(PortalForm):
    """Choose one of the days that have free times; `offered` is set by the view."""

    day = StringField(_l("Which day would you like the review?"))

    def __init__(self, offered: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.day.validators = [one_of(offered, _l("Select a day for the review"))]


class SlotForm(PortalForm):
    """Choose one of the free times on the day chosen; `offered` is set by the view."""

    slot = StringField(_l("What time would you like the review?"))

    def __init__(self, offered: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.slot.validators = [one_of(offered, _l("Select a time for the review"))]


class AnythingElseForm(PortalForm):
    access_needs = TextAreaField(
        _l("Do you have any access needs? (optional)"),
        description=_l("For example, a ground-floor room, a hearing loop or large print"),
        validators=[at_most(LONGEST_ANSWER)])
    others_attending = TextAreaField(
        _l("Who else should come? (optional)"),
        description=_l("For example, a family member, a friend or your advocate"),
        validators=[at_most(LONGEST_ANSWER)])
    language_support = RadioField(
        _l("Do you need a Welsh-speaking worker or an interpreter?"),
        choices=[SelectChoice(v, LANGUAGE_SUPPORT_NAMES[v]) for v in LANGUAGE_SUPPORT],
        default="none", validate_choice=False,
        validators=[one_of(LANGUAGE_SUPPORT, _l("Select whether you need a Welsh-speaking "
                                                 "worker or an interpreter"))])
    interpreter_language = StringField(
        _l("If you need an interpreter, which language?"),
        validators=[needed_when("language_support", "interpreter",
                                 _l("Enter the language you need an interpreter for")),
                    at_most(100)])
