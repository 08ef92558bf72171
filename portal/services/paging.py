"""Long lists shown a page at a time: the numbers of the pages and which to link,
as the Design System's pagination shows them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
PER_PAGE = 20


@dataclass(frozen=True)
class Paged(Generic[T]):
    """One page of a list: page 1 is the first PER_PAGE items, and so on."""

    items: list[T]
    page: int
    pages: int
    total: int

    @property
    def neighbours(self) -> list[int | None]:
        return neighbours(self.page, self.pages)


def page_of(items: Sequence[T], page: int, per_page: int = PER_PAGE) -> Paged[T]:
    """Page `page` of the items; a page past either end is the nearest there is."""
    pages = max(1, math.ceil(len(items) / per_page))
    page = min(max(page, 1), pages)
    return Paged(list(items[(page - 1) * per_page:page * per_page]), page, pages, len(items))


def neighbours(page: int, pages: int) -> list[int | None]:
    """The page numbers to link, in order, None for an ellipsis: the first, the last,
    and the ones either side of this one (the Design System's pagination)."""
    shown = sorted({1, pages} | {n for n in (page - 1, page, page + 1) if 1 <= n <= pages})
    items: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous > 1:
            items.append(None)
        items.append(number)
        previous = number
    return items
