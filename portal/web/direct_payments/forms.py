"""A period's return of a direct payment's spending: what was spent by kind, the
receipts, and the declaration. Every message is in the page's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import StopValidation

from portal.files import Upload
from portal.web.forms import (
    MoneyField,
    PortalForm,
    SendableFileField,
    SentOnceForm,
    one_sendable_file,
)


def _spent(label: object, hint: object, message: object) -> MoneyField:
    return MoneyField(label, message=message, description=hint)


def _receipt(label: object) -> SendableFileField:
    return SendableFileField(label, validators=[one_sendable_file(
        _l("Select one file here. There are other boxes for other files"))])


def _declared(_form: PortalForm, field: BooleanField) -> None:
    if not field.data:
        raise StopValidation(_l("Confirm that this is what the direct payment was spent on"))


class ReturnForm(SentOnceForm):
    personal_assistants = _spent(
        _l("Personal assistants"), _l("Their wages, and the tax, pension and insurance you pay "
                                      "as their employer"),
        _l("Enter what you spent on personal assistants in pounds, like 4,200.00"))
    agency_care = _spent(
        _l("Care from an agency"), None,
        _l("Enter what you spent on care from an agency in pounds, like 350.00"))
    equipment = _spent(
        _l("Equipment"), _l("Agreed with the council, like a hoist or a bath seat"),
        _l("Enter what you spent on equipment in pounds, like 80.00"))
    other = _spent(
        _l("Anything else"), _l("Payroll services or other costs in your plan"),
        _l("Enter what else you spent in pounds, like 25.00"))
    receipt_one = _receipt(_l("A receipt, payslip or bank statement (optional)"))
    receipt_two = _receipt(_l("Another (optional)"))
    receipt_three = _receipt(_l("Another (optional)"))
    declared = BooleanField(
        _l("I confirm that the direct payment was spent on the care and support in my plan, "
           "as set out here"), validators=[_declared])

    SPENDING = ("personal_assistants", "agency_care", "equipment", "other")

    def spending(self) -> dict[str, int]:
        return {name: self[name].pence or 0 for name in self.SPENDING}

    def receipts(self) -> list[Upload]:
        return [f.upload for f in (self.receipt_one, self.receipt_two, self.receipt_three)
                if f.upload is not None]
