"""Upgrading and rolling back: the newest migrations can be undone and done again on
either engine, keeping what was there before them."""

from __future__ import annotations

from sqlalchemy import inspect, select

from portal.store import Store
from portal.store.models import Account


def test_the_newest_migrations_undo_and_redo_keeping_what_came_before(store: Store) -> None:
    with store.transaction() as db:
        db.add(Account(identity_sub="sub-kept", language="cy"))
    store.migrate_back("0019")
    tables = set(inspect(store.engine).get_table_names())
    assert not {"logout_tokens_seen", "published_weeks", "send_windows"} & tables
    assert "refused_at" not in {c["name"] for c in inspect(store.engine).get_columns(
        "sent_messages")}
    store.migrate()
    assert {"logout_tokens_seen", "published_weeks", "send_windows"} <= set(
        inspect(store.engine).get_table_names())
    # Built concurrently on PostgreSQL, out of the migration's transaction: there, whole.
    assert "ix_accounts_created_at" in {i["name"] for i in inspect(store.engine).get_indexes(
        "accounts")}
    with store.transaction() as db:
        assert db.scalar(select(Account.language).where(Account.identity_sub == "sub-kept")) \
            == "cy"
