"""How far the council has got with something told to it through the portal: a
report about a visit, or a change (each a FHIR Task in the contract). Sent from
here, then the council's own steps (received, in progress, completed) and its
answer, once the back office can be read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol, TypeVar

from portal.clients.backoffice import CouncilTask
from portal.clients.errors import BackOfficeUnavailable

STATUSES = ("sent", "received", "in-progress", "completed")


@dataclass(frozen=True)
class Step:
    kind: str  # sent (through the portal), then the council's: received, in-progress, completed
    at: datetime


@dataclass(frozen=True)
class Progress:
    status: str  # one of STATUSES: sent means not yet with the council
    timeline: list[Step] = field(default_factory=list)
    answer: str | None = None
    answer_language: str | None = None


class Told(Protocol):
    """A row told to the council through the outbox."""

    created_at: datetime
    received_at: datetime | None


class Tracked(Protocol):
    """A view of something told to the council, with its reference and progress."""

    @property
    def reference(self) -> str: ...
    @property
    def progress(self) -> Progress: ...


T = TypeVar("T", bound=Tracked)


def ours(row: Told) -> Progress:
    """Progress as the portal's own records show it."""
    steps = [Step("sent", row.created_at)]
    if row.received_at is not None:
        steps.append(Step("received", row.received_at))
    return Progress("received" if row.received_at else "sent", steps)


def with_council(views: Sequence[T], held: Callable[[], list[CouncilTask]]
                 ) -> tuple[list[T], bool]:
    """The views with what the council has done and said about each (found by its
    reference in `held`), and whether the council could not be asked: then the
    portal's own records alone."""
    if not views:
        return [], False
    try:
        by_reference = {task.portal_reference: task for task in held()}
    except BackOfficeUnavailable:
        return list(views), True
    return [_merged(view, by_reference.get(view.reference)) for view in views], False


def _merged(view: T, task: CouncilTask | None) -> T:
    if task is None:
        return view
    sent = view.progress.timeline[0]
    return replace(view, progress=Progress(  # type: ignore[type-var]
        task.status, [sent, *(Step(s, at) for s, at in task.history)],
        task.answer, task.answer_language))
