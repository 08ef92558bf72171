"""The arithmetic of a financial assessment for care at home in Wales, rule by rule,
at each rule's boundary. Figures are those in force on 7 December 2026
(portal/content/charging-rules-wales.toml, which cites each)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from portal import charging_rules
from portal.services.estimates import Answers, estimate

RULES = charging_rules.wales().on(date(2026, 12, 7))
NOTHING = Answers(pension_age=True, disability_benefit="none", income={}, savings=0,
                  housing_costs=0, disability_costs=0, care_cost=None, night_care="no")
# Pension age: the minimum income is the Pension Credit standard minimum guarantee,
# £238.00, plus 35% (Charging Regulations, reg. 14): £321.30.
MINIMUM_AT_PENSION_AGE = 32130


def pensioner(weekly: int, **changes: object) -> Answers:
    return replace(NOTHING, income={"state_pension": weekly}, **changes)


@pytest.mark.parametrize(("income", "charge"), [
    (MINIMUM_AT_PENSION_AGE - 1, 0), (MINIMUM_AT_PENSION_AGE, 0),
    (MINIMUM_AT_PENSION_AGE + 1, 1),
    # What they can afford reaches the weekly maximum, £100 (reg. 7(1)), and stops.
    (MINIMUM_AT_PENSION_AGE + 9999, 9999), (MINIMUM_AT_PENSION_AGE + 10000, 10000),
    (MINIMUM_AT_PENSION_AGE + 10001, 10000)])
def test_the_minimum_income_and_the_weekly_maximum(income: int, charge: int) -> None:
    found = estimate(pensioner(income), RULES)
    assert found.minimum_income == MINIMUM_AT_PENSION_AGE
    assert found.charge == charge
    assert found.limited_by == ("maximum" if income - MINIMUM_AT_PENSION_AGE > 10000 else "afford")


def test_under_pension_age_the_minimum_is_income_support_and_its_disability_premium() -> None:
    # Personal allowance £95.55 + disability premium £44.85 = £140.40; plus 35%:
    # £189.54 (£189.54 exactly: 14040 x 1.35 = 18954).
    found = estimate(replace(NOTHING, pension_age=False, disability_benefit="pip-standard",
                             income={"universal_credit": 20000}), RULES)
    assert found.basic_entitlement == 14040
    assert found.minimum_income == 18954
    # PIP daily living standard £76.70 + Universal Credit £200.00 - £189.54.
    assert found.charge == 7670 + 20000 - 18954
    without = estimate(replace(NOTHING, pension_age=False, income={"universal_credit": 20000}),
                       RULES)
    assert without.basic_entitlement == 9555


def test_a_half_penny_of_the_buffer_is_rounded_up() -> None:
    # £95.55 x 35% = £33.4425: £33.44; with the premium £140.40 x 35% = £49.14.
    found = estimate(replace(NOTHING, pension_age=False), RULES)
    assert found.minimum_income == 9555 + 3344


def test_earnings_are_never_counted() -> None:
    found = estimate(replace(NOTHING, income={"state_pension": 40000, "earnings": 50000}), RULES)
    earnings = next(i for i in found.incomes if i.kind == "earnings")
    assert (earnings.weekly, earnings.counted) == (50000, 0)
    assert found.income_counted == 40000


@pytest.mark.parametrize(("night_care", "counted"), [("no", 7670), ("not-sure", 11460),
                                                     ("yes", 11460)])
def test_attendance_allowance_at_night_counts_only_with_care_at_night(
        night_care: str, counted: int) -> None:
    found = estimate(replace(NOTHING, disability_benefit="attendance-allowance-higher",
                             night_care=night_care), RULES)
    assert found.incomes[0].weekly == 11460
    assert found.incomes[0].counted == counted


def test_pip_enhanced_is_counted_whole_without_care_at_night() -> None:
    found = estimate(replace(NOTHING, disability_benefit="pip-enhanced"), RULES)
    assert found.incomes[0].counted == 11460


def test_housing_and_disability_costs_come_off_and_never_below_nothing() -> None:
    found = estimate(pensioner(MINIMUM_AT_PENSION_AGE + 5000, housing_costs=3000,
                               disability_costs=1500), RULES)
    assert found.can_afford == 500
    more = estimate(pensioner(MINIMUM_AT_PENSION_AGE + 5000, housing_costs=9000), RULES)
    assert more.can_afford == 0 and more.charge == 0


@pytest.mark.parametrize(("savings", "over"), [(2400000, False), (2400001, True)])
def test_savings_over_the_capital_limit_pay_the_full_cost(savings: int, over: bool) -> None:
    """Charging Regulations, reg. 11(2)(b): above £24,000 the person meets the cost in
    full, up to the weekly maximum; at or below it, savings are not counted at all."""
    found = estimate(pensioner(MINIMUM_AT_PENSION_AGE, savings=savings, care_cost=7500), RULES)
    assert found.over_capital_limit is over
    assert found.charge == (7500 if over else 0)
    assert found.limited_by == ("capital" if over else "afford")
    unknown_cost = estimate(pensioner(0, savings=savings), RULES)
    assert unknown_cost.charge == (10000 if over else 0)


@pytest.mark.parametrize(("cost", "charge", "by"), [(4999, 4999, "cost"), (5000, 5000, "afford"),
                                                    (5001, 5000, "afford")])
def test_never_more_than_the_care_costs(cost: int, charge: int, by: str) -> None:
    found = estimate(pensioner(MINIMUM_AT_PENSION_AGE + 5000, care_cost=cost), RULES)
    assert (found.charge, found.limited_by) == (charge, by)


def test_a_councils_lower_maximum_is_the_most_its_people_pay() -> None:
    lower = charging_rules.Figure("weekly_maximum", charging_rules.Decimal("80.00"), "pounds",
                                  date(2026, 4, 6), {"en": "policy", "cy": "polisi"}, "W06000024")
    rules = charging_rules.wales().on(date(2026, 12, 7), [lower])
    found = estimate(pensioner(MINIMUM_AT_PENSION_AGE + 9000), rules)
    assert (found.charge, found.limited_by) == (8000, "maximum")
    assert "weekly_maximum" in [f.name for f in found.used]


def test_the_figures_used_are_those_the_page_cites() -> None:
    found = estimate(replace(NOTHING, pension_age=False, disability_benefit="pip-standard",
                             income={"earnings": 100}), RULES)
    names = [f.name for f in found.used]
    assert names[:2] == ["weekly_maximum", "capital_limit"]
    assert {"working_age_basic", "disability_premium", "earnings_counted",
            "disability_benefits_counted"} <= set(names)
    assert "pension_age_basic" not in names


def test_a_pensioner_on_pension_credit_with_attendance_allowance_worked_through() -> None:
    """The Code's method for care at home (the Part 4 and 5 Code of Practice, chapter 11,
    with Annex B for income), worked through for someone over State Pension age with
    £180.00 State Pension, £144.05 Pension Credit, Attendance Allowance at the higher
    rate, no care at night, £3,000 savings and £10.00 a week of disability-related costs:
    - income counted: £180.00 + £144.05 + £76.70 (the lower rate: the night-time part
      of the higher rate is not counted without care at night, Annex B) = £400.75;
    - less the minimum income (Charging Regulations, reg. 14): £238.00 + 35% = £321.30;
    - less the disability-related costs (chapter 11): £10.00;
    - what they can afford: £69.45, under the weekly maximum of £100 (reg. 7(1));
    - savings of £3,000 are under the capital limit of £24,000 (reg. 11(2)(b)): not counted."""
    found = estimate(replace(NOTHING, disability_benefit="attendance-allowance-higher",
                             income={"state_pension": 18000, "pension_credit": 14405},
                             savings=300000, disability_costs=1000), RULES)
    assert found.income_counted == 40075
    assert found.minimum_income == 32130
    assert found.can_afford == 6945 and found.charge == 6945
    assert found.limited_by == "afford" and not found.over_capital_limit
