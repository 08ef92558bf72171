"""Charts of the public data page, drawn on the server as SVG: horizontal bars, one
row a week (or a kind), laid out in percentages across the width, so that the same
chart fits a phone and a desk while its words stay the page's size.

Bars are told apart by pattern as well as colour (solid, stripes, dots, cross-hatch,
lines), each drawn in a colour with at least 3:1 contrast on white, and named in a
legend; every bar has its figure written beside it, and a bar of parts stacked end
to end has the figure of each part written beneath it, in the legend's order. No
library draws accessible SVG
that fits both sizes this way without scripts, so the page draws its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.services.disclosure import HELD_BACK

STYLES = ("solid", "stripes", "dots", "hatch", "lines")
LABELS_END = 31.0     # % of the width for the row labels beside the bars
BARS_WIDTH = 54.0     # % of the width the longest bar takes beside them
ABOVE_WIDTH = 76.0    # and when each row's label is above its bars
LABEL_HEIGHT = 20     # px, a label above its bars
ROW_GAP = 10          # px between rows
BAR_HEIGHT = 22       # px, one bar to a row
GROUPED_HEIGHT = 15   # px, each bar when a row has two or more side by side
PARTS_HEIGHT = 18     # px, the line of a stacked bar's figures beneath it
PARTS_BETWEEN = " · "


@dataclass(frozen=True)
class Series:
    column: str
    name: str       # in the page's language
    style: str


@dataclass(frozen=True)
class Rect:
    x: float        # %
    y: int          # px
    width: float    # %
    height: int     # px
    style: str


@dataclass(frozen=True)
class Text:
    x: float        # %
    y: int          # px, the baseline
    text: str
    dx: int = 0     # px
    anchor: str = "start"
    muted: bool = False


@dataclass
class Chart:
    id: str
    title: str
    summary: str
    series: list[Series]
    stacked: bool = False  # each bar's parts end to end, their figures beneath it
    height: int = 0
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    gridlines: list[float] = field(default_factory=list)


def draw(id_: str, title: str, summary: str, rows: list[tuple[str, dict[str, Any]]],
         series: list[Series], stacked: bool, said: Any, labels_above: bool = False) -> Chart:
    """A chart of rows (label, cells), one bar per series with its figure beside it,
    or the series stacked in one bar with each one's figure beneath it, in the order
    of the legend. `said(value)` is how a figure reads in the page's language (and
    `said(value, short=True)` where room is short). Long labels (kinds rather than
    weeks) go above their bars, so that they fit a phone."""
    chart = Chart(id_, title, summary, series, stacked)
    biggest = max([_total(cells, series) if stacked else max(
        [_number(cells.get(s.column)) for s in series] or [0]) for _, cells in rows] or [0])
    start = 0.0 if labels_above else LABELS_END
    scale = (ABOVE_WIDTH if labels_above else BARS_WIDTH) / biggest if biggest else 0.0
    chart.gridlines = [] if labels_above else [LABELS_END]
    y = ROW_GAP
    for label, cells in rows:
        bars = 1 if stacked or len(series) == 1 else len(series)
        height = BAR_HEIGHT if bars == 1 else GROUPED_HEIGHT
        if labels_above:
            chart.texts.append(Text(0.0, y + LABEL_HEIGHT - 6, label))
            y += LABEL_HEIGHT
        else:
            chart.texts.append(Text(LABELS_END, y + (bars * height) // 2 + 5, label, dx=-6,
                                    anchor="end"))
        if stacked:
            x = start
            for s in series:
                width = _number(cells.get(s.column)) * scale
                if width:
                    chart.rects.append(Rect(x, y, width, height, s.style))
                x += width
            y += height
            chart.texts.append(Text(start, y + PARTS_HEIGHT - 4, PARTS_BETWEEN.join(
                said(cells.get(s.column), short=True) for s in series)))
            y += PARTS_HEIGHT
        else:
            for s in series:
                value = cells.get(s.column)
                width = _number(value) * scale
                if width:
                    chart.rects.append(Rect(start, y, width, height, s.style))
                chart.texts.append(_figure(start + width, y, height, value, said,
                                           held=value == HELD_BACK))
                y += height
        y += ROW_GAP
    chart.height = y
    return chart


def _figure(x: float, y: int, height: int, value: Any, said: Any, held: bool) -> Text:
    return Text(x, y + height // 2 + 5, said(HELD_BACK if held else value), dx=5, muted=held)


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _total(cells: dict[str, Any], series: list[Series]) -> float:
    return sum(_number(cells.get(s.column)) for s in series)
