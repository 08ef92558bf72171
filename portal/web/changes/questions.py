"""The questions of telling the council about a change: which change, then a few
question pages for each kind, one question a page. Every message is in the page's
language. Each answer is kept under its field's name, so a page shows it again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from portal.services.changes import KINDS, NEEDS, Address, Told
from portal.web.forms import (
    LONGEST_ANSWER,
    DateInputField,
    PortalForm,
    RiskForm,
    at_most,
    given,
    one_of,
    some_of,
    uk_phone_if_given,
    uk_postcode,
)
from portal.web.labels import CHANGE_KIND_NAMES, CHANGED_NEEDS

# How far from today a change's date can be: a stay in hospital a month ago, a move
# or a carer stopping up to a year either way.
RECENT, A_YEAR = 31, 366
# What a date's mistakes say, on every question here that asks for one.
DATE_MESSAGES = {
    "missing_day": _l("The date must include a day"),
    "missing_month": _l("The date must include a month"),
    "missing_year": _l("The date must include a year"),
    "missing_day_month": _l("The date must include a day and month"),
    "missing_day_year": _l("The date must include a day and year"),
    "missing_month_year": _l("The date must include a month and year"),
    "real": _l("The date must be a real date"),
    "year_four_digits": _l("Year must include 4 numbers"),
    "too_late": _l("The date must be within the next year"),
}
TOO_EARLY = {RECENT: _l("The date must be within the last month"),
             A_YEAR: _l("The date must be within the last year")}


class KindForm(PortalForm):
    kind = RadioField(
        _l("What has changed?"), choices=[SelectChoice(k, CHANGE_KIND_NAMES[k]) for k in KINDS],
        validate_choice=False, validators=[one_of(KINDS, _l("Select what has changed"))])


def _date_form(label: Any, hint: Any, required: Any, days_before: int) -> type[PortalForm]:
    class DateForm(PortalForm):
        on = DateInputField(label, description=hint, within=(days_before, A_YEAR),
                            messages={"required": required, "too_early": TOO_EARLY[days_before],
                                      **DATE_MESSAGES})
    return DateForm


class HospitalForm(PortalForm):
    hospital = StringField(_l("Which hospital or ward? (optional)"),
                           description=_l("For example, Ysbyty Gwynedd, Alaw ward"),
                           validators=[at_most(200)])


class AnythingElseForm(PortalForm):
    details = TextAreaField(
        _l("Is there anything else the council should know? (optional)"),
        validators=[at_most(LONGEST_ANSWER)])


class AddressForm(PortalForm):
    line_1 = StringField(_l("Address line 1"), validators=[
        given(_l("Enter address line 1, typically the building and street")), at_most(100)])
    line_2 = StringField(_l("Address line 2 (optional)"), validators=[at_most(100)])
    town = StringField(_l("Town or city"), validators=[given(_l("Enter town or city")),
                                                       at_most(60)])
    postcode = StringField(_l("Postcode"), validators=[given(_l("Enter postcode")),
                                                       uk_postcode])


class PhoneForm(PortalForm):
    phone = StringField(
        _l("What is the new phone number?"),
        description=_l("The number the council and care workers should ring: a landline or "
                       "a mobile"),
        validators=[given(_l("Enter the new phone number")), at_most(32),
                    uk_phone_if_given])


class NeedsForm(PortalForm):
    needs = SelectMultipleField(
        _l("What has changed?"), description=_l("Select all that apply"),
        choices=[SelectChoice(n, CHANGED_NEEDS[n]) for n in NEEDS], validate_choice=False,
        validators=[some_of(NEEDS, _l("Select what has changed"))])


class TellUsForm(PortalForm):
    details = TextAreaField(
        _l("Tell us what has changed"),
        description=_l("For example, what is harder now than before, and since when"),
        validators=[given(_l("Tell us what has changed")), at_most(LONGEST_ANSWER)])


class WhoForm(PortalForm):
    carer_name = StringField(
        _l("Who can no longer help?"),
        description=_l("Their name. If it is you, give your own name"),
        validators=[given(_l("Enter the name of the person who can no longer help")),
                    at_most(200)])


@dataclass(frozen=True)
class Question:
    name: str  # its page's address
    form: type[PortalForm]
    # Ask at the top of the page that someone at risk now phones, not fills in a form.
    warn: bool = False


HOSPITAL = Question("hospital", HospitalForm)
ANYTHING_ELSE = Question("anything-else", AnythingElseForm)
# Each kind's questions, in order.
QUESTIONS: dict[str, list[Question]] = {
    "going-into-hospital": [
        Question("when", _date_form(
            _l("What date does the stay in hospital start?"),
            _l("If it has started already, give the date it started. For example, 27 3 2027"),
            _l("Enter the date the stay in hospital starts"), RECENT)),
        HOSPITAL, ANYTHING_ELSE],
    "home-from-hospital": [
        Question("when", _date_form(
            _l("What date does the stay in hospital end?"),
            _l("The day of coming home. If you do not know yet, give the day you expect. "
               "For example, 27 3 2027"),
            _l("Enter the date the stay in hospital ends"), RECENT)),
        HOSPITAL, ANYTHING_ELSE],
    "new-address": [
        Question("address", AddressForm),
        Question("when", _date_form(
            _l("From what date is this the address?"),
            _l("If the move has happened, give the date of the move. For example, 27 3 2027"),
            _l("Enter the date of the move"), A_YEAR)),
        ANYTHING_ELSE],
    "new-phone": [Question("phone", PhoneForm), ANYTHING_ELSE],
    "needs-changed": [Question("what", NeedsForm), Question("tell-us", TellUsForm),
                      Question("at-risk", RiskForm, warn=True)],
    "carer-stopping": [
        Question("who", WhoForm),
        Question("when", _date_form(
            _l("From what date can they no longer help?"),
            _l("If they have stopped already, give the date they stopped. For example, "
               "27 3 2027"),
            _l("Enter the date they can no longer help from"), A_YEAR)),
        ANYTHING_ELSE],
}


def answer(form: PortalForm) -> dict[str, Any]:
    """What a question's form says, to keep: text without the spaces around it,
    dates as ISO dates."""
    kept: dict[str, Any] = {}
    for field in form:
        if field.name == "csrf_token":
            continue
        value = field.data
        kept[field.name] = value.isoformat() if isinstance(value, date) else \
            (value.strip() or None) if isinstance(value, str) else value
    return kept


def told(kind: str, answers: dict[str, Any]) -> Told:
    """The change the answers describe."""
    lines = tuple(line for line in (answers.get("line_1"), answers.get("line_2")) if line)
    return Told(
        kind, on=date.fromisoformat(answers["on"]) if answers.get("on") else None,
        hospital=answers.get("hospital"),
        address=Address(lines, answers["town"], answers["postcode"]) if lines else None,
        phone=answers.get("phone"), needs=tuple(answers.get("needs") or ()),
        carer_name=answers.get("carer_name"), at_risk=answers.get("at_risk") == "yes",
        details=answers.get("details"))
