from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from portal.services.access import SCOPES
from portal.services.delegations import CODE_ALPHABET, CODE_LENGTH, normalise_code
from portal.web.forms import CouncilField, DateInputField, PortalForm, at_most, given, some_of
from portal.web.labels import SCOPE_NAMES
from portal.web.link.forms import BIRTH_DATE_MESSAGES, COUNCIL_REFERENCE_SHAPE
from portal.web.sharing.forms import END_DATE_MESSAGES


def _code_shape(_form: FlaskForm, field: StringField) -> None:
    code = normalise_code(field.data or "")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise ValidationError(_l("The code must be 8 letters and numbers, like ABCD-2345"))


class RedeemForm(PortalForm):
    code = StringField(
        _l("Your code"),
        description=_l("The person you help was given it when they added you. "
                       "It is 8 letters and numbers, like ABCD-2345."),
        validators=[InputRequired(_l("Enter your code")), _code_shape])


class ChoosePersonForm(PortalForm):
    # Empty means your own care.
    person_id = HiddenField()


class AskForm(PortalForm):
    """A carer asks someone to let them act for them."""

    council = CouncilField(_l("Which council is their care record with?"),
                           _l("Select the council their care record is with"))
    council_reference = StringField(
        _l("Their council reference number"),
        description=_l("It is on letters from the council about their care, for example "
                       "C104233."),
        validators=[InputRequired(_l("Enter their council reference number")),
                    *COUNCIL_REFERENCE_SHAPE])
    birth_date = DateInputField(
        _l("Their date of birth"), description=_l("For example, 27 3 1950"), when="past",
        messages={"required": _l("Enter their date of birth"), **BIRTH_DATE_MESSAGES})
    name = StringField(_l("Your full name"), description=_l("As they know you"),
                       validators=[given(_l("Enter your full name")), at_most(200)])
    relationship = StringField(
        _l("How do they know you?"), description=_l("For example, daughter, neighbour or friend"),
        validators=[given(_l("Enter how they know you")), at_most(100)])
    scopes = SelectMultipleField(
        _l("What do you want to do for them?"),
        choices=[SelectChoice(s, SCOPE_NAMES[s]) for s in SCOPES], validate_choice=False,
        validators=[some_of(SCOPES, _l("Select what you want to do for them"))])
    ends_on = DateInputField(
        _l("When should your access end? (optional)"),
        description=_l("Leave this blank if it should last until they stop it. "
                       "For example, 31 3 2027"),
        when="future", optional=True, messages=END_DATE_MESSAGES)
