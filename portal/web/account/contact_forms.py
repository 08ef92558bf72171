from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length

from portal import addresses
from portal.messages import STOPPABLE
from portal.services.contact import CHOICES
from portal.web.forms import PortalForm, one_of
from portal.web.labels import STOPPABLE_NAMES

# Quiet hours offered, as from-until local hours.
QUIET_CHOICES = (("none", _l("No quiet hours")), ("21-8", _l("9pm to 8am")),
                 ("22-7", _l("10pm to 7am")), ("22-8", _l("10pm to 8am")),
                 ("23-9", _l("11pm to 9am")))


def quiet_choice(hours: tuple[int, int] | None) -> str:
    """The choice that stands for these hours."""
    return "none" if hours is None else f"{hours[0]}-{hours[1]}"


class ContactForm(PortalForm):
    contact_by = RadioField(
        _l("How should we send you updates about your care?"),
        choices=[SelectChoice("email", _l("By email")),
                 SelectChoice("sms", _l("By text message")),
                 SelectChoice("both", _l("By email and text message")),
                 SelectChoice("post", _l("By post")),
                 SelectChoice("none", _l("Do not send me updates"))],
        validate_choice=False,
        validators=[InputRequired(_l("Select how we should send you updates")),
                    AnyOf(CHOICES, message=_l("Select how we should send you updates"))])
    email = StringField(_l("Email address"), validators=[
        Length(max=320, message=_l("Email address must be 320 characters or fewer"))])
    phone = StringField(_l("UK mobile number"), validators=[
        Length(max=32, message=_l("Mobile number must be 32 characters or fewer"))])
    # The messages people can do without: ticked, they are sent.
    wanted = SelectMultipleField(
        _l("Messages you can choose to have"),
        choices=[SelectChoice(kind, STOPPABLE_NAMES[kind][0]) for kind in STOPPABLE],
        validate_choice=False)

    # Alerts about visits as they happen wait until quiet hours end.
    quiet = RadioField(
        _l("Quiet hours for alerts about visits"),
        choices=[SelectChoice(value, label) for value, label in QUIET_CHOICES],
        validate_choice=False,
        validators=[one_of([value for value, _ in QUIET_CHOICES],
                           _l("Select your quiet hours, or no quiet hours"))])
    missed_any_hour = SelectMultipleField(
        _l("A missed visit"),
        choices=[SelectChoice("yes", _l("Tell me about a missed visit even in my quiet "
                                        "hours"))],
        validate_choice=False)

    @property
    def quiet_hours(self) -> tuple[int, int] | None:
        """The hours chosen (from, until), or None."""
        if self.quiet.data in (None, "none"):
            return None
        start, end = str(self.quiet.data).split("-")
        return int(start), int(end)

    @property
    def stopped(self) -> frozenset[str]:
        """The kinds of message left unticked (anything else sent is ignored)."""
        return frozenset(STOPPABLE) - set(self.wanted.data or ())

    def __init__(self, *args: Any, postal: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The address the council holds, where letters go, as Notify would print it;
        # None or empty: no record linked, or no address Notify would post to.
        self.postal = postal
        if not postal:  # post is offered only where a letter can go
            self.contact_by.choices = [c for c in self.contact_by.choices  # type: ignore[union-attr]
                                       if c.value != "post"]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        choice = self.contact_by.data
        if choice == "post" and not self.postal:
            self.contact_by.errors = [*self.contact_by.errors, _l(
                "We can send letters only to an address the council holds for you, and we "
                "cannot find one just now. Choose another way, or try again later")]
            valid = False
        email, phone = self.email.data or "", self.phone.data or ""
        if choice in ("email", "both") and not addresses.valid_email(email):
            self.email.errors = [*self.email.errors, _l(
                "Enter an email address in the correct format, like name@example.com")]
            valid = False
        if choice in ("sms", "both") and not addresses.valid_uk_mobile(phone):
            self.phone.errors = [*self.phone.errors, _l(
                "Enter a UK mobile number, like 07700 900 982")]
            valid = False
        return valid
