"""The questions of a request for an assessment of care and support needs. Every
message is in the page's language; each page asks about "you" or "them" as the
asker's first answer says."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField

from portal.services.assessment_requests import (
    ADVOCATE,
    AGREEMENT,
    CONTACT_BY,
    LANGUAGES,
    RELATIONS,
    URGENCY,
)
from portal.web.forms import (
    LONGEST_ANSWER,
    ContactByForm,
    CouncilField,
    DateInputField,
    PortalForm,
    at_most,
    choice_of,
    given,
    named_choices,
    one_of,
    uk_phone_if_given,
    uk_postcode,
)
from portal.web.labels import (
    ADVOCATE_NAMES,
    AGREEMENT_NAMES,
    CARER_CONTACT_BY,
    LANGUAGE_NAMES,
    RELATION_NAMES,
    URGENCY_NAMES,
)
from portal.web.link.forms import BIRTH_DATE_MESSAGES


class UrgencyForm(PortalForm):
    urgency = choice_of(_l("Is anyone at risk of harm now?"), URGENCY, URGENCY_NAMES,
                      _l("Select whether anyone is at risk of harm now"))


class WhoForm(PortalForm):
    relation = choice_of(_l("Who needs care and support?"), RELATIONS, RELATION_NAMES,
                       _l("Select who needs care and support"))


class AgreementForm(PortalForm):
    agreement = choice_of(_l("Do they agree to you asking?"), AGREEMENT, AGREEMENT_NAMES,
                        _l("Select whether they agree to you asking"))


class AboutForm(PortalForm):
    """The person who needs care and support: the words say "your" or "their"."""

    name = StringField(validators=[at_most(200)])
    birth_date = DateInputField(when="past", optional=True, messages=BIRTH_DATE_MESSAGES)
    address = TextAreaField(validators=[at_most(500)])
    postcode = StringField(validators=[at_most(10), uk_postcode])
    phone = StringField(validators=[at_most(32), uk_phone_if_given])

    def __init__(self, for_self: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        words = _ABOUT_SELF if for_self else _ABOUT_THEM
        for name, (label, message) in words.items():
            self[name].label.text = label
            if message is not None:
                self[name].validators = [given(message), *self[name].validators]
        self.birth_date.description = _l("For example, 27 3 1950. Leave it blank if you do "
                                         "not know it")


_ABOUT_SELF = {
    "name": (_l("Your full name"), _l("Enter your full name")),
    "birth_date": (_l("Your date of birth (optional)"), None),
    "address": (_l("Your address"), _l("Enter your address")),
    "postcode": (_l("Postcode"), _l("Enter your postcode")),
    "phone": (_l("Your phone number (optional)"), None),
}
_ABOUT_THEM = {
    "name": (_l("Their full name"), _l("Enter their full name")),
    "birth_date": (_l("Their date of birth (optional)"), None),
    "address": (_l("Their address"), _l("Enter their address")),
    "postcode": (_l("Postcode"), _l("Enter their postcode")),
    "phone": (_l("Their phone number (optional)"), None),
}


class CouncilForm(PortalForm):
    council = CouncilField(_l("Which council's area is that?"),
                           _l("Select the council whose area it is"))


def _one_answer(name: str, words: tuple[Any, Any], needed: tuple[Any, Any] | None = None
                ) -> type[PortalForm]:
    """A page of one written answer about "you" or "them" (`words`: the question for
    each), needed (with `needed`'s message for each) or not."""

    class OneAnswer(PortalForm):
        def __init__(self, for_self: bool, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            field = self[name]
            field.label.text = words[0 if for_self else 1]
            if needed:
                field.validators = [given(needed[0 if for_self else 1]),
                                    at_most(LONGEST_ANSWER)]

    setattr(OneAnswer, name, TextAreaField(validators=[at_most(LONGEST_ANSWER)]))
    return OneAnswer


WhatMattersForm = _one_answer(
    "what_matters", (_l("What matters to you?"), _l("What matters to them?")),
    (_l("Tell us what matters to you"), _l("Tell us what matters to them")))
WhatIsHardForm = _one_answer(
    "what_is_hard", (_l("What is hard for you now?"), _l("What is hard for them now?")),
    (_l("Tell us what is hard for you now"), _l("Tell us what is hard for them now")))
WhoHelpsForm = _one_answer(
    "who_helps", (_l("Who helps you now? (optional)"), _l("Who helps them now? (optional)")))


class AdvocateForm(PortalForm):
    advocate = RadioField(choices=named_choices(ADVOCATE, ADVOCATE_NAMES), validate_choice=False,
                          validators=[one_of(ADVOCATE, _l("Select whether an advocate is "
                                                          "wanted"))])

    def __init__(self, for_self: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.advocate.label.text = _l("Would you like an advocate?") if for_self \
            else _l("Would they like an advocate?")


class ContactForm(ContactByForm):
    """How the council contacts the asker, in which language; for someone else, who
    the asker is to them, and the person's own language for the assessment."""

    name = StringField(_l("Your full name"), validators=[
        given(_l("Enter your full name")), at_most(200)])
    relationship = StringField(
        _l("How do you know them?"),
        description=_l("For example, neighbour, daughter, friend, or their advocate from "
                       "an advocacy service"),
        validators=[at_most(100)])
    contact_by = choice_of(_l("How should the council contact you?"), CONTACT_BY,
                         CARER_CONTACT_BY, _l("Select how the council should contact you"))
    email = StringField(_l("Email address"), validators=[at_most(320)])
    phone = StringField(_l("Phone number"), validators=[at_most(32)])
    best_times = StringField(
        _l("When is it best to contact you? (optional)"),
        description=_l("For example, weekday evenings, or not on Tuesdays"),
        validators=[at_most(200)])
    language = choice_of(_l("Which language should the council use with you?"), LANGUAGES,
                       LANGUAGE_NAMES, _l("Select which language the council should use "
                                          "with you"))
    assessment_language = choice_of(
        _l("Which language would they like the assessment in?"), LANGUAGES, LANGUAGE_NAMES,
        _l("Select which language they would like the assessment in"))

    def __init__(self, for_self: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.for_self = for_self
        if for_self:  # their name is asked already; the assessment is in their language
            del self["name"], self["relationship"], self["assessment_language"]
        else:
            self.relationship.validators = [given(_l("Enter how you know them")),
                                            at_most(100)]
