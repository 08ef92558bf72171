"""Telling the council about a change: going into hospital and coming home, a new
address or phone number, needs that have changed, a carer who can no longer help.

A change is saved first, with its back-office write queued in the outbox in the same
transaction, so it is kept while the back office is down. The worker's send() then
gives it to the council and, in the transaction that records that the council has
it, queues the messages that say so to the person and whoever told us, each in their
own language."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal import messages
from portal.clients.backoffice import BackOfficeClient
from portal.services import contact, outbox, progress, references
from portal.store import Store
from portal.store.models import Change

SEND = "change-send"  # the outbox's name for "give the change to the council"
KINDS = ("going-into-hospital", "home-from-hospital", "new-address", "new-phone",
         "needs-changed", "carer-stopping")
# What the council must act on quickly, as the contract says: visits to stop or start
# again, someone left without the help they had. Any change that puts someone at risk
# now is urgent too.
URGENT_KINDS = frozenset({"going-into-hospital", "home-from-hospital", "carer-stopping"})
NEEDS = ("health", "getting-about", "memory", "mood", "daily-living", "other")
# What each kind must say (beyond its kind), as the contract's ChangeNew requires.
NEEDED = {"going-into-hospital": ("on",), "home-from-hospital": ("on",),
          "new-address": ("address", "on"), "new-phone": ("phone",),
          "needs-changed": ("needs", "details"), "carer-stopping": ("carer_name", "on")}


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...]  # one or two
    town: str
    postcode: str


@dataclass(frozen=True)
class Told:
    """What someone tells the council: the kind of change and what goes with it."""

    kind: str
    on: date | None = None  # the day it happens, or happened
    hospital: str | None = None
    address: Address | None = None
    phone: str | None = None
    needs: tuple[str, ...] = ()
    carer_name: str | None = None
    at_risk: bool = False
    details: str | None = None

    @property
    def urgent(self) -> bool:
        return self.kind in URGENT_KINDS or self.at_risk

    def check(self) -> None:
        """ValueError if this is not a change the contract takes."""
        if self.kind not in KINDS or not set(self.needs) <= set(NEEDS):
            raise ValueError(self.kind)
        missing = [name for name in NEEDED[self.kind] if not getattr(self, name)]
        if missing:
            raise ValueError(f"{self.kind} needs {', '.join(missing)}")

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=str, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Told:
        saved: dict[str, Any] = json.loads(text)
        address = saved.pop("address")
        return cls(**{**saved, "on": date.fromisoformat(saved["on"]) if saved["on"] else None,
                      "needs": tuple(saved["needs"]),
                      "address": Address(tuple(address["lines"]), address["town"],
                                         address["postcode"]) if address else None})


@dataclass(frozen=True)
class ChangeView:
    id: str
    reference: str
    person_name: str
    told: Told
    told_by_name: str
    progress: progress.Progress


@dataclass(frozen=True)
class Changes:
    changes: list[ChangeView]
    council_unavailable: bool  # shown from the portal's records alone


def tell(store: Store, person_id: str, person_name: str, account_id: str, actor_name: str,
         told: Told, journey: str, now: datetime) -> ChangeView:
    """Save the change and queue it for the council, in one transaction. `journey`
    names the question pages' answers: sent twice (or twice at once), one change."""
    told.check()
    return progress.tell_once(
        store, Change, ("journey", journey), lambda: Change(
            reference=references.new(references.CHANGE), journey=journey,
            person_id=person_id, person_name=person_name, kind=told.kind,
            urgent=told.urgent, answers=told.to_json(), told_by_account_id=account_id,
            told_by_name=actor_name, created_at=now),
        SEND, "change", _view)


def get(store: Store, backoffice: BackOfficeClient, person_id: str, change_id: str
        ) -> tuple[ChangeView, bool]:
    """One of the person's changes, with what the council has done and said (as
    for_person), and whether the council could not be asked; LookupError if it is
    not theirs."""
    return progress.one_with_council(store, Change, person_id, change_id, _view,
                                     lambda: backoffice.list_changes(person_id))


def for_person(store: Store, backoffice: BackOfficeClient, person_id: str) -> Changes:
    """The person's changes, newest first, with what the council has done and said.
    Without the back office, the portal's own records alone."""
    return Changes(*progress.with_council(progress.of_person(store, Change, person_id, _view),
                                          lambda: backoffice.list_changes(person_id)))


def send(store: Store, backoffice: BackOfficeClient, change_id: str, service_url: str) -> None:
    """Give the change to the council, then tell the person and whoever told it that
    it has it (progress.send_once: safe to run any number of times)."""
    progress.send_once(
        store, Change, change_id, lambda row: row.told_by_account_id,
        lambda row: {**_contract(Told.from_json(row.answers)), "told_by": row.told_by_name,
                     "portal_reference": row.reference},
        lambda person_id, body: backoffice.tell_change(person_id, body, f"{change_id}-send"),
        lambda db, row, recipients: _tell(db, row, recipients, service_url))


# Inside the module ------------------------------------------------------------

def _view(row: Change) -> ChangeView:
    return ChangeView(row.id, row.reference, row.person_name, Told.from_json(row.answers),
                      row.told_by_name, progress.ours(row))


def _contract(told: Told) -> dict[str, Any]:
    """The change as the contract's ChangeNew says it."""
    address = told.address
    return {"kind": told.kind, "effective_date": told.on.isoformat() if told.on else None,
            "hospital": told.hospital, "phone": told.phone, "needs": list(told.needs),
            "address": {"line": list(address.lines), "city": address.town,
                        "postal_code": address.postcode} if address else None,
            "carer_name": told.carer_name, "at_risk": told.at_risk, "details": told.details}


def _tell(db: Session, row: Change, recipients: list[contact.Recipient],
          service_url: str) -> None:
    """Tell them the council has the change, each in their own language."""
    for to in recipients:
        outbox.tell(db, to, "change-received", lambda language: {
            "person_name": row.person_name, "reference": row.reference,
            "what": messages.CHANGE_KINDS[language][row.kind],
            "url": service_url.rstrip("/") + "/your-requests",
        }, about=f"change:{row.id}")

