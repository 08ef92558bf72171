"""What someone might pay a week for care and support at home: the arithmetic of a
council's financial assessment in Wales, done on what they tell us with the figures
in force on the day (portal.charging_rules), each step kept so that the page can
show it. Nothing here is stored: the answers come in and the estimate goes out."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from portal.charging_rules import Figure, Rules

# The disability benefits asked about, by answer: the figure of its rate, and the
# figure of its lower rate where the higher rate is partly for care at night.
DISABILITY_BENEFITS: dict[str, tuple[str, str | None]] = {
    "attendance-allowance-higher": ("attendance_allowance_higher", "attendance_allowance_lower"),
    "attendance-allowance-lower": ("attendance_allowance_lower", None),
    "pip-enhanced": ("pip_daily_living_enhanced", None),
    "pip-standard": ("pip_daily_living_standard", None),
    "none": ("", None),
}

# Each kind of income asked about, with the figure saying how much of it counts.
INCOME_KINDS: dict[str, str] = {
    "state_pension": "pensions_counted",
    "pension_credit": "pensions_counted",
    "other_pensions": "pensions_counted",
    "universal_credit": "other_benefits_counted",
    "earnings": "earnings_counted",
    "other_income": "other_income_counted",
}


@dataclass(frozen=True)
class Answers:
    """What someone told us, a week's amounts in pence."""

    pension_age: bool
    disability_benefit: str           # one of DISABILITY_BENEFITS
    income: dict[str, int]            # by INCOME_KINDS
    savings: int
    housing_costs: int
    disability_costs: int
    care_cost: int | None             # None: not known
    night_care: str                   # "yes", "no" or "not-sure"


@dataclass(frozen=True)
class Income:
    """One kind of income: what they get a week, and how much of it counts."""

    kind: str
    weekly: int
    counted: int
    rule: Figure


@dataclass(frozen=True)
class Estimate:
    rules: Rules
    answers: Answers
    over_capital_limit: bool
    incomes: list[Income]
    income_counted: int
    basic_entitlement: int
    minimum_income: int
    housing_costs: int
    disability_costs: int
    can_afford: int
    weekly_maximum: int
    charge: int
    # What the charge is: "afford" (what they can afford), "maximum" (the most
    # anyone pays), "cost" (the cost of the care) or "capital" (savings over the limit).
    limited_by: str

    def figure(self, name: str) -> Figure:
        return self.rules.of(name)

    @property
    def used(self) -> list[Figure]:
        """The figures this estimate used, for the page to say where each comes from."""
        names = ["weekly_maximum", "capital_limit"]
        if not self.over_capital_limit:
            names += ["minimum_income_buffer",
                      "pension_age_basic" if self.answers.pension_age else "working_age_basic"]
            if not self.answers.pension_age and self.answers.disability_benefit != "none":
                names.append("disability_premium")
            names += [i.rule.name for i in self.incomes]
            names += ["housing_costs_allowed", "disability_costs_allowed"]
        return [self.rules.of(n) for n in dict.fromkeys(names)]


def share(pence: int, percent: Decimal) -> int:
    """This percentage of an amount, to the nearest penny (a half penny up)."""
    return int((Decimal(pence) * percent / 100).to_integral_value(ROUND_HALF_UP))


def disability_benefit(answers: Answers, rules: Rules) -> Income | None:
    """The disability benefit they get, and how much of it counts: where their care
    has no care at night (not where they are not sure), the night-time part of
    Attendance Allowance's higher rate (the higher rate less the lower) is not
    counted, or counted only in part."""
    rate, lower = DISABILITY_BENEFITS[answers.disability_benefit]
    if not rate:
        return None
    weekly = rules.pence(rate)
    counted = weekly
    if lower and answers.night_care == "no":
        night = weekly - rules.pence(lower)
        counted = weekly - night + share(night, rules.percent(
            "night_part_counted_without_night_care"))
    rule = rules.of("disability_benefits_counted")
    return Income("disability_benefit", weekly, share(counted, rule.amount), rule)


def estimate(answers: Answers, rules: Rules) -> Estimate:
    """The weekly charge these answers lead to under these rules, with every step."""
    weekly_maximum = rules.pence("weekly_maximum")
    incomes = [Income(kind, answers.income.get(kind, 0),
                      share(answers.income.get(kind, 0), rules.percent(rule)), rules.of(rule))
               for kind, rule in INCOME_KINDS.items() if answers.income.get(kind, 0)]
    if (benefit := disability_benefit(answers, rules)) is not None:
        incomes.insert(0, benefit)
    income_counted = sum(i.counted for i in incomes)
    if answers.pension_age:
        basic = rules.pence("pension_age_basic")
    else:
        basic = rules.pence("working_age_basic") + (
            rules.pence("disability_premium") if benefit is not None else 0)
    minimum_income = basic + share(basic, rules.percent("minimum_income_buffer"))
    housing = share(answers.housing_costs, rules.percent("housing_costs_allowed"))
    disability = share(answers.disability_costs, rules.percent("disability_costs_allowed"))
    can_afford = max(0, income_counted - minimum_income - housing - disability)
    over_capital_limit = answers.savings > rules.pence("capital_limit")
    limits = [("maximum", weekly_maximum)]
    if answers.care_cost is not None:
        limits.append(("cost", answers.care_cost))
    if over_capital_limit:
        # Over the limit: the full cost of the care, up to the most anyone pays.
        limited_by, charge = "capital", min(amount for _, amount in limits)
    else:
        limited_by, charge = min([("afford", can_afford), *limits], key=lambda limit: limit[1])
    return Estimate(rules, answers, over_capital_limit, incomes, income_counted, basic,
                    minimum_income, housing, disability, can_afford, weekly_maximum, charge,
                    limited_by)
