"""The questions of reporting a missed or late visit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from portal.services.visit_reports import PROBLEMS
from portal.web.forms import LONGEST_ANSWER, PortalForm, at_most, one_of
from portal.web.labels import VISIT_PROBLEM_NAMES


class WhatForm(PortalForm):
    what_happened = RadioField(
        _l("What happened?"), choices=[SelectChoice(p, VISIT_PROBLEM_NAMES[p]) for p in PROBLEMS],
        validate_choice=False, validators=[one_of(PROBLEMS, _l("Select what happened"))])


class DetailsForm(PortalForm):
    details = TextAreaField(
        _l("Is there anything else the council should know? (optional)"),
        description=_l("For example, how it affected you, or who came instead"),
        validators=[at_most(LONGEST_ANSWER)])
