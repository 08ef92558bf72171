"""The decision point, invitation codes and the audit log, without the web."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.clients.backoffice import BackOfficeClient
from portal.councils import BackOffice
from portal.services import access, audit, delegations
from portal.services.access import Actor, Reason
from portal.services.delegations import RedeemOutcome
from portal.store import Store
from portal.store.models import Account, AuditEvent
from tests.support.settings import back_offices

PERSON = "W06000002:p-1"
SOMEONE = "W06000002:p-2"
GWEN = "W06000002:p-1001"
DAFYDD = "W06000002:p-1002"
OWEN = "W06000002:p-1004"
SIAN = "W06000002:p-2001"
HUW = "W06000002:p-2002"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def store(store: Store) -> Store:
    """A store with a person, someone who acts for them, and a stranger."""
    with store.transaction() as db:
        db.add_all([Account(id="person", identity_sub="p", person_id=PERSON),
                    Account(id="carer", identity_sub="c"),
                    Account(id="other", identity_sub="o")])
    return store


def invite(store: Store, scopes: list[str], ends_on: date | None = None,
           now: datetime = NOW) -> delegations.Invitation:
    return delegations.invite(store, "person", PERSON, "Gwen Morgan", "Siân", "s@example.com",
                              "Merch", scopes, ends_on, now)


CARER = Actor("carer", None)
# Someone with no record of their own needs no back-office read: any call fails.
NO_BACKOFFICE = BackOfficeClient({"W06000002": BackOffice("http://127.0.0.1:9", "unused")},
                                 connect_timeout=0.2)


def carer_asks(store: Store, scope: str, day: date = TODAY) -> access.Decision:
    return access.decide(store, NO_BACKOFFICE, CARER, PERSON, scope, day)


def test_the_person_may_do_everything_for_themselves(store: Store) -> None:
    for scope in access.SCOPES:
        decision = access.decide(store, NO_BACKOFFICE, Actor("person", PERSON), PERSON, scope,
                                 TODAY)
        assert decision.allowed and decision.reason is Reason.SELF


def test_a_carer_may_do_exactly_what_was_granted(store: Store) -> None:
    code = invite(store, ["plan", "notifications"]).code
    assert carer_asks(store, "plan").reason is Reason.NO_ACCESS
    assert delegations.redeem(store, "carer", None, code, NOW).outcome is RedeemOutcome.REDEEMED
    allowed = {s for s in access.SCOPES if carer_asks(store, s).allowed}
    assert allowed == {"plan", "notifications"}
    refused = carer_asks(store, "money")
    assert refused.reason is Reason.SCOPE_NOT_GRANTED and refused.person_name == "Gwen Morgan"


def test_access_ends_after_its_end_date_and_at_once_when_revoked(store: Store) -> None:
    invitation = invite(store, ["plan"], ends_on=TODAY + timedelta(days=1))
    delegations.redeem(store, "carer", None, invitation.code, NOW)
    assert carer_asks(store, "plan", TODAY + timedelta(days=1)).allowed
    ended = carer_asks(store, "plan", TODAY + timedelta(days=2))
    assert ended.reason is Reason.ENDED and ended.ended_on == TODAY + timedelta(days=1)
    delegations.revoke(store, PERSON, invitation.delegation_id, NOW)
    assert carer_asks(store, "plan").reason is Reason.REVOKED
    assert access.people_helped(store, NO_BACKOFFICE, CARER, TODAY) == []


def test_a_code_works_once_for_seven_days_and_not_after_revocation(store: Store) -> None:
    first = invite(store, ["plan"])
    assert delegations.redeem(store, "carer", None, first.code.lower().replace("-", " "),
                              NOW).outcome is RedeemOutcome.REDEEMED
    assert delegations.redeem(store, "other", None, first.code, NOW).outcome is \
        RedeemOutcome.INVALID
    late = invite(store, ["plan"])
    assert delegations.redeem(store, "carer", None, late.code,
                              NOW + timedelta(days=7, seconds=1)).outcome is RedeemOutcome.INVALID
    revoked = invite(store, ["plan"])
    delegations.revoke(store, PERSON, revoked.delegation_id, NOW)
    assert delegations.redeem(store, "carer", None, revoked.code, NOW).outcome is \
        RedeemOutcome.INVALID


def test_nobody_can_use_a_code_for_their_own_record(store: Store) -> None:
    code = invite(store, ["plan"]).code
    assert delegations.redeem(store, "person", PERSON, code, NOW).outcome is \
        RedeemOutcome.OWN_RECORD


def test_the_person_sees_each_delegation_with_its_state(store: Store) -> None:
    pending = invite(store, ["money"])
    live = invite(store, ["plan"])
    delegations.redeem(store, "carer", None, live.code, NOW)
    states = {v.id: v.status for v in delegations.for_person(store, PERSON, NOW)}
    assert states == {pending.delegation_id: "invited", live.delegation_id: "active"}
    with pytest.raises(LookupError):
        delegations.revoke(store, SOMEONE, live.delegation_id, NOW)


def test_the_audit_log_pages_newest_first_and_cannot_be_changed(store: Store) -> None:
    for n in range(45):
        audit.record(store, PERSON, "carer", "Siân", "carer", f"action-{n}",
                     NOW + timedelta(seconds=n))
    first = audit.page_for(store, PERSON, 1)
    assert (first.total, first.pages, len(first.entries)) == (45, 3, 20)
    assert first.entries[0].action == "action-44"
    assert len(audit.page_for(store, PERSON, 3).entries) == 5
    assert audit.page_for(store, PERSON, 99).page == 3
    # Each page's neighbours are found from it by keyset, and agree with counting off.
    second = audit.page_for(store, PERSON, **first.link(2))  # type: ignore[arg-type]
    assert [e.action for e in second.entries] == [f"action-{n}" for n in range(24, 4, -1)]
    assert audit.page_for(store, PERSON, 2).entries == second.entries  # a typed address
    back = audit.page_for(store, PERSON, **second.link(1))  # type: ignore[arg-type]
    assert back.entries == first.entries
    last = audit.page_for(store, PERSON, **second.link(3))  # type: ignore[arg-type]
    assert [e.action for e in last.entries] == [f"action-{n}" for n in range(4, -1, -1)]
    # Someone else's event as a cursor finds nothing of theirs: page 2 by offset.
    audit.record(store, SOMEONE, "carer", "Siân", "carer", "theirs", NOW)
    other = audit.page_for(store, SOMEONE, 1).entries[0].id
    assert audit.page_for(store, PERSON, 2, before=other).entries == second.entries
    with pytest.raises(PermissionError), store.transaction() as db:
        db.get(AuditEvent, 1).action = "tampered"  # type: ignore[union-attr]
    with pytest.raises(PermissionError), store.transaction() as db:
        db.delete(db.get(AuditEvent, 2))


def test_a_registered_health_and_welfare_lpa_gives_plan_but_not_money(
        store: Store, base_settings, running_sandboxes) -> None:  # type: ignore[no-untyped-def]
    backoffice = BackOfficeClient(back_offices(base_settings))
    attorney = Actor("carer", SIAN)  # Siân, linked to her own record
    plan = access.decide(store, backoffice, attorney, GWEN, "plan", TODAY)
    assert plan.allowed and plan.role == "attorney" and plan.actor_name == "Siân Morgan"
    money = access.decide(store, backoffice, attorney, GWEN, "money", TODAY)
    assert money.reason is Reason.SCOPE_NOT_GRANTED
    helped = access.people_helped(store, backoffice, attorney, TODAY)
    assert [(h.person_name, sorted(h.scopes)) for h in helped] == \
        [("Gwen Morgan", ["messages", "notifications", "plan", "reviews"])]
    assert access.decide(store, backoffice, attorney, DAFYDD, "plan", TODAY).reason is \
        Reason.NO_ACCESS


def test_a_portal_grant_adds_to_a_legal_authority(store: Store, base_settings,  # type: ignore
                                                  running_sandboxes) -> None:
    backoffice = BackOfficeClient(back_offices(base_settings))
    invitation = delegations.invite(store, "person", GWEN, "Gwen Morgan", "Siân",
                                    "s@example.com", "Merch", ["money"], None, NOW)
    delegations.redeem(store, "carer", SIAN, invitation.code, NOW)
    decision = access.decide(store, backoffice, Actor("carer", SIAN), GWEN, "money", TODAY)
    assert decision.allowed and decision.scopes == frozenset(access.SCOPES)


def test_the_same_look_within_a_minute_is_one_event_and_every_form_sent_is_one_each(
        store: Store) -> None:
    for seconds in (0, 20, 59):
        audit.record(store, PERSON, "carer", "Siân", "carer", "care.plan",
                     NOW + timedelta(seconds=seconds))
    audit.record(store, PERSON, "carer", "Siân", "carer", "care.plan", NOW + timedelta(minutes=2))
    for seconds in (0, 1):
        audit.record(store, PERSON, "carer", "Siân", "carer", "reviews.check:changed",
                     NOW + timedelta(seconds=seconds), sent_a_form=True)
    actions = [e.action for e in audit.page_for(store, PERSON, 1).entries]
    assert sorted(actions) == ["care.plan", "care.plan", "reviews.check:changed",
                               "reviews.check:changed"]


def test_the_pages_linked_are_the_first_the_last_and_either_side_with_ellipses() -> None:
    def numbers(page: int, pages: int) -> list[int | None]:
        return audit.AuditPage([], page, pages, pages * audit.PER_PAGE).neighbours
    assert numbers(1, 1) == [1]
    assert numbers(1, 3) == [1, 2, 3]
    assert numbers(1, 50_000) == [1, 2, None, 50_000]
    assert numbers(25_000, 50_000) == [1, None, 24_999, 25_000, 25_001, None, 50_000]
    assert numbers(3, 5) == [1, 2, 3, 4, 5]
    assert numbers(50_000, 50_000) == [1, None, 49_999, 50_000]


@pytest.fixture
def council_people(running_sandboxes):  # type: ignore[no-untyped-def]
    """The sandbox council's people, as they were again after the test."""
    people = running_sandboxes.back_office().people
    before = {person_id: list(demo.related) for person_id, demo in people.items()}
    yield people
    for person_id, related in before.items():
        people[person_id].related[:] = related


def test_a_best_interests_decision_gives_what_the_council_recorded_until_its_review(
        store: Store, base_settings, council_people) -> None:  # type: ignore[no-untyped-def]
    import requests

    review = TODAY + timedelta(days=90)
    recorded = requests.post(
        f"{base_settings.BACKOFFICE_URL}/_sandbox/people/p-1004/related-people", json={
            "person_id": "p-2002", "name": {"given": "Huw", "family": "Hughes"},
            "relationship": "FRND", "authorities": [{
                "type": "best-interests", "status": "active", "start": "2026-10-01",
                "end": None, "scopes": ["plan", "notifications"],
                "review_date": review.isoformat(), "organisation": None}]}, timeout=5)
    assert recorded.status_code == 201
    backoffice = BackOfficeClient(back_offices(base_settings))
    huw = Actor("carer", HUW)
    plan = access.decide(store, backoffice, huw, OWEN, "plan", TODAY)
    assert plan.allowed and plan.role == "best-interests" and plan.actor_name == "Huw Hughes"
    assert [(b.kind, b.ends_on) for b in plan.bases] == [("best-interests", review)]
    assert access.decide(store, backoffice, huw, OWEN, "money", TODAY).reason is \
        Reason.SCOPE_NOT_GRANTED
    # Not reviewed by its date, it is no longer in force.
    late = access.decide(store, backoffice, huw, OWEN, "plan", review + timedelta(days=1))
    assert late.reason is Reason.ENDED and late.ended_on == review


def test_a_best_interests_decision_without_a_review_date_is_not_in_force(
        store: Store, base_settings, council_people) -> None:  # type: ignore[no-untyped-def]
    import requests

    requests.post(
        f"{base_settings.BACKOFFICE_URL}/_sandbox/people/p-1004/related-people", json={
            "person_id": "p-2002", "name": {"given": "Huw", "family": "Hughes"},
            "relationship": "FRND", "authorities": [{
                "type": "best-interests", "status": "active", "start": "2026-10-01",
                "end": None, "scopes": ["plan"], "review_date": None,
                "organisation": None}]}, timeout=5)
    backoffice = BackOfficeClient(back_offices(base_settings))
    decision = access.decide(store, backoffice, Actor("carer", HUW), OWEN, "plan", TODAY)
    assert not decision.allowed
