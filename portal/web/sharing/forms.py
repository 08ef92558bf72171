from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from portal import addresses
from portal.services.access import SCOPES
from portal.web.forms import DateInputField, PortalForm, one_of


class ScopesField(SelectMultipleField):
    """What someone may do for the person, as checkboxes."""

    CHOICES = [
        SelectChoice("plan", _l("See your care and support plan and your visits")),
        SelectChoice("reviews", _l("Book and change your reviews")),
        SelectChoice("money", _l("See and pay your care charges")),
        SelectChoice("notifications", _l("Get emails or texts about your care")),
        SelectChoice("messages", _l("Read and send messages to your care team")),
    ]

    def __init__(self, label: object = None, **kwargs: object) -> None:
        super().__init__(
            label, choices=self.CHOICES,
            # Our message for a value that is not offered, not WTForms' English one.
            validate_choice=False,
            validators=[InputRequired(_l("Select what they can do for you")), _known_scopes],
            **kwargs)  # type: ignore[arg-type]


def _known_scopes(_form: FlaskForm, field: ScopesField) -> None:
    if not field.data or any(value not in SCOPES for value in field.data):
        raise ValidationError(_l("Select what they can do for you"))


def _email_or_mobile(_form: FlaskForm, field: StringField) -> None:
    value = field.data or ""
    if not (addresses.valid_email(value) or addresses.valid_uk_mobile(value)):
        raise ValidationError(_l("Enter an email address or a UK mobile number, like "
                                 "name@example.com or 07700 900 982"))


# What an end date's mistakes say, on any form that asks for one.
END_DATE_MESSAGES = {
    "required": _l("Enter the date their access should end"),
    "missing_day": _l("End date must include a day"),
    "missing_month": _l("End date must include a month"),
    "missing_year": _l("End date must include a year"),
    "missing_day_month": _l("End date must include a day and month"),
    "missing_day_year": _l("End date must include a day and year"),
    "missing_month_year": _l("End date must include a month and year"),
    "real": _l("End date must be a real date"),
    "year_four_digits": _l("Year must include 4 numbers"),
    "future": _l("End date must be in the future"),
}


class InviteForm(PortalForm):
    name = StringField(_l("Their full name"), validators=[
        InputRequired(_l("Enter their full name")),
        Length(max=200, message=_l("Their name must be 200 characters or fewer"))])
    contact = StringField(
        _l("Their email address or mobile number"),
        description=_l("We keep this with their access so that the council can contact them."),
        validators=[InputRequired(_l("Enter their email address or mobile number")),
                    Length(max=320, message=_l("Their email address or mobile number must be "
                                               "320 characters or fewer")),
                    _email_or_mobile])
    relationship = StringField(
        _l("How do they know you?"), description=_l("For example, daughter, neighbour or friend"),
        validators=[InputRequired(_l("Enter how they know you")),
                    Length(max=100, message=_l("This must be 100 characters or fewer"))])
    scopes = ScopesField(_l("What can they do for you?"))
    ends_on = DateInputField(
        _l("When should their access end? (optional)"),
        description=_l("Leave this blank if it should last until you stop it. "
                       "For example, 31 3 2027"),
        when="future", optional=True, messages=END_DATE_MESSAGES)


NOTES = ("show", "withhold")


def notes_field() -> RadioField:
    """Whether someone acting for the person sees visit notes and care workers' names."""
    return RadioField(
        _l("Can they see what care workers write after each visit, and their names?"),
        description=_l("What was done at each visit, and any medicines taken or refused. "
                       "Only if they can see your plan and visits."),
        choices=[SelectChoice("show", _l("Yes, they can see them")),
                 SelectChoice("withhold", _l("No, keep them from them"))],
        validate_choice=False,
        validators=[one_of(NOTES, _l("Select whether they can see what care workers write"))])


class ChangeScopesForm(PortalForm):
    scopes = ScopesField(_l("What can they do for you?"))
    notes = notes_field()


class HolderNotesForm(PortalForm):
    """Visit notes, for someone the council records as holding a legal authority."""

    notes = notes_field()


ANSWERS = ("accept", "decline")


class AnswerForm(PortalForm):
    """The person's answer to a carer who asked to act for them: yes, with any of
    the things they asked for (`asked`, set by the view), or no."""

    answer = RadioField(
        _l("Do you want them to act for you?"),
        choices=[SelectChoice("accept", _l("Yes, they can act for me")),
                 SelectChoice("decline", _l("No, I do not want them to act for me"))],
        validate_choice=False,
        validators=[one_of(ANSWERS, _l("Select whether you want them to act for you"))])
    scopes = SelectMultipleField(_l("If yes, what can they do for you?"), validate_choice=False)

    def __init__(self, asked: list[str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.asked = asked
        self.scopes.choices = [c for c in ScopesField.CHOICES if c.value in asked]

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        chosen = self.scopes.data or []
        if self.answer.data == "accept" and (not chosen or not set(chosen) <= set(self.asked)):
            self.scopes.errors = [*self.scopes.errors,
                                  _l("Select what they can do for you, or choose no")]
            valid = False
        return valid

    @property
    def accepted(self) -> list[str] | None:
        """What they may do, or None for no."""
        return list(self.scopes.data or []) if self.answer.data == "accept" else None
