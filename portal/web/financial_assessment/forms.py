"""The questions the council needs beyond the estimate's, and what goes with the
request: evidence and the declaration. Every message is in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from portal.files import Upload
from portal.services.financial_assessments import LONGEST_REASONS, OWNS_HOME
from portal.web.forms import (
    PortalForm,
    SendableFileField,
    at_most,
    given,
    one_of,
    one_sendable_file,
)


class HomeForm(PortalForm):
    owns_home = RadioField(
        _l("Do you own the home you live in?"),
        choices=[SelectChoice("yes", _lp("I do", "Yes")),
                 SelectChoice("shared", _l("Yes, with someone else")),
                 SelectChoice("no", _lp("I do", "No"))],
        validate_choice=False,
        validators=[one_of(OWNS_HOME, _l("Select whether you own the home you live in"))])
    lives_with_partner = RadioField(
        _l("Do you live with a husband, wife or partner?"),
        choices=[SelectChoice("yes", _lp("I do", "Yes")), SelectChoice("no", _lp("I do", "No"))],
        validate_choice=False,
        validators=[one_of(("yes", "no"),
                           _l("Select yes if you live with a husband, wife or partner"))])


def _evidence(label: object) -> SendableFileField:
    return SendableFileField(label, validators=[one_sendable_file(
        _l("Select one file here. There are other boxes for other files"))])


def _declared(_form: PortalForm, field: BooleanField) -> None:
    if not field.data:
        raise StopValidation(_l("Confirm that what you have told us is true"))


class SendForm(PortalForm):
    """Check your answers: the evidence, if any, and the declaration."""

    pension_letter = _evidence(_l("A letter about your pension or benefits (optional)"))
    bank_statement = _evidence(_l("A bank or savings statement (optional)"))
    other_evidence = _evidence(_l("Anything else, like a bill for extra costs (optional)"))
    declared = BooleanField(
        _l("I confirm that what I have told the council is true, as far as I know, and I "
           "will tell it if anything changes"), validators=[_declared])

    def uploads(self) -> list[Upload]:
        return [f.upload for f in (self.pension_letter, self.bank_statement,
                                   self.other_evidence) if f.upload is not None]


class LookAgainForm(PortalForm):
    """Asking the council to look at its decision again: why it is wrong."""

    reasons = TextAreaField(
        _l("Why do you think the decision is wrong?"),
        description=_l("For example, income the council counted that it should not have, "
                       "or costs of illness or disability it left out. Say what you can: "
                       "the council will look at everything again."),
        validators=[given(_l("Enter why you think the decision is wrong")),
                    at_most(LONGEST_REASONS)])
