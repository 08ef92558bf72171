"""Finding a council from a postcode."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from portal.councils import postcode_district
from portal.web.forms import PortalForm, at_most, given


def _a_postcode(_form: FlaskForm, field: StringField) -> None:
    if postcode_district(field.data or "") is None:
        raise ValidationError(_l("Enter a postcode, like SY23 2AZ"))


class FindCouncilForm(PortalForm):
    postcode = StringField(_l("Postcode"), description=_l("For example, SY23 2AZ"),
                           validators=[given(_l("Enter a postcode")), at_most(12), _a_postcode])
