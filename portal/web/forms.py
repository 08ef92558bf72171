"""What people send us: the base of every form, form fields shared by every form
(rendered by templates/components/fields.html), and query values."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import Field, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, StopValidation, ValidationError

from portal import addresses, files
from portal.clock import today
from portal.councils import by_place
from portal.dependencies import deps
from portal.files import Upload
from portal.web.labels import AT_RISK_NAMES
from portal.web.templating import current_language

PARTS = ("day", "month", "year")
# Characters nobody types: NUL (which PostgreSQL refuses in text) and the other
# control codes but tab, line feed and carriage return.
HIDDEN_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The longest address kept to come back to (after sign-in, or a change of language).
MAX_NEXT = 2000
# The most pages any list here can have: a page number beyond it is not a page.
LAST_PAGE = 100_000


class PortalForm(FlaskForm):
    """The base of every form: an answer holding a hidden character gets a message
    in the person's language, like any other mistake, and is never stored. The
    answer is shown again without them (a page may not hold them either)."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            sent = [*(field.raw_data or []), *getattr(field, "raw", {}).values()]
            if not any(isinstance(v, str) and HIDDEN_CHARACTERS.search(v) for v in sent):
                continue
            if isinstance(field.data, str):
                field.data = HIDDEN_CHARACTERS.sub("", field.data)
            if isinstance(field, DateInputField):
                field.raw = {p: HIDDEN_CHARACTERS.sub("", v) for p, v in field.raw.items()}
            field.errors = [_l("We removed characters that cannot be used from this "
                               "answer. Check it and try again")]
            valid = False
        return valid


class SentOnceForm(PortalForm):
    """A form with its own id (a UUID), so that sent twice it does what it does once."""

    token = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            self.token.data = str(uuid.UUID(self.token.data or ""))
        except ValueError:
            self.token.data = str(uuid.uuid4())


def page_number(value: str | None) -> int:
    """The page asked for in a query (?page=2): plain digits within LAST_PAGE, else 1."""
    if value and value.isascii() and value.isdigit() and len(value) <= len(str(LAST_PAGE)):
        return max(1, min(int(value), LAST_PAGE))
    return 1


def cursor(value: str | None) -> int | None:
    """A row id in a query (?before=1234), for paging by keyset: plain digits, else None."""
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


# The longest free-text answer any question takes.
LONGEST_ANSWER = 1000


def one_of(values: tuple[str, ...] | list[str], message: Any) -> Any:
    """Our message for a missing or unknown choice, not WTForms' English one."""
    def check(_form: FlaskForm, field: RadioField) -> None:
        if field.data not in values:
            raise ValidationError(message)
    return check


def needed_when(field_name: str, value: str, message: Any) -> Any:
    """This text is needed when another question has this answer. (Asked beside the
    question, not revealed by it: a revealed question puts aria-expanded on a radio,
    which ARIA does not allow.)"""
    def check(form: FlaskForm, field: StringField) -> None:
        if form[field_name].data == value and not (field.data or "").strip():
            raise StopValidation(message)
    return check


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("This must be %(limit)d characters or fewer",
                                        limit=limit))


def some_of(values: tuple[str, ...], message: Any) -> Any:
    """At least one box ticked, and only boxes we offered."""
    def check(_form: FlaskForm, field: Field) -> None:
        if not field.data or not set(field.data) <= set(values):
            raise StopValidation(message)
    return check


def named_choices(values: tuple[str, ...], names: dict[str, Any]) -> list[SelectChoice]:
    """Each value with its name in the reader's language (a word table of labels.py)."""
    return [SelectChoice(v, names[v]) for v in values]


def choice_of(label: Any, values: tuple[str, ...], names: dict[str, Any], message: Any
              ) -> RadioField:
    """Radios of these values, each named; an answer must be one of them (`message`,
    in the error summary, if it is not)."""
    return RadioField(label, choices=named_choices(values, names), validate_choice=False,
                      validators=[one_of(values, message)])


def optional_text(value: str | None) -> str | None:
    """An answer that may be left empty, as kept: without spaces around it, or None."""
    return (value or "").strip() or None


def uk_postcode(_form: Any, field: StringField) -> None:
    """A validator: a real UK postcode, kept as it is printed (CF10 1AA)."""
    try:
        field.data = addresses.uk_postcode(field.data or "")
    except addresses.InvalidAddress as error:
        raise StopValidation(_l("Enter a real postcode, like CF10 1AA")) from error


def given(message: Any) -> Any:
    """An answer is needed: something other than spaces."""
    def check(_form: FlaskForm, field: StringField) -> None:
        if not (field.data or "").strip():
            raise StopValidation(message)
    return check


class CouncilField(RadioField):
    """Which council holds a record: the councils served, each named in the reader's
    language, in the order of their places (set by offer_councils). With `needed`, an
    answer is asked for only when needed(form) is true (one given must still be one
    of the councils)."""

    def __init__(self, label: Any, message: Any, needed: Callable[[Any], bool] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(label, **kwargs)
        self.message = message
        self.needed = needed
        self.found_by_postcode = False
        # Each council's name in the other language, by code: a long list can be
        # searched by either (for someone who knows their council by its other name).
        self.other_names: dict[str, str] = {}

    def pre_validate(self, form: FlaskForm) -> None:
        if not self.data and self.needed is not None and not self.needed(form):
            return  # not asked of them: no answer needed
        if self.data not in {code for code, _name in self.choices or ()}:
            raise StopValidation(self.message)


def offer_councils(form: PortalForm) -> None:
    """Ask the form's council question where more than one council is served; where
    one is, there is nothing to ask."""
    served = deps().councils
    if len(served) == 1:
        del form["council"]
        return
    language = current_language()
    form["council"].choices = sorted(((c.code, c.name(language)) for c in served),
                                     key=lambda choice: by_place(choice[1]))
    other = "en" if language == "cy" else "cy"
    form["council"].other_names = {c.code: c.name(other) for c in served}
    # Whether it can be found from a postcode (/find-your-council), and, found so,
    # chosen already, to be confirmed.
    form["council"].found_by_postcode = served.found_by_postcode
    if request.method == "GET" and request.args.get("council") in served:
        form["council"].data = request.args["council"]


def chosen_council(form: PortalForm) -> str:
    """The council chosen, or the one council served."""
    return str(form["council"].data) if "council" in form else deps().councils.first.code


class DateInputField(Field):
    """A GOV.UK date input: three boxes named <name>-day, -month and -year.

    Keeps exactly what was typed, so a form with an error shows it again, and
    says what is wrong the way the Design System's date input pattern does."""

    def __init__(self, label: Any = None, validators: Any = None, *, messages: dict[str, Any],
                 when: str | None = None, optional: bool = False,
                 within: tuple[int, int] | None = None, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.messages = messages
        self.when = when  # "past", "future" or None
        self.optional = optional
        # (days before today, days after): the earliest and latest dates that make sense
        self.within = within
        self.raw: dict[str, str] = dict.fromkeys(PARTS, "")
        self.error_parts: tuple[str, ...] = ()

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors: list[Any] = []
        self.data: date | None = None
        if formdata is None:  # shown again from an answer kept as a date or ISO date
            kept = date.fromisoformat(data) if isinstance(data, str) and data else data
            if isinstance(kept, date):
                self.raw = {"day": str(kept.day), "month": str(kept.month),
                            "year": str(kept.year)}
            return
        self.raw = {p: (formdata.get(f"{self.name}-{p}") or "").strip() for p in PARTS}

    def pre_validate(self, form: Any) -> None:
        missing = tuple(p for p in PARTS if not self.raw[p])
        if len(missing) == 3 and self.optional:
            self.data = None
            raise StopValidation()
        if len(missing) == 3:
            self._fail(self.messages["required"], PARTS)
        if missing:
            key = "missing_" + "_".join(missing)
            self._fail(self.messages[key], missing)
        not_numbers = tuple(p for p in PARTS if not (self.raw[p].isascii()
                                                     and self.raw[p].isdigit()))
        if not_numbers:
            self._fail(self.messages["real"], not_numbers)
        too_long = tuple(p for p in ("day", "month") if len(self.raw[p]) > 2)
        if too_long:
            self._fail(self.messages["real"], too_long)
        if len(self.raw["year"]) != 4:
            self._fail(self.messages["year_four_digits"], ("year",))
        try:
            value = date(int(self.raw["year"]), int(self.raw["month"]), int(self.raw["day"]))
        except ValueError:
            self._fail(self.messages["real"], PARTS)
        if self.when == "past" and value >= today():
            self._fail(self.messages["past"], PARTS)
        if self.when == "future" and value <= today():
            self._fail(self.messages["future"], PARTS)
        if self.within and value < today() - timedelta(days=self.within[0]):
            self._fail(self.messages["too_early"], PARTS)
        if self.within and value > today() + timedelta(days=self.within[1]):
            self._fail(self.messages["too_late"], PARTS)
        self.data = value

    def _fail(self, message: Any, parts: tuple[str, ...]) -> None:
        self.error_parts = parts
        raise StopValidation(message)



# The most any amount of money asked for may be: more is a mistake in typing.
MOST_MONEY_PENCE = 100_000_000_00
# Pounds as people type them: £1,234.56, 1234.5, 1234 (commas between thousands).
_MONEY = re.compile(r"£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")


class MoneyField(StringField):
    """An amount in pounds, kept as typed (shown again as it was) and read as pence
    (`pence`): "£1,234.56" is 123456. Empty is no answer: `pence` is None, and the
    form's validators say whether one is needed. `message` says how to write it."""

    def __init__(self, label: Any = None, validators: Any = None, *, message: Any,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.message = message
        self.pence: int | None = None

    def pre_validate(self, form: Any) -> None:
        typed = (self.data or "").strip()
        self.pence = None
        if not typed:
            return
        found = _MONEY.fullmatch(typed)
        if found is None:
            raise StopValidation(self.message)
        pounds, pennies = found.group(1).replace(",", ""), (found.group(2) or "0").ljust(2, "0")
        pence = int(pounds) * 100 + int(pennies)
        if pence > MOST_MONEY_PENCE:
            raise StopValidation(_l("This must be £100,000,000 or less"))
        self.pence = pence


# Why a file cannot be sent (files.Refused), in the page's language.
REFUSED_FILES = {
    "empty": _l("The selected file is empty"),
    "too-large": _l("The selected file must be smaller than 10 MB"),
    "kind": _l("The selected file must be a PDF, JPG or PNG"),
    "active": _l("The selected PDF has something in it that could run, like a script. "
                 "Save it again as a plain PDF, or send a photo of the page"),
    "locked": _l("The selected PDF is protected with a password. Save it again without "
                 "a password, or send a photo of the page"),
    "unreadable": _l("The selected PDF cannot be opened. Save it again as a PDF, or send a "
                     "photo of the page"),
}


class SendableFileField(FileField):
    """A file field that keeps all that was sent under its name: a second file, or a
    part that should have been a file and was not (its name broke its header). Once
    checked (one_sendable_file), `upload` is the file, or None if none was chosen."""

    upload: Upload | None = None

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.sent = list(valuelist)
        super().process_formdata(valuelist)


def one_sendable_file(more_than_one: Any) -> Callable[[Any, SendableFileField], None]:
    """One file, if one was chosen, that people may send: its kind told by its content,
    its name made from the words of the one it had and the extension of what it is.
    `more_than_one` says what to do when two were chosen."""
    def check(_form: Any, field: SendableFileField) -> None:
        sent = getattr(field, "sent", [])
        chosen = [f for f in sent if isinstance(f, FileStorage) and f.filename]
        field.upload = None
        if any(isinstance(f, str) and f for f in sent):  # a part whose name broke its header
            raise StopValidation(_l("The selected file could not be read. Select it again"))
        if not chosen:
            return
        if len(chosen) > 1:
            raise StopValidation(more_than_one)
        content = chosen[0].stream.read(files.LARGEST_SENT + 1)
        try:
            kind = files.sendable(content)
        except files.Refused as refused:
            raise StopValidation(REFUSED_FILES[refused.reason]) from refused
        field.upload = Upload(files.sent_name(chosen[0].filename or "", kind), kind, content)
    return check


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never another host or scheme, and nothing that
    could not stand in a Location header as it is (no spaces, controls or CR LF)."""
    if not target or len(target) > MAX_NEXT or not target.isascii() \
            or any(ch.isspace() or not ch.isprintable() for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return default
    return target


class ConfirmForm(PortalForm):
    """A button that only sends the CSRF token."""


UK_PHONE = _l("Enter a UK phone number, like 01632 960 001 or 07700 900 982")


def uk_phone_if_given(_form: Any, field: StringField) -> None:
    """A validator: a number the council can ring, where one is given."""
    if (field.data or "").strip() and not addresses.valid_uk_phone(field.data):
        raise StopValidation(UK_PHONE)


class ContactByForm(PortalForm):
    """A form asking how the council should contact someone: its `contact_by` (email or
    phone), `email` and `phone` fields, the one chosen checked as an address we can
    send to."""

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        by, email, phone = self["contact_by"], self["email"], self["phone"]
        if by.data == "email" and not addresses.valid_email(email.data or ""):
            email.errors = [*email.errors, _l(
                "Enter an email address in the correct format, like name@example.com")]
            valid = False
        if by.data == "phone" and not addresses.valid_uk_phone(phone.data or ""):
            phone.errors = [*phone.errors, UK_PHONE]
            valid = False
        return valid


class RiskForm(PortalForm):
    """Whether anyone is at risk now: asked after a page warns to phone, not wait."""

    at_risk = RadioField(
        _l("Is anyone at risk now because of it?"),
        choices=[SelectChoice(v, AT_RISK_NAMES[v]) for v in ("yes", "no")],
        validate_choice=False,
        validators=[one_of(("yes", "no"), _l("Select whether anyone is at risk now"))])
