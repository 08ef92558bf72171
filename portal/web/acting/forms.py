from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import InputRequired, ValidationError

from portal.services.delegations import CODE_ALPHABET, CODE_LENGTH, normalise_code
from portal.web.forms import PortalForm


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
