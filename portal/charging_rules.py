"""The rules of charging for care and support at home in Wales, as data: a dated
table of figures (portal/content/charging-rules-wales.toml), each with where it
comes from and the day it applies from, and each council's own choices on top
where the law lets a council charge less (the councils file's [[council.charging]]).

The figures in force on a day are, for each name, the row with the latest date on
or before it; a council's choice in force that day replaces the national figure
only where it charges less. Nothing here does arithmetic on what a person has:
that is portal.services.estimates."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

WALES_FILE = Path(__file__).parent / "content" / "charging-rules-wales.toml"

# Every figure the estimate needs, with its unit.
NAMES: dict[str, str] = {
    "weekly_maximum": "pounds",
    "capital_limit": "pounds",
    "minimum_income_buffer": "percent",
    "pension_age_basic": "pounds",
    "working_age_basic": "pounds",
    "disability_premium": "pounds",
    "attendance_allowance_higher": "pounds",
    "attendance_allowance_lower": "pounds",
    "pip_daily_living_enhanced": "pounds",
    "pip_daily_living_standard": "pounds",
    "disability_benefits_counted": "percent",
    "night_part_counted_without_night_care": "percent",
    "earnings_counted": "percent",
    "pensions_counted": "percent",
    "other_benefits_counted": "percent",
    "other_income_counted": "percent",
    "housing_costs_allowed": "percent",
    "disability_costs_allowed": "percent",
}

# What a council may choose for itself, and which way charges less: a lower weekly
# maximum, a higher capital limit, a larger minimum income, less of the disability
# benefits counted (the Charging Regulations set limits a council may not go beyond,
# never amounts it must charge).
CHOICES: dict[str, str] = {
    "weekly_maximum": "lower",
    "capital_limit": "higher",
    "minimum_income_buffer": "higher",
    "disability_benefits_counted": "lower",
}


@dataclass(frozen=True)
class Figure:
    """One row of the table: a figure, the day it applies from, where it comes from,
    and the council whose choice it is (None: the law for all of Wales)."""

    name: str
    amount: Decimal
    unit: str
    applies_from: date
    sources: Mapping[str, str]        # "cy" and "en"
    council: str | None = None

    def source(self, language: str) -> str:
        return self.sources.get(language) or self.sources["en"]

    @property
    def pence(self) -> int:
        return int((self.amount * 100).to_integral_value(ROUND_HALF_UP))


class RulesError(ValueError):
    """What is wrong with a table of figures: every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Rules:
    """The figures in force on one day, for one council's people."""

    day: date
    figures: Mapping[str, Figure]

    def pence(self, name: str) -> int:
        return self.figures[name].pence

    def percent(self, name: str) -> Decimal:
        return self.figures[name].amount

    def of(self, name: str) -> Figure:
        return self.figures[name]


class Table:
    """Every row of the table for Wales, as read."""

    def __init__(self, figures: Iterable[Figure]) -> None:
        self.figures = sorted(figures, key=lambda f: (f.name, f.applies_from))

    def national(self, name: str, day: date) -> Figure | None:
        found = None
        for figure in self.figures:
            if figure.name == name and figure.applies_from <= day:
                found = figure
        return found

    def on(self, day: date, choices: Iterable[Figure] = ()) -> Rules:
        """The figures in force on this day, with a council's choices in force that
        day where they charge less. LookupError if the table has nothing that early."""
        figures: dict[str, Figure] = {}
        for name in NAMES:
            national = self.national(name, day)
            if national is None:
                raise LookupError(f"no {name} in force on {day.isoformat()}")
            figures[name] = national
        for choice in sorted(choices, key=lambda c: c.applies_from):
            if choice.applies_from <= day and charges_less(choice, figures[choice.name]):
                figures[choice.name] = choice
        return Rules(day, figures)


def charges_less(choice: Figure, national: Figure) -> bool:
    """Whether a council's choice charges less than the law."""
    if CHOICES[choice.name] == "lower":
        return choice.amount < national.amount
    return choice.amount > national.amount


def charges_more(choice: Figure, national: Figure) -> bool:
    """Whether a council's choice would charge more than the law lets it."""
    return choice.amount != national.amount and not charges_less(choice, national)


def read_rows(rows: Any, where: str, names: Mapping[str, str],
              council: str | None = None) -> tuple[list[Figure], list[str]]:
    """Rows of figures as TOML gives them, each checked: the figures, and what is
    wrong with any, each naming its row."""
    figures: list[Figure] = []
    problems: list[str] = []
    if not isinstance(rows, list):
        return [], [f"{where} must be a list of tables"]
    for number, row in enumerate(rows, start=1):
        here = f"{where} {number}"
        if not isinstance(row, dict):
            problems.append(f"{here} must be a table")
            continue
        name, unit = row.get("name"), row.get("unit")
        sources = {"en": row.get("source"), "cy": row.get("source_cy")}
        applies_from, amount = row.get("from"), row.get("amount")
        wrong = []
        if not isinstance(name, str) or name not in names:
            wrong.append(f"name must be one of {', '.join(names)}, not {name!r}")
        elif unit != names[name]:
            wrong.append(f"unit of {name} must be {names[name]!r}, not {unit!r}")
        if not isinstance(applies_from, date) or hasattr(applies_from, "hour"):
            wrong.append("from must be a date, like 2026-04-06")
        for key, language in (("source", "English"), ("source_cy", "Welsh")):
            if not isinstance(row.get(key), str) or not row[key].strip():
                wrong.append(f"{key} must say in {language} where the figure comes from")
        try:
            value = Decimal(amount) if isinstance(amount, str) else None
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or (
                unit == "percent" and value > 100 and name != "minimum_income_buffer"):
            wrong.append(f"amount must be a number in quotes, like \"100.00\", not {amount!r}")
        if wrong or value is None or not isinstance(applies_from, date):
            problems += [f"{here} ({name}): {w}" for w in wrong]
            continue
        figures.append(Figure(str(name), value, str(unit), applies_from,
                              {k: str(v).strip() for k, v in sources.items()}, council))
    return figures, problems


def load(path: Path) -> Table:
    """The table in this file, checked: every figure the estimate needs is there, and
    every row says where it comes from. RulesError names every problem."""
    try:
        content = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RulesError([f"{path} cannot be read: {error}"]) from error
    figures, problems = read_rows(content.get("figure"), "figure", NAMES)
    problems += [f"no figure for {name}" for name in NAMES
                 if not any(f.name == name for f in figures)]
    if problems:
        raise RulesError(problems)
    return Table(figures)


@cache
def wales() -> Table:
    """The table the service holds for Wales."""
    return load(WALES_FILE)


def read_choices(rows: Any, council: str) -> tuple[list[Figure], list[str]]:
    """A council's choices as its [[council.charging]] rows give them, each checked
    against the law in force on its date: a choice may only charge less."""
    if rows is None:
        return [], []
    figures, problems = read_rows(rows, "charging", {n: NAMES[n] for n in CHOICES}, council)
    for number, figure in enumerate(figures, start=1):
        national = wales().national(figure.name, figure.applies_from)
        if national is not None and charges_more(figure, national):
            way = "above" if CHOICES[figure.name] == "lower" else "below"
            problems.append(
                f"charging {number} ({figure.name}): may only charge less than the law, "
                f"not set {way} {national.amount} (in force from {national.applies_from})")
    return figures, problems
