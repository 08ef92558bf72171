from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length, Regexp

from portal.web.forms import CouncilField, DateInputField, PortalForm

# What a date of birth's mistakes say, on any form that asks for one.
BIRTH_DATE_MESSAGES = {
    "missing_day": _l("Date of birth must include a day"),
    "missing_month": _l("Date of birth must include a month"),
    "missing_year": _l("Date of birth must include a year"),
    "missing_day_month": _l("Date of birth must include a day and month"),
    "missing_day_year": _l("Date of birth must include a day and year"),
    "missing_month_year": _l("Date of birth must include a month and year"),
    "real": _l("Date of birth must be a real date"),
    "year_four_digits": _l("Year must include 4 numbers"),
    "past": _l("Date of birth must be in the past"),
}
COUNCIL_REFERENCE_SHAPE = [
    Length(max=20, message=_l("Council reference number must be 20 characters or fewer")),
    Regexp(r"^\s*[A-Za-z0-9 -]+\s*$",
           message=_l("Council reference number must only include letters and numbers")),
]


class LinkRecordForm(PortalForm):
    council = CouncilField(_l("Which council is your care record with?"),
                           _l("Select the council your care record is with"))
    council_reference = StringField(
        _l("Council reference number"),
        description=_l("It is on letters from the council about your care, for example C104233."),
        validators=[InputRequired(_l("Enter your council reference number")),
                    *COUNCIL_REFERENCE_SHAPE],
    )
    birth_date = DateInputField(
        _l("Date of birth"),
        description=_l("For example, 27 3 1950"),
        when="past",
        messages={"required": _l("Enter your date of birth"), **BIRTH_DATE_MESSAGES},
    )


class MovedForm(LinkRecordForm):
    """The record the council they moved to gave them."""

    council = CouncilField(_l("Which council's area have you moved to?"),
                           _l("Select the council whose area you have moved to"))
