"""The charging rules as data: the table for Wales, the figures in force on a day,
and a council's choices on top, which may only charge less."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from portal import charging_rules
from portal.charging_rules import Figure, RulesError


def choice(name: str, amount: str, applies_from: date = date(2026, 4, 6)) -> Figure:
    unit = charging_rules.NAMES[name]
    return Figure(name, Decimal(amount), unit, applies_from,
                  {"en": "Its charging policy", "cy": "Ei pholisi codi ffioedd"}, "W06000024")


def test_every_figure_has_a_source_in_both_languages_and_a_date() -> None:
    table = charging_rules.wales()
    assert {f.name for f in table.figures} == set(charging_rules.NAMES)
    for figure in table.figures:
        assert figure.source("en") and figure.source("cy") != figure.source("en")


@pytest.mark.parametrize(("day", "maximum"), [
    # Charging Regulations, reg. 7(1): £90 a week for 2019-20, £100 from 6 April 2020.
    (date(2020, 4, 5), 9000), (date(2020, 4, 6), 10000), (date(2026, 12, 7), 10000)])
def test_the_weekly_maximum_in_force_on_the_day(day: date, maximum: int) -> None:
    figures = {f.name: f for f in charging_rules.wales().figures if f.applies_from <= day}
    assert figures and charging_rules.wales().national("weekly_maximum", day).pence == maximum


@pytest.mark.parametrize(("day", "basic"), [
    # Pension Credit standard minimum guarantee: £227.10 in 2025-26, £238.00 from
    # 6 April 2026 (DWP benefit and pension rates 2026 to 2027).
    (date(2026, 4, 5), 22710), (date(2026, 4, 6), 23800)])
def test_benefit_rates_change_on_the_day_they_are_uprated(day: date, basic: int) -> None:
    assert charging_rules.wales().on(day).pence("pension_age_basic") == basic


def test_the_table_has_nothing_before_its_first_rates() -> None:
    with pytest.raises(LookupError):
        charging_rules.wales().on(date(2025, 4, 6))


def test_a_council_may_charge_less_from_the_day_its_choice_applies() -> None:
    lower = choice("weekly_maximum", "80.00")
    assert charging_rules.wales().on(date(2026, 4, 5), [lower]).pence("weekly_maximum") == 10000
    rules = charging_rules.wales().on(date(2026, 4, 6), [lower])
    assert rules.pence("weekly_maximum") == 8000
    assert rules.of("weekly_maximum").council == "W06000024"


def test_a_choice_that_would_charge_more_is_never_used() -> None:
    rules = charging_rules.wales().on(date(2026, 12, 7), [
        choice("weekly_maximum", "120.00"), choice("capital_limit", "20000.00"),
        choice("minimum_income_buffer", "25"), choice("disability_benefits_counted", "100")])
    assert rules.pence("weekly_maximum") == 10000
    assert rules.pence("capital_limit") == 2400000
    assert rules.percent("minimum_income_buffer") == 35
    assert rules.of("disability_benefits_counted").council is None


def test_a_councils_file_refuses_a_choice_that_charges_more() -> None:
    figures, problems = charging_rules.read_choices([
        {"name": "weekly_maximum", "amount": "110.00", "unit": "pounds", "from": date(2026, 4, 6),
         "source": "Policy", "source_cy": "Polisi"},
        {"name": "capital_limit", "amount": "30000.00", "unit": "pounds",
         "from": date(2026, 4, 6), "source": "Policy", "source_cy": "Polisi"},
        {"name": "earnings_counted", "amount": "0", "unit": "percent", "from": date(2026, 4, 6),
         "source": "Policy", "source_cy": "Polisi"},
        {"name": "minimum_income_buffer", "amount": "40", "unit": "percent",
         "from": date(2026, 4, 6), "source": "Policy"},
    ], "W06000024")
    assert [f.name for f in figures] == ["weekly_maximum", "capital_limit"]
    assert any("weekly_maximum" in p and "may only charge less" in p for p in problems)
    assert any("earnings_counted" in p for p in problems)
    assert any("source_cy must say in Welsh" in p for p in problems)


def test_a_table_with_a_mistake_names_every_one(tmp_path: Path) -> None:
    table = tmp_path / "rules.toml"
    table.write_text('[[figure]]\nname = "weekly_maximum"\namount = 100\nunit = "pounds"\n'
                     'from = 2026-04-06\nsource = "x"\nsource_cy = "x"\n', encoding="utf-8")
    with pytest.raises(RulesError) as raised:
        charging_rules.load(table)
    problems = raised.value.problems
    assert any("amount must be a number in quotes" in p for p in problems)
    assert "no figure for capital_limit" in problems
