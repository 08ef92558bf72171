"""What may be published about people, and how: the one place for the public data
page's privacy rules.

- No count under 5 is published: it is held back, and reads "fewer than 5"
  (`<5` in the data).
- Every count published is rounded to the nearest 5.
- A total is published beside its parts only when none of them is held back: a
  total, rounded, less the other parts, rounded, can pin a part held back to one
  number (4 + 7 + 7 = 18 is published 20 = <5 + 5 + 5, and only 4 fits).
- A percentage is worked out from the published counts, never the exact ones, so
  it tells nothing they do not; and it is published only when what it counts and
  what it does not are each at least 5.
- A median needs at least 10 values and a 90th percentile at least 20, so that
  neither is one person's own figure.
- A total over areas (every council served, together) is published only where no
  area's figure is held back: the total less the other areas' figures would give
  it away. With a figure held back, so is every percentage in its row.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

SMALLEST = 5       # the smallest count published
BASE = 5           # counts are rounded to a multiple of this
FOR_MEDIAN = 10
FOR_PERCENTILE_90 = 20
HELD_BACK = "<5"   # how a count held back reads in the data


Count = int | str  # a count published: a multiple of 5, or HELD_BACK


def count(n: int) -> Count:
    """n rounded to the nearest 5 (halves up), or HELD_BACK if under 5."""
    if n < SMALLEST:
        return HELD_BACK
    return max(SMALLEST, BASE * math.floor(n / BASE + 0.5))


def breakdown(parts: dict[str, int]) -> tuple[dict[str, Count], Count | None]:
    """Each part's count, and the total's: None (not shown) when a part is held back."""
    published = {name: count(n) for name, n in parts.items()}
    if HELD_BACK in published.values():
        return published, None
    return published, count(sum(parts.values()))


def percent(part: Count | None, whole: Count | None) -> float | None:
    """A published part as a percentage of a published whole, to one decimal place;
    None unless both are published and the part and the rest are each at least 5."""
    if not isinstance(part, int) or not isinstance(whole, int) or part < SMALLEST \
            or whole - part < SMALLEST:
        return None
    return math.floor(1000 * part / whole + 0.5) / 10


def amount(value: float, of_people: int, to: float = 10) -> float | None:
    """A total (hours, say) over a count of people or events, rounded to `to`; held
    back with the count."""
    if of_people < SMALLEST:
        return None
    return float(to * math.floor(value / to + 0.5))


def median(values: Sequence[float], places: int = 0) -> float | None:
    return _quantile(values, 0.5, FOR_MEDIAN, places)


def percentile_90(values: Sequence[float], places: int = 0) -> float | None:
    return _quantile(values, 0.9, FOR_PERCENTILE_90, places)


def _quantile(values: Sequence[float], q: float, needs: int, places: int) -> float | None:
    """The q-quantile by linear interpolation (as numpy's default), rounded."""
    if len(values) < needs:
        return None
    ordered = sorted(values)
    at = q * (len(ordered) - 1)
    low = math.floor(at)
    high = min(low + 1, len(ordered) - 1)
    found = ordered[low] + (ordered[high] - ordered[low]) * (at - low)
    return round(found, places) if places else float(math.floor(found + 0.5))


def over_areas(total: list[dict[str, Any]], areas: list[list[dict[str, Any]]],
               counted: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of a total over areas, row by row as each area's rows run: each counted
    column held back (None) where any area's is held back or not shown, and then every
    percentage in the row with it."""
    found = []
    for index, row in enumerate(total):
        kept = dict(row)
        hidden = [column for column in counted
                  if any(not _published(area[index][column]) for area in areas)]
        for column in hidden:
            kept[column] = None
        if hidden:
            kept.update({column: None for column in kept if column.endswith("_percent")})
        found.append(kept)
    return found


def _published(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
