"""The one place that decides whether someone may do something for a person.

Every route that shows or changes a person's data asks decide(); nothing else
makes that call. Two sources of authority count: access the person gave in the
portal (a delegation), and legal authorities the council records in the back
office (lasting powers of attorney, deputyships, advocacy)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from sqlalchemy import delete, select

from portal.clients.backoffice import Authority, AuthorityHeld, BackOfficeClient
from portal.services import earlier
from portal.store import Store
from portal.store.models import Delegation, NotesWithheld

SCOPES = ("plan", "reviews", "money", "notifications", "messages")

# What each legal authority lets its holder do. A health and welfare LPA gives no
# money; a property and financial affairs LPA gives no plan. A deputyship gives
# what the court order says, or these defaults when the back office lists none. A
# best-interests decision gives exactly what the council recorded, and nothing
# when it recorded nothing (see authority_scopes).
AUTHORITY_SCOPES: dict[str, frozenset[str]] = {
    "lpa-health-welfare": frozenset({"plan", "reviews", "notifications", "messages"}),
    "lpa-property-financial": frozenset({"money", "notifications"}),
    "deputyship-health-welfare": frozenset({"plan", "reviews", "notifications", "messages"}),
    "deputyship-property-financial": frozenset({"money", "notifications"}),
    "advocacy": frozenset({"plan", "reviews", "messages"}),
}
EARLIER = "earlier"  # the role of someone opening an earlier record of their own
AUTHORITY_ROLES = {"lpa": "attorney", "deputyship": "deputy", "advocacy": "advocate",
                   "best": "best-interests"}


@dataclass(frozen=True)
class Actor:
    """Who is signed in: their account, and their own care record if linked."""

    account_id: str
    person_id: str | None


class Reason(Enum):
    SELF = "self"
    GRANTED = "granted"
    NO_ACCESS = "no-access"
    SCOPE_NOT_GRANTED = "scope-not-granted"
    ENDED = "ended"
    REVOKED = "revoked"


CODE = "code"  # the basis of access the person gave with a code


@dataclass(frozen=True)
class Basis:
    """One reason the actor may act for a person: access the person gave with a code
    (kind CODE), or a legal authority (kind is its type, as AUTHORITY_SCOPES)."""

    kind: str
    scopes: frozenset[str]
    ends_on: date | None


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason
    role: str | None = None          # self, earlier, carer, attorney, deputy, advocate
    person_name: str | None = None   # whose care, when acting for someone
    actor_name: str | None = None    # the actor's name as the person or council knows it
    scopes: frozenset[str] = frozenset()
    ended_on: date | None = None
    bases: tuple[Basis, ...] = ()    # why the actor may act for the person at all
    # The person keeps visit notes and care workers' names from this actor.
    notes_withheld: bool = False


@dataclass(frozen=True)
class Helped:
    """Someone the actor may act for, on what bases, and what they may do."""

    person_id: str
    person_name: str
    scopes: frozenset[str]
    ends_on: date | None
    role: str
    actor_name: str
    bases: tuple[Basis, ...]
    notes_withheld: bool = False


@dataclass(frozen=True)
class LegalAuthority:
    """Someone the council records as holding a legal authority over the person."""

    holder_name: str
    type: str
    scopes: list[str]
    ends_on: date | None
    holder_id: str | None = None  # their own record's key, when the council knows it


def authority_scopes(authority: Authority) -> frozenset[str]:
    if authority.type == "best-interests":
        return frozenset(authority.scopes or ()) & frozenset(SCOPES)
    if authority.type.startswith("deputyship") and authority.scopes:
        return frozenset(authority.scopes)
    return AUTHORITY_SCOPES.get(authority.type, frozenset())


def legal_authorities_over(backoffice: BackOfficeClient, person_id: str,
                           today: date) -> list[LegalAuthority]:
    """The live legal authorities the back office records over this person."""
    related = backoffice.list_related_people(person_id).related_people
    return [LegalAuthority(f"{r.given_name} {r.family_name}", a.type,
                           [s for s in SCOPES if s in authority_scopes(a)], a.lasts_until,
                           r.person_id)
            for r in related for a in r.authorities if a.live_on(today)]


def notes_withheld_from_holders(store: Store, person_id: str) -> frozenset[str]:
    """The holders of legal authorities (their records' keys) from whom the person
    keeps visit notes and care workers' names."""
    with store.reading() as connection:
        return frozenset(connection.scalars(select(NotesWithheld.holder_id).where(
            NotesWithheld.person_id == person_id)))


def withhold_notes_from_holder(store: Store, person_id: str, holder_id: str,
                               withheld: bool) -> None:
    """Keep visit notes and care workers' names from this holder of a legal authority
    over the person, or show them again."""
    with store.transaction() as db:
        db.execute(delete(NotesWithheld).where(NotesWithheld.person_id == person_id,
                                               NotesWithheld.holder_id == holder_id))
        if withheld:
            db.add(NotesWithheld(person_id=person_id, holder_id=holder_id))


def decide(store: Store, backoffice: BackOfficeClient, actor: Actor, person_id: str,
           scope: str, today: date) -> Decision:
    """May actor do `scope` for person_id? Allow or deny, with the reason."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")
    if actor.person_id == person_id:
        return Decision(True, Reason.SELF, role="self", scopes=frozenset(SCOPES))
    helped = {h.person_id: h for h in people_helped(store, backoffice, actor, today)}
    if person_id in helped:
        them = helped[person_id]
        if scope in them.scopes:
            return Decision(True, Reason.GRANTED, role=them.role, person_name=them.person_name,
                            actor_name=them.actor_name, scopes=them.scopes, bases=them.bases,
                            notes_withheld=them.notes_withheld)
        return Decision(False, Reason.SCOPE_NOT_GRANTED, role=them.role,
                        person_name=them.person_name, scopes=them.scopes, bases=them.bases)
    own = own_earlier(store, actor, person_id)
    if own is not None:
        return replace(own, allowed=scope in own.scopes)
    return _why_not(store, backoffice, actor, person_id)


def own_earlier(store: Store, actor: Actor, person_id: str) -> Decision | None:
    """When person_id is an earlier record of the actor's own (from the council they
    moved from): what they may do with it, which is to read it, pay and write to its
    team. None for any other record."""
    own = earlier.record(store, actor.account_id, person_id)
    if own is None:
        return None
    return Decision(True, Reason.SELF, role=EARLIER, person_name=own.person_name,
                    actor_name=own.person_name, scopes=earlier.SCOPES)


def people_helped(store: Store, backoffice: BackOfficeClient, actor: Actor,
                  today: date) -> list[Helped]:
    """Everyone the actor may act for today, with everything they may do for each."""
    found: list[Helped] = []
    with store.transaction() as db:
        for d in db.scalars(select(Delegation).where(
                Delegation.actor_account_id == actor.account_id)):
            if live(d, today):
                found.append(Helped(d.person_id, d.person_name, d.scope_set, d.ends_on,
                                    "carer", d.invitee_name,
                                    (Basis(CODE, d.scope_set, d.ends_on),),
                                    notes_withheld=d.notes_withheld))
    held_by_actor = _authorities_held(backoffice, actor)
    kept_from_actor = _notes_kept_from(store, actor) if held_by_actor else frozenset()
    for held in held_by_actor:
        if held.authority.live_on(today):
            scopes = authority_scopes(held.authority)
            until = held.authority.lasts_until
            found.append(Helped(held.person_id, held.person_name, scopes, until,
                                _role(held), held.holder_name,
                                (Basis(held.authority.type, scopes, until),),
                                notes_withheld=held.person_id in kept_from_actor))
    merged: dict[str, Helped] = {}
    for h in found:
        known = merged.get(h.person_id)
        if known is None:
            merged[h.person_id] = h
            continue
        # A legal authority names the actor's role over a portal grant.
        lead = h if h.role != "carer" else known
        merged[h.person_id] = Helped(
            h.person_id, h.person_name, known.scopes | h.scopes,
            None if known.ends_on is None or h.ends_on is None else max(known.ends_on, h.ends_on),
            lead.role, lead.actor_name, known.bases + h.bases,
            # Kept from them only if kept on every basis they act on.
            notes_withheld=known.notes_withheld and h.notes_withheld)
    return sorted(merged.values(), key=lambda h: h.person_name)


def _why_not(store: Store, backoffice: BackOfficeClient, actor: Actor,
             person_id: str) -> Decision:
    """Why someone with no live access has none: never had it, it ended, or was stopped."""
    with store.transaction() as db:
        latest = db.scalars(
            select(Delegation).where(Delegation.person_id == person_id,
                                     Delegation.actor_account_id == actor.account_id,
                                     Delegation.redeemed_at.is_not(None))
            .order_by(Delegation.created_at.desc())).first()
        if latest is not None:
            reason = Reason.REVOKED if latest.revoked_at else Reason.ENDED
            return Decision(False, reason, person_name=latest.person_name,
                            ended_on=latest.ends_on)
    for held in _authorities_held(backoffice, actor):
        if held.person_id == person_id:
            return Decision(False, Reason.ENDED, person_name=held.person_name,
                            ended_on=held.authority.lasts_until)
    return Decision(False, Reason.NO_ACCESS)


def _authorities_held(backoffice: BackOfficeClient, actor: Actor) -> list[AuthorityHeld]:
    # Only someone with a care record of their own can be recorded as an attorney.
    return [] if actor.person_id is None else backoffice.list_authorities_held(actor.person_id)


def _notes_kept_from(store: Store, actor: Actor) -> frozenset[str]:
    """Those whose visit notes are kept from the actor as a holder of legal authority."""
    with store.reading() as connection:
        return frozenset(connection.scalars(select(NotesWithheld.person_id).where(
            NotesWithheld.holder_id == actor.person_id)))


def _role(held: AuthorityHeld) -> str:
    return AUTHORITY_ROLES[held.authority.type.split("-")[0]]


def live(delegation: Delegation, today: date) -> bool:
    """Taken up, not stopped, not past its end date."""
    return (delegation.redeemed_at is not None and delegation.revoked_at is None
            and (delegation.ends_on is None or delegation.ends_on >= today))
