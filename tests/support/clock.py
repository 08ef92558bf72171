"""The instants tests run at. No test reads the real time of day: every test runs
at DEFAULT, and a test marked `any_hour` runs at each of INSTANTS, the awkward
moments of a week and a year, with the clock ticking on from there."""

from __future__ import annotations

from datetime import datetime

from portal.clock import LONDON


def _london(*parts: int, fold: int = 0) -> datetime:
    return datetime(*parts, tzinfo=LONDON).replace(fold=fold)  # type: ignore[misc]


INSTANTS = {
    "monday-23:59": _london(2026, 11, 30, 23, 59, 30),
    "tuesday-00:00": _london(2026, 12, 1, 0, 0, 0),
    # The next free review time is after the weekend.
    "friday-evening": _london(2026, 12, 4, 19, 30),
    # Half a minute before the clocks go back: 01:59 BST, then 01:00 GMT again.
    "clocks-go-back": _london(2026, 10, 25, 1, 59, 30),
    # Half a minute before the clocks go forward: 00:59 GMT, then 02:00 BST.
    "clocks-go-forward": _london(2027, 3, 28, 0, 59, 30),
    "new-years-eve": _london(2026, 12, 31, 23, 59, 30),
}
# Late on a weekday: after the day's 10:00 reminders, before midnight.
DEFAULT = _london(2026, 12, 3, 23, 40)
