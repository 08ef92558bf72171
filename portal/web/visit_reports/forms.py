"""The questions of reporting a missed or late visit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice

from portal.services.visit_reports import PROBLEMS
from portal.web.forms import LONGEST_ANSWER, PortalForm, at_most, one_of
from portal.web.labels import AT_RISK_NAMES, VISIT_PROBLEM_NAMES

YES_NO = ("yes", "no")


class WhatForm(PortalForm):
    what_happened = RadioField(
        _l("What happened?"), choices=[SelectChoice(p, VISIT_PROBLEM_NAMES[p]) for p in PROBLEMS],
        validate_choice=False, validators=[one_of(PROBLEMS, _l("Select what happened"))])


class RiskForm(PortalForm):
    at_risk = RadioField(
        _l("Is anyone at risk now because of it?"),
        choices=[SelectChoice(v, AT_RISK_NAMES[v]) for v in YES_NO], validate_choice=False,
        validators=[one_of(YES_NO, _l("Select whether anyone is at risk now"))])


class DetailsForm(PortalForm):
    details = TextAreaField(
        _l("Is there anything else the council should know? (optional)"),
        description=_l("For example, how it affected you, or who came instead"),
        validators=[at_most(LONGEST_ANSWER)])
