"""Something told to the council through the portal (a report about a visit, a
change: each a FHIR Task in the contract), and how far the council has got with
it: sent from here, then the council's own steps (received, in progress,
completed) and its answer, once the back office can be read.

Each is saved first, with its back-office write queued in the outbox in the same
transaction, so it is kept while the back office is down; `send_once` then gives
it to the council and, in the transaction that records the council has it,
queues the messages that say so. The services that use this say what is told
and to whom; the shape is here, once."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.clients.backoffice import CouncilTask
from portal.clients.errors import BackOfficeUnavailable
from portal.files import Upload
from portal.services import contact, outbox
from portal.store import Store
from portal.store.models import RequestFile

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
    # What the council decided someone pays a week (a financial assessment's outcome).
    weekly_charge_pence: int | None = None


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
V = TypeVar("V")


def theirs(store: Store, model: Any, person_id: str, row_id: str, view: Callable[[Any], V]
           ) -> V:
    """One of the person's rows of this model, as a view; LookupError if not theirs."""
    with store.transaction() as db:
        row = db.get(model, row_id)
        if row is None or row.person_id != person_id:
            raise LookupError(row_id)
        return view(row)


def of_person(store: Store, model: Any, person_id: str, view: Callable[[Any], V]) -> list[V]:
    """The person's rows of this model, newest first, as views."""
    with store.transaction() as db:
        return [view(row) for row in db.scalars(
            select(model).where(model.person_id == person_id)
            .order_by(model.created_at.desc()))]


def tell_once(store: Store, model: Any, once: tuple[str, str], new: Callable[[], Any],
              send: str, about: str, view: Callable[[Any], V], files: Sequence[Upload] = ()
              ) -> V:
    """Save a new row (`new()`) with its files, and queue the outbox's `send` for it, in
    one transaction: unless a row whose `once` column (the form's or the journey's own
    id) has this value is there already, when it is that row. So sent twice, or twice at
    once, it is told once. Returns the row as `view` shows it."""
    column, value = once

    def already(db: Session) -> Any:
        return db.scalar(select(model).where(getattr(model, column) == value))

    try:
        with store.transaction() as db:
            made = already(db)
            if made is not None:
                return view(made)
            row = new()
            db.add(row)
            db.flush()
            keep_files(db, row.id, files)
            outbox.enqueue(db, "backoffice", send, row.id, {}, about=f"{about}:{row.id}")
            db.flush()
            return view(row)
    except IntegrityError:  # the same, sent at the same moment, got there first
        with store.transaction() as db:
            made = already(db)
            if made is None:
                raise
            return view(made)


def send_once(store: Store, model: Any, row_id: str, told_by: Callable[[Any], str],
              body: Callable[[Any], dict[str, Any]],
              write: Callable[[str, dict[str, Any]], CouncilTask],
              tell: Callable[[Session, Any, list[contact.Recipient]], None]) -> None:
    """Give the row to the council (`write(person_id, body)`), then record that it has
    it and `tell` the person and whoever told it (`told_by`, an account id). Safe to
    run any number of times: the write carries an Idempotency-Key, and a row the
    council has is not recorded again."""
    with store.transaction() as db:
        row = db.get(model, row_id)
        if row is None or row.backoffice_id is not None:
            return
        person_id, teller, said = row.person_id, told_by(row), body(row)
    held = write(person_id, said)
    with store.transaction() as db:
        row = outbox.record_received(db, model, row_id, held.id)
        if row is not None:  # else another worker told them already
            tell(db, row, contact.recipients_in(db, person_id, [teller]))


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


def one_with_council(store: Store, model: Any, person_id: str, row_id: str,
                     view: Callable[[Any], T], held: Callable[[], list[CouncilTask]]
                     ) -> tuple[T, bool]:
    """One of the person's rows, as a view with what the council has done and said
    about it (as with_council), so that its own page and the list of requests say the
    same; and whether the council could not be asked. LookupError if not theirs."""
    views, unavailable = with_council([theirs(store, model, person_id, row_id, view)], held)
    return views[0], unavailable


def _merged(view: T, task: CouncilTask | None) -> T:
    if task is None:
        return view
    sent = view.progress.timeline[0]
    return replace(view, progress=Progress(  # type: ignore[type-var]
        task.status, [sent, *(Step(s, at) for s, at in task.history)],
        task.answer, task.answer_language, task.weekly_charge_pence))


# Files sent with something told to the council: kept with it until the council has
# them (forget_files, in the transaction that records that), then only their names.

def keep_files(db: Session, request_id: str, uploads: Sequence[Upload]) -> None:
    db.add_all(RequestFile(request_id=request_id, filename=u.filename,
                           content_type=u.content_type, content=u.content) for u in uploads)


def files_of(db: Session | None, request_id: str) -> list[RequestFile]:
    """The files sent with a request (`db`: the session its row is in)."""
    if db is None:
        return []
    return list(db.scalars(select(RequestFile).where(RequestFile.request_id == request_id)
                           .order_by(RequestFile.filename, RequestFile.id)))


def files_for_council(db: Session, request_id: str) -> list[dict[str, str]]:
    """The files as the contract sends them: name, kind and content in base64."""
    return [{"filename": f.filename, "content_type": f.content_type,
             "data": base64.b64encode(f.content or b"").decode("ascii")}
            for f in files_of(db, request_id)]


def forget_files(db: Session, request_id: str) -> None:
    db.execute(update(RequestFile).where(RequestFile.request_id == request_id)
               .values(content=None).execution_options(synchronize_session=False))
