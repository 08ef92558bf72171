"""What a person is charged for their care: the weekly charge, the weekly maximum,
and their invoices as due, overdue or paid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from portal.charging_rules import Figure
from portal.clients.backoffice import BackOfficeClient, Invoice
from portal.clients.errors import NotFound


@dataclass(frozen=True)
class ChargesPage:
    weekly_charge_pence: int
    # The most anyone pays a week: the law's, or the council's own lower one.
    weekly_maximum: Figure
    overdue: list[Invoice]
    due: list[Invoice]
    paid: list[Invoice]
    as_of: datetime

    @property
    def owed_pence(self) -> int:
        return sum(i.outstanding_pence for i in self.overdue + self.due)


def standing(invoice: Invoice, today: date) -> str:
    """paid, overdue, due or cancelled."""
    if invoice.status == "cancelled":
        return "cancelled"
    if invoice.outstanding_pence == 0:
        return "paid"
    return "overdue" if invoice.due_date < today else "due"


def summary(backoffice: BackOfficeClient, person_id: str, today: date,
            weekly_maximum: Figure) -> ChargesPage:
    charges = backoffice.get_charges(person_id)
    by_standing: dict[str, list[Invoice]] = {"overdue": [], "due": [], "paid": []}
    for invoice in sorted(charges.invoices, key=lambda i: i.due_date):
        by_standing.get(standing(invoice, today), []).append(invoice)
    return ChargesPage(charges.weekly_charge_pence, weekly_maximum,
                       by_standing["overdue"], by_standing["due"],
                       list(reversed(by_standing["paid"])), charges.as_of)


def invoice(backoffice: BackOfficeClient, person_id: str, invoice_id: str) -> Invoice:
    """One of the person's invoices; LookupError if they have no such invoice."""
    try:
        return backoffice.get_invoice(person_id, invoice_id)
    except NotFound as error:
        raise LookupError(invoice_id) from error
