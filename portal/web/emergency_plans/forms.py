"""The questions of a carer's emergency plan, and the choice of who may read it.
Every message is in the page's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, TextAreaField

from portal.web.carers.forms import WhoForm
from portal.web.forms import LONGEST_ANSWER, PortalForm, at_most, given, uk_phone_if_given

LONGEST_SECTION = 2 * LONGEST_ANSWER


class PlanForm(PortalForm):
    """The plan's sections; `who` (a WhoForm, the carer's own question of whom they
    look after) only when the plan is new."""

    carer_name = StringField(_l("Your full name"), validators=[
        given(_l("Enter your full name")), at_most(200)])
    carer_phone = StringField(
        _l("Your phone number (optional)"),
        description=_l("So the council's out-of-hours team can reach you"),
        validators=[at_most(32), uk_phone_if_given])
    contacts = TextAreaField(
        _l("Who should be contacted if you cannot care?"),
        description=_l("Their names, how they know the person you look after, and their "
                       "phone numbers"),
        validators=[given(_l("Enter who should be contacted")), at_most(LONGEST_SECTION)])
    daily_needs = TextAreaField(
        _l("What do they need each day?"),
        description=_l("For example, help to get up and dressed, meals, or someone to check "
                       "on them at night"),
        validators=[given(_l("Enter what they need each day")), at_most(LONGEST_SECTION)])
    medicines = TextAreaField(
        _l("Medicines (optional)"),
        description=_l("What they take and when, and where the medicines are kept"),
        validators=[at_most(LONGEST_SECTION)])
    routines = TextAreaField(
        _l("Routines that matter to them (optional)"),
        description=_l("For example, the time they like to get up, what calms them, or "
                       "a pet to feed"),
        validators=[at_most(LONGEST_SECTION)])
    keys = TextAreaField(
        _l("Keys (optional)"),
        description=_l("Who has a key, or where one is kept. Do not write a key safe code "
                       "here: say who knows it"),
        validators=[at_most(LONGEST_SECTION)])
    step_in = TextAreaField(
        _l("Who else can step in?"),
        description=_l("Family, friends or neighbours who could help for a day or two, and "
                       "how to reach them. Say if there is nobody"),
        validators=[given(_l("Enter who else can step in, or say there is nobody")),
                    at_most(LONGEST_SECTION)])
    other = TextAreaField(_l("Anything else the council should know (optional)"),
                          validators=[at_most(LONGEST_SECTION)])


class NewPlanForm(WhoForm, PlanForm):
    """A new plan: whom it is about, then its sections."""


class ReadersForm(PortalForm):
    """Who, of those acting for the person, may read the plan (`offered`, by the view)."""

    readers = SelectMultipleField(_l("Who else can read it?"), validate_choice=False)

    def __init__(self, offered: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.readers.choices = offered

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if set(self.readers.data or ()) - {value for value, _ in self.readers.choices or ()}:
            self.readers.errors = [_l("Select only people who act for you here")]
            valid = False
        return valid

