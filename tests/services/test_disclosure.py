"""The public data page's privacy rules: nothing under 5 is published, every count is
rounded, and no published figures can be combined to find a small count exactly."""

from __future__ import annotations

from collections import defaultdict
from itertools import product

import pytest

from portal.services import disclosure
from portal.services.disclosure import HELD_BACK


@pytest.mark.parametrize(("n", "published"), [
    (0, HELD_BACK), (1, HELD_BACK), (4, HELD_BACK), (5, 5), (7, 5), (8, 10), (12, 10),
    (13, 15), (2276, 2275), (2278, 2280)])
def test_a_count_under_5_is_held_back_and_others_are_rounded_to_the_nearest_5(
        n: int, published: int | str) -> None:
    assert disclosure.count(n) == published


def test_every_count_published_is_a_multiple_of_5_and_at_least_5() -> None:
    for n in range(0, 2000):
        found = disclosure.count(n)
        assert found == HELD_BACK or (found % 5 == 0 and found >= 5 and abs(found - n) <= 2)


@pytest.mark.parametrize(("part", "whole", "published"), [
    (0, 100, None),       # the part is held back
    (100, 100, None),     # the rest is held back
    (5, 10, 50.0), (10, 2455, 0.4), (2275, 2455, 92.7), ("<5", 10, None), (5, None, None)])
def test_a_percentage_is_shown_only_when_neither_side_is_a_small_count(
        part: int, whole: int, published: float | None) -> None:
    assert disclosure.percent(part, whole) == published


def test_a_median_needs_10_values_and_a_90th_percentile_20() -> None:
    assert disclosure.median(list(range(9))) is None
    assert disclosure.median(list(range(10))) == 5.0  # 4.5, rounded half up
    assert disclosure.median([1.25] * 10, places=1) == 1.2
    assert disclosure.percentile_90(list(range(19))) is None
    assert disclosure.percentile_90(list(range(20))) == 17.0  # 17.1


def test_hours_are_held_back_with_their_count_and_rounded_to_10() -> None:
    assert disclosure.amount(123.4, 4) is None
    assert disclosure.amount(123.4, 5) == 120.0
    assert disclosure.amount(1486.5, 2440) == 1490.0


def test_a_total_is_shown_beside_its_parts_only_when_none_is_held_back() -> None:
    assert disclosure.breakdown({"a": 4, "b": 7, "c": 7}) == ({"a": HELD_BACK, "b": 5, "c": 5},
                                                              None)
    assert disclosure.breakdown({"a": 5, "b": 7, "c": 8}) == ({"a": 5, "b": 5, "c": 10}, 20)


def _open_values(published: dict[tuple[object, ...], list[tuple[int, ...]]]) -> list[object]:
    """Published rows from which some count under 5 can be worked out to one number."""
    pinned = []
    for shown, truths in published.items():
        for position in range(len(truths[0])):
            small = {truth[position] for truth in truths if truth[position] < 5}
            if small and len({truth[position] for truth in truths}) < 2:
                pinned.append((shown, truths))
    return pinned


def test_no_small_count_can_be_worked_out_from_a_breakdown_and_its_percentages() -> None:
    """Every breakdown of three parts (each 0 to 24), as published with its total and
    each part's percentage: for every published row, every count under 5 (a part held
    back) fits more than one set of true counts, so it can never be pinned to one
    number, however the published figures are combined."""
    published: dict[tuple[object, ...], list[tuple[int, ...]]] = defaultdict(list)
    for parts in product(range(25), repeat=3):
        shown, total = disclosure.breakdown(dict(zip("abc", parts, strict=True)))
        row = (*shown.values(), total, *(disclosure.percent(v, total) for v in shown.values()))
        published[row].append(parts)
    assert not _open_values(published)


def test_nothing_under_5_can_be_worked_out_from_a_count_and_a_part_of_it() -> None:
    """People and those of them who chose Welsh (0 to 59), with the percentage: the rest
    (who did not) is never pinned to one number under 5."""
    published: dict[tuple[object, ...], list[tuple[int, ...]]] = defaultdict(list)
    for whole, part in product(range(60), repeat=2):
        if part <= whole:
            shown = (disclosure.count(whole), disclosure.count(part))
            published[(*shown, disclosure.percent(shown[1], shown[0]))].append(
                (whole, part, whole - part))
    assert not [p for p in _open_values(published) if any(t[2] for t in p[1])]


def test_no_councils_small_count_can_be_worked_out_from_the_total_of_every_council() -> None:
    """Three councils' counts (each 0 to 39), published for each council and as every
    council together: no count under 5 of any council fits only one set of true
    counts, however the council figures and the total are combined."""
    published: dict[tuple[object, ...], list[tuple[int, ...]]] = defaultdict(list)
    for counts in product(range(40), repeat=3):
        areas = [[{"people": disclosure.count(n)}] for n in counts]
        total = disclosure.over_areas([{"people": disclosure.count(sum(counts))}], areas,
                                      counted=("people",))
        published[(*(area[0]["people"] for area in areas), total[0]["people"])].append(counts)
    assert not _open_values(published)
    # A total with no council's figure held back is there to read, percentages and all.
    shown = disclosure.over_areas([{"people": 60, "welsh_percent": 25.0}],
                                  [[{"people": 20}], [{"people": 40}]], counted=("people",))
    assert shown == [{"people": 60, "welsh_percent": 25.0}]
    hidden = disclosure.over_areas([{"people": 45, "welsh_percent": 25.0}],
                                   [[{"people": disclosure.HELD_BACK}], [{"people": 40}]],
                                   counted=("people",))
    assert hidden == [{"people": None, "welsh_percent": None}]
