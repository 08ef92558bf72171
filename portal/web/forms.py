"""Form fields shared by every form, rendered by templates/components/fields.html."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field
from wtforms.validators import StopValidation

from portal.clock import today

PARTS = ("day", "month", "year")


class DateInputField(Field):
    """A GOV.UK date input: three boxes named <name>-day, -month and -year.

    Keeps exactly what was typed, so a form with an error shows it again, and
    says what is wrong the way the Design System's date input pattern does."""

    def __init__(self, label: Any = None, validators: Any = None, *, messages: dict[str, Any],
                 when: str | None = None, optional: bool = False, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.messages = messages
        self.when = when  # "past", "future" or None
        self.optional = optional
        self.raw: dict[str, str] = dict.fromkeys(PARTS, "")
        self.error_parts: tuple[str, ...] = ()

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        self.process_errors: list[Any] = []
        self.data: date | None = None
        if formdata is None:
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
        if not all(self.raw[p].isdigit() for p in PARTS):
            self._fail(self.messages["real"], tuple(p for p in PARTS if not self.raw[p].isdigit()))
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
        self.data = value

    def _fail(self, message: Any, parts: tuple[str, ...]) -> None:
        self.error_parts = parts
        raise StopValidation(message)



class ConfirmForm(FlaskForm):
    """A button that only sends the CSRF token."""
