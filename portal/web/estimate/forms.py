"""The questions of "What will I pay": one form holding every answer, asked a page
at a time (PAGES). Every message is in the page's language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from portal.services.estimates import DISABILITY_BENEFITS, Answers
from portal.web.forms import CouncilField, MoneyField, PortalForm, given, one_of
from portal.web.labels import DISABILITY_BENEFIT_NAMES

YES_NO = ("yes", "no")
NIGHT_CARE = ("yes", "no", "not-sure")


def _money(label: Any, hint: Any, message: Any, needed: Any = None) -> MoneyField:
    validators = [] if needed is None else [given(needed)]
    return MoneyField(label, validators, message=message, description=hint)


class EstimateForm(PortalForm):
    """Every answer: those of the page shown are its fields, the rest ride along in
    the page as hidden fields, so that nothing is kept anywhere but in the form."""

    class Meta:
        # Nothing is changed by sending it, and nothing is kept: no session, no token.
        csrf = False

    council = CouncilField(_l("Which council's area do you live in?"),
                           _l("Select the council whose area you live in"))
    pension_age = RadioField(
        _l("Have you reached State Pension age?"),
        choices=[SelectChoice("yes", _lp("I do", "Yes")), SelectChoice("no", _lp("I do", "No"))],
        validate_choice=False,
        validators=[one_of(YES_NO, _l("Select yes if you have reached State Pension age"))])
    disability_benefit = RadioField(
        _l("Do you get Attendance Allowance or the daily living part of Personal "
           "Independence Payment?"),
        choices=[SelectChoice(v, DISABILITY_BENEFIT_NAMES[v]) for v in DISABILITY_BENEFITS],
        validate_choice=False,
        validators=[one_of(tuple(DISABILITY_BENEFITS),
                           _l("Select the disability benefit you get, or no"))])
    state_pension = _money(_l("State Pension"), None,
                           _l("Enter your State Pension a week in pounds, like 230.25"))
    pension_credit = _money(_l("Pension Credit"), None,
                            _l("Enter your Pension Credit a week in pounds, like 40.50"))
    universal_credit = _money(_l("Universal Credit"),
                              _l("Paid monthly: multiply it by 12 and divide by 52"),
                              _l("Enter your Universal Credit a week in pounds, like 92.30"))
    other_pensions = _money(_l("Other pensions"),
                            _l("From work, or a private pension"),
                            _l("Enter your other pensions a week in pounds, like 55.00"))
    earnings = _money(_l("Earnings from work"), _l("After tax"),
                      _l("Enter your earnings a week in pounds, like 120.00"))
    other_income = _money(_l("Any other income"),
                          _l("Rent from a lodger, for example, or money from a trust"),
                          _l("Enter your other income a week in pounds, like 10.00"))
    savings = _money(
        _l("How much do you have in savings and investments?"),
        _l("Count money in the bank, savings accounts, ISAs, shares and property other "
           "than the home you live in. Enter 0 if you have none."),
        _l("Enter your savings in pounds, like 5,000"),
        needed=_l("Enter how much you have in savings and investments, or 0"))
    housing_costs = _money(
        _l("Rent or mortgage"),
        _l("After any Housing Benefit or help from Universal Credit"),
        _l("Enter your rent or mortgage a week in pounds, like 95.00"))
    council_tax = _money(
        _l("Council Tax"),
        _l("After any Council Tax Reduction"),
        _l("Enter your Council Tax a week in pounds, like 28.00"))
    disability_costs = _money(
        _l("Extra costs because of illness or disability"),
        _l("Such as extra heating or laundry, a special diet, equipment, or help in the "
           "home the council does not arrange"),
        _l("Enter your extra costs a week in pounds, like 15.00"))
    care_cost = _money(
        _l("How much will your care cost a week?"),
        _l("Your social worker can tell you. Leave it empty if you do not know."),
        _l("Enter the cost of your care a week in pounds, like 150.00"))
    night_care = RadioField(
        _l("Will your care include care at night?"),
        choices=[SelectChoice("yes", _lp("it will", "Yes")),
                 SelectChoice("no", _lp("it will", "No")),
                 SelectChoice("not-sure", _l("I'm not sure"))],
        validate_choice=False,
        validators=[one_of(NIGHT_CARE, _l("Select yes if your care will include care at night"))])

    def answers(self) -> Answers:
        """The answers, once every page's are good."""
        def pence(name: str) -> int:
            return self[name].pence or 0
        care_cost = self.care_cost.pence
        return Answers(
            pension_age=self.pension_age.data == "yes",
            disability_benefit=str(self.disability_benefit.data),
            income={k: pence(k) for k in ("state_pension", "pension_credit", "universal_credit",
                                          "other_pensions", "earnings", "other_income")},
            savings=pence("savings"),
            housing_costs=pence("housing_costs") + pence("council_tax"),
            disability_costs=pence("disability_costs"),
            care_cost=care_cost,
            night_care=str(self.night_care.data))


@dataclass(frozen=True)
class Page:
    name: str
    fields: tuple[str, ...]


# The question pages, in order. The council is asked only where more than one is served.
PAGES = (
    Page("council", ("council",)),
    Page("age", ("pension_age",)),
    Page("benefits", ("disability_benefit",)),
    Page("income", ("state_pension", "pension_credit", "universal_credit", "other_pensions",
                    "earnings", "other_income")),
    Page("savings", ("savings",)),
    Page("costs", ("housing_costs", "council_tax", "disability_costs")),
    Page("care", ("care_cost", "night_care")),
)
