"""Accounts, sessions and link locks, on every engine we run on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import inspect

from portal.clients.backoffice import BackOfficeClient
from portal.clients.identity import SignedInIdentity
from portal.clock import utcnow
from portal.services import accounts
from portal.services.accounts import LinkOutcome, LinkPolicy, SessionPolicy
from portal.store import Store
from portal.store.models import UserSession
from tests.support.settings import back_offices

IDENTITY = SignedInIdentity(sub="urn:fdc:gov.uk:2022:test", email="a@example.com",
                            phone_number="+447700900999", id_token="token", sid="s")


def test_migrations_create_the_schema(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"accounts", "user_sessions", "alembic_version"} <= tables
    store.migrate()  # running again is harmless


def test_the_first_language_we_learn_is_kept_and_a_new_session_is_opened(store: Store) -> None:
    first = accounts.start_session(store, IDENTITY, "cy")
    second = accounts.start_session(store, IDENTITY, "en")
    assert first.account_id == second.account_id
    assert second.language == "cy"
    assert first.session_id != second.session_id


@pytest.mark.any_hour
def test_sessions_end_on_sign_out_after_idle_time_and_after_the_absolute_limit(
        store: Store) -> None:
    policy = SessionPolicy(idle=timedelta(minutes=30), absolute=timedelta(hours=12))
    start = utcnow()
    signed = accounts.start_session(store, IDENTITY, "en")
    with store.transaction() as db:
        first_seen = db.get(UserSession, signed.session_id).last_seen_at
    assert accounts.current_session(store, signed.session_id, policy, start) is not None
    # Seen again within the minute: nothing is written (a signed-in request writes at
    # most once a minute), and the idle limit allows for it, never ending early.
    seen = start + timedelta(seconds=40)
    assert accounts.current_session(store, signed.session_id, policy, seen) is not None
    with store.transaction() as db:
        assert db.get(UserSession, signed.session_id).last_seen_at == first_seen
    assert accounts.current_session(store, signed.session_id, policy,
                                    seen + timedelta(minutes=30)) is not None
    assert accounts.current_session(store, signed.session_id, policy,
                                    start + timedelta(minutes=62)) is None
    idle = accounts.start_session(store, IDENTITY, "en")
    assert accounts.current_session(store, idle.session_id, policy,
                                    start + timedelta(minutes=31, seconds=30)) is None

    kept_alive = accounts.start_session(store, IDENTITY, "en")
    moment = start
    for _ in range(25):  # active every 29 minutes for just over 12 hours
        moment += timedelta(minutes=29)
        alive = accounts.current_session(store, kept_alive.session_id, policy, moment)
    assert alive is None

    ended = accounts.start_session(store, IDENTITY, "en")
    accounts.end_session(store, ended.session_id)
    assert accounts.current_session(store, ended.session_id, policy) is None


def test_linking_locks_after_five_wrong_tries_for_thirty_minutes(
        store: Store, base_settings: object, running_sandboxes: object) -> None:
    backoffice = BackOfficeClient(back_offices(base_settings))
    signed = accounts.start_session(store, IDENTITY, "en")
    policy = LinkPolicy(max_tries=5, lock_for=timedelta(minutes=30))
    now = utcnow()
    results = [accounts.link_record(store, backoffice, signed.account_id, "W06000002", "C104233",
                                    date(1941, 3, 15), policy, "http://portal.test", now)
               for _ in range(5)]
    assert [r.tries_left for r in results[:4]] == [4, 3, 2, 1]
    assert results[4].outcome is LinkOutcome.LOCKED
    still = accounts.link_record(store, backoffice, signed.account_id, "W06000002", "C104233",
                                 date(1941, 3, 14), policy, "http://portal.test",
                                 now + timedelta(minutes=29))
    assert still.outcome is LinkOutcome.LOCKED
    later = accounts.link_record(store, backoffice, signed.account_id, "W06000002", "C104233",
                                 date(1941, 3, 14), policy, "http://portal.test",
                                 now + timedelta(minutes=31))
    assert later.outcome is LinkOutcome.LINKED


def test_a_naive_datetime_is_refused_rather_than_guessed(store: Store) -> None:
    from portal.store.models import Account

    with pytest.raises(Exception, match="naive"), store.transaction() as db:
        db.add(Account(identity_sub="x", created_at=datetime(2026, 1, 1)))
