"""The questions of a carer's needs assessment request. Every message is in the
page's language."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.validators import StopValidation

from portal.services.carers import (
    CARRY_ON,
    CONTACT_BY,
    COUNCIL_CARE,
    HOURS,
    LANGUAGES,
    TASKS,
    WHAT_MATTERS,
)
from portal.web.forms import (
    LONGEST_ANSWER,
    ContactByForm,
    CouncilField,
    PortalForm,
    at_most,
    choice_of,
    given,
    named_choices,
    needed_when,
    one_of,
    some_of,
)
from portal.web.labels import (
    CARER_CONTACT_BY,
    CARING_HOURS,
    CARING_TASKS,
    CARRY_ON_NAMES,
    COUNCIL_CARE_NAMES,
    LANGUAGE_NAMES,
    LIVE_TOGETHER_NAMES,
    WHAT_MATTERS_NAMES,
)

SOMEONE_ELSE = "someone-else"
YES_NO = ("yes", "no")


def _ticked_needs(field_name: str, value: str, message: Any) -> Any:
    """This text is needed when a box (Other, say) is ticked."""
    def check(form: PortalForm, field: TextAreaField) -> None:
        if value in (form[field_name].data or ()) and not (field.data or "").strip():
            raise StopValidation(message)
    return check


class WhoForm(PortalForm):
    """Someone they act for in the portal (`offered`, set by the view), or a name."""

    person = StringField(_l("Who do you look after?"))
    name = StringField(
        _l("Their full name"),
        validators=[needed_when("person", SOMEONE_ELSE, _l("Enter the name of the person "
                                                            "you look after")),
                    at_most(200)])

    # The council to ask, where the portal serves several and does not know the
    # person's record: the council of the area they live in (offer_councils).
    council = CouncilField(
        _l("Which council's area do they live in?"),
        _l("Select the council whose area they live in"),
        needed=lambda form: form.person.data == SOMEONE_ELSE)

    def __init__(self, offered: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.person.validators = [one_of([*offered, SOMEONE_ELSE],
                                          _l("Select who you look after"))]
        if offered:
            self.name.description = self.council.description = _l(
                "Only if you chose someone else")


class AboutThemForm(PortalForm):
    relationship = StringField(
        _l("How are you related to them?"),
        description=_l("For example, daughter, husband, friend or neighbour"),
        validators=[given(_l("Enter how you are related to them")),
                    at_most(100)])
    lives_together = choice_of(_l("Do you live with them?"), YES_NO, LIVE_TOGETHER_NAMES,
                               _l("Select whether you live with them"))
    council_care = choice_of(
        _l("Do they get care and support from the council?"), COUNCIL_CARE, COUNCIL_CARE_NAMES,
        _l("Select whether they get care and support from the council"))


class CaringForm(PortalForm):
    tasks = SelectMultipleField(
        _l("What do you do for them?"), choices=named_choices(TASKS, CARING_TASKS),
        validate_choice=False,
        validators=[some_of(TASKS, _l("Select what you do for them"))])
    tasks_detail = TextAreaField(
        _l("What else do you do for them?"),
        validators=[_ticked_needs("tasks", "other", _l("Tell us what else you do for them")),
                    at_most(LONGEST_ANSWER)])
    hours = choice_of(_l("Roughly how many hours a week do you spend caring?"), HOURS,
                      CARING_HOURS,
                      _l("Select roughly how many hours a week you spend caring"))


class CarryOnForm(PortalForm):
    carry_on = choice_of(_l("Are you able and willing to carry on caring?"), CARRY_ON,
                         CARRY_ON_NAMES,
                         _l("Select whether you are able and willing to carry on caring"))
    detail = TextAreaField(
        _l("Is there anything you want to tell us about this? (optional)"),
        validators=[at_most(LONGEST_ANSWER)])


class WhatMattersForm(PortalForm):
    what_matters = SelectMultipleField(
        _l("What matters to you?"), choices=named_choices(WHAT_MATTERS, WHAT_MATTERS_NAMES),
        validate_choice=False,
        validators=[some_of(WHAT_MATTERS, _l("Select what matters to you"))])
    detail = TextAreaField(
        _l("Tell us more (optional if you did not tick Other)"),
        description=_l("For example, keeping your job, a course you want to do, or "
                       "something you used to enjoy"),
        validators=[_ticked_needs("what_matters", "other", _l("Tell us what else matters to "
                                                              "you")),
                    at_most(LONGEST_ANSWER)])


class ContactForm(ContactByForm):
    name = StringField(_l("Your full name"), validators=[
        given(_l("Enter your full name")), at_most(200)])
    contact_by = choice_of(_l("How should the council contact you about the assessment?"),
                           CONTACT_BY, CARER_CONTACT_BY,
                           _l("Select how the council should contact you"))
    email = StringField(_l("Email address"), validators=[at_most(320)])
    phone = StringField(_l("Phone number"), validators=[at_most(32)])
    best_times = StringField(
        _l("When is it best to contact you? (optional)"),
        description=_l("For example, weekday evenings, or not on Tuesdays"),
        validators=[at_most(200)])
    language = choice_of(_l("Which language would you like the assessment in?"), LANGUAGES,
                         LANGUAGE_NAMES,
                         _l("Select which language you would like the assessment in"))
    access_needs = TextAreaField(
        _l("Do you have any access needs? (optional)"),
        description=_l("For example, a hearing loop, large print, or a place to meet that is "
                       "not your home"),
        validators=[at_most(LONGEST_ANSWER)])
