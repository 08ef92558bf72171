"""A carer's emergency plan: what should happen if the carer suddenly cannot care.
The carer writes it (in their own area: it is theirs, whoever they act for), changes
it at any time, and the council keeps the latest version for its out-of-hours team.

Who reads it here: the carer; the person it is about, when the carer chose them
from the people they act for (so the portal knows their record); and whoever that
person chooses from those they have let act for them, for as long as that access
lasts. Nobody else, those who act for the carer included.

Each version is saved first, with its back-office write queued in the outbox in the
same transaction, so it is kept while the back office is down; send() gives the
council the latest version once (its Idempotency-Key names the version), and an
older one sent late changes nothing there."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal.clients.backoffice import BackOfficeClient
from portal.clock import local_date
from portal.services import access, outbox, references
from portal.store import Store
from portal.store.models import Delegation, EmergencyPlan, EmergencyPlanReader

SEND = "emergency-plan-send"  # the outbox's name for "give the council the latest version"
# The sections of a plan, in the order they are read.
SECTIONS = ("contacts", "daily_needs", "medicines", "routines", "keys", "step_in", "other")
NEEDED = ("contacts", "daily_needs", "step_in")  # a plan says at least these


@dataclass(frozen=True)
class Sections:
    """What the carer wrote, section by section (None: nothing to say there)."""

    contacts: str
    daily_needs: str
    medicines: str | None
    routines: str | None
    keys: str | None
    step_in: str
    other: str | None
    carer_phone: str | None  # where the council can reach the carer


@dataclass(frozen=True)
class PlanView:
    id: str
    reference: str
    account_id: str  # the carer's
    carer_name: str
    cared_for_person_id: str | None
    cared_for_name: str
    council: str
    language: str
    sections: Sections
    version: int
    updated_at: datetime
    sent_version: int | None
    received_at: datetime | None
    readers: tuple[str, ...]  # the delegations the person cared for chose

    @property
    def council_has_latest(self) -> bool:
        return self.sent_version == self.version


def write(store: Store, account_id: str, carer_name: str, carer_person_id: str | None,
          council: str, cared_for_person_id: str | None, cared_for_name: str, language: str,
          sections: Sections, now: datetime) -> PlanView:
    """A new plan, queued for the council in the same transaction."""
    with store.transaction() as db:
        row = EmergencyPlan(
            reference=references.new(references.EMERGENCY_PLAN), account_id=account_id,
            carer_name=carer_name, carer_person_id=carer_person_id, council=council,
            cared_for_person_id=cared_for_person_id, cared_for_name=cared_for_name,
            language=language, content=_content(sections), version=1, updated_at=now,
            created_at=now)
        db.add(row)
        db.flush()
        _queue(db, row)
        return _view(db, row)


def change(store: Store, account_id: str, plan_id: str, sections: Sections, language: str,
           now: datetime) -> PlanView:
    """A new version of the carer's own plan, queued for the council; LookupError if
    it is not theirs. Nothing changed is no new version."""
    with store.transaction() as db:
        row = _own(db, account_id, plan_id)
        if row.content != _content(sections) or row.language != language:
            row.content, row.language = _content(sections), language
            row.version += 1
            row.updated_at = now
            _queue(db, row)
        return _view(db, row)


def of_carer(store: Store, account_id: str) -> list[PlanView]:
    """The plans the carer wrote, newest first."""
    with store.transaction() as db:
        return [_view(db, row) for row in db.scalars(
            select(EmergencyPlan).where(EmergencyPlan.account_id == account_id)
            .order_by(EmergencyPlan.created_at.desc()))]


def own(store: Store, account_id: str, plan_id: str) -> PlanView:
    """One of the carer's own plans; LookupError if it is not theirs."""
    with store.transaction() as db:
        return _view(db, _own(db, account_id, plan_id))


def about(store: Store, person_id: str) -> list[PlanView]:
    """The plans carers wrote about this person, newest first."""
    with store.transaction() as db:
        return [_view(db, row) for row in db.scalars(
            select(EmergencyPlan).where(EmergencyPlan.cared_for_person_id == person_id)
            .order_by(EmergencyPlan.created_at.desc()))]


def shared_with(store: Store, account_id: str, now: datetime) -> list[PlanView]:
    """The plans people chose to let this account read, through access to act for
    them that is still live."""
    with store.transaction() as db:
        rows = db.execute(
            select(EmergencyPlan, Delegation).join(
                EmergencyPlanReader, EmergencyPlanReader.plan_id == EmergencyPlan.id)
            .join(Delegation, Delegation.id == EmergencyPlanReader.delegation_id)
            .where(Delegation.actor_account_id == account_id)
            .order_by(EmergencyPlan.created_at.desc())).all()
        return [_view(db, plan) for plan, delegation in rows
                if _lets_read(plan, delegation, now)]


def readable(store: Store, account_id: str, person_id: str | None, plan_id: str,
             now: datetime) -> PlanView:
    """The plan, if this account may read it: the carer who wrote it, the person it is
    about (`person_id`, their own record), or someone that person chose, through
    access still live. LookupError for anyone else."""
    with store.transaction() as db:
        row = db.get(EmergencyPlan, plan_id)
        if row is None:
            raise LookupError(plan_id)
        if row.account_id == account_id or (
                person_id is not None and row.cared_for_person_id == person_id):
            return _view(db, row)
        chosen = db.scalars(select(Delegation).join(
            EmergencyPlanReader, EmergencyPlanReader.delegation_id == Delegation.id)
            .where(EmergencyPlanReader.plan_id == plan_id,
                   Delegation.actor_account_id == account_id)).all()
        if any(_lets_read(row, delegation, now) for delegation in chosen):
            return _view(db, row)
        raise LookupError(plan_id)


def choose_readers(store: Store, person_id: str, plan_id: str, delegation_ids: list[str],
                   now: datetime) -> PlanView:
    """The person the plan is about chooses who, of those acting for them, may read it
    (an empty list: nobody but them and the carer). LookupError if the plan is not
    about them; ValueError for access that is not theirs, or not live."""
    with store.transaction() as db:
        row = db.get(EmergencyPlan, plan_id)
        if row is None or row.cared_for_person_id != person_id:
            raise LookupError(plan_id)
        theirs = {d.id: d for d in db.scalars(select(Delegation).where(
            Delegation.person_id == person_id, Delegation.id.in_(delegation_ids)))}
        if set(delegation_ids) != set(theirs) or not all(
                access.live(d, local_date(now)) for d in theirs.values()):
            raise ValueError(delegation_ids)
        db.execute(delete(EmergencyPlanReader).where(EmergencyPlanReader.plan_id == plan_id))
        db.add_all(EmergencyPlanReader(plan_id=plan_id, delegation_id=d, created_at=now)
                   for d in sorted(set(delegation_ids)))
        db.flush()
        return _view(db, row)


def send(store: Store, backoffice: BackOfficeClient, plan_id: str) -> None:
    """Give the council the plan's latest version, then record that it has it. Safe
    to run any number of times: the write's Idempotency-Key names the version, and a
    version the council has is not sent again."""
    with store.transaction() as db:
        row = db.get(EmergencyPlan, plan_id)
        if row is None or row.sent_version == row.version:
            return
        body, council, version = _contract_body(row), row.council, row.version
    kept = backoffice.keep_emergency_plan(council, body, f"{plan_id}-v{version}")
    with store.transaction() as db:
        row = db.get(EmergencyPlan, plan_id)
        if row is not None and (row.sent_version or 0) < kept.version:
            row.backoffice_id, row.sent_version = kept.id, kept.version
            row.received_at = kept.received_at


# Inside the module ------------------------------------------------------------

def _content(sections: Sections) -> str:
    return json.dumps(asdict(sections), ensure_ascii=False, sort_keys=True)


def _own(db: Session, account_id: str, plan_id: str) -> EmergencyPlan:
    row = db.get(EmergencyPlan, plan_id)
    if row is None or row.account_id != account_id:
        raise LookupError(plan_id)
    return row


def _queue(db: Session, row: EmergencyPlan) -> None:
    outbox.enqueue(db, "backoffice", SEND, row.id, {}, about=f"emergency-plan:{row.id}")


def _lets_read(plan: EmergencyPlan, delegation: Delegation, now: datetime) -> bool:
    return delegation.person_id == plan.cared_for_person_id and access.live(
        delegation, local_date(now))


def _view(db: Session, row: EmergencyPlan) -> PlanView:
    # Those chosen whose access has not been stopped (one that ran out lets nobody read).
    readers = tuple(db.scalars(select(EmergencyPlanReader.delegation_id).join(
        Delegation, Delegation.id == EmergencyPlanReader.delegation_id).where(
        EmergencyPlanReader.plan_id == row.id, Delegation.revoked_at.is_(None))
        .order_by(EmergencyPlanReader.delegation_id)))
    return PlanView(row.id, row.reference, row.account_id, row.carer_name,
                    row.cared_for_person_id, row.cared_for_name, row.council, row.language,
                    Sections(**json.loads(row.content)), row.version, row.updated_at,
                    row.sent_version, row.received_at, readers)


def _contract_body(row: EmergencyPlan) -> dict[str, Any]:
    """The plan as the contract's CarerEmergencyPlanNew."""
    said = json.loads(row.content)
    return {"portal_reference": row.reference, "version": row.version,
            "language": row.language,
            "carer": {"person_id": row.carer_person_id, "name": row.carer_name,
                      "phone": said["carer_phone"]},
            "cared_for": {"person_id": row.cared_for_person_id, "name": row.cared_for_name},
            **{name: said[name] for name in SECTIONS}}

