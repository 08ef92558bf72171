"""Migrations 0025 and 0026: a database from before councils were named, holding every
kind of row that names a record, comes out with each record keyed by the deployment's
council (COUNCIL_CODE), and the public figures it kept given that council's area,
nothing lost or doubled; and goes back as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Boolean, Date, DateTime, Integer, LargeBinary, inspect, text
from sqlalchemy.engine import Connection

from portal.store import Store
from tests.support.databases import database_url

GWYNEDD = "W06000002"
BEFORE = "0024"
# Every column that names a record or holds an id a back office gave, and what a row
# from before holds there.
RECORDS = {
    ("accounts", "person_id"): "p-1001",
    ("delegations", "person_id"): "p-1001",
    ("audit_events", "person_id"): "p-1001",
    ("audit_counts", "person_id"): "p-1001",
    ("review_requests", "person_id"): "p-1001",
    ("payments", "person_id"): "p-1001",
    ("payments", "live_invoice_id"): "inv-p-1001-2",
    ("carer_assessment_requests", "carer_person_id"): "p-1001",
    ("carer_assessment_requests", "backoffice_id"): "car-1",
    ("visit_reports", "person_id"): "p-1001",
    ("changes", "person_id"): "p-1001",
    ("sent_messages", "person_id"): "p-1001",
    ("council_messages", "id"): "msg-1",
    ("council_messages", "person_id"): "p-1001",
    ("message_reads", "message_id"): "msg-1",
}
NOW = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
# A week of the council's figures the public data page published before.
VISITS = [{"week_start": "2026-11-30", "week_end": "2026-12-06", "week_complete": True,
           "visits": 1200, "on_time": 1100, "late": 60, "missed": 15, "cancelled": 25}]


@pytest.fixture
def before(engine: str, tmp_path: Path) -> Iterator[Store]:
    """A store at the schema before 0025, holding one of every kind of row."""
    with database_url(engine, tmp_path) as url:
        store = Store(url)
        store.migrate(BEFORE)
        with store.engine.begin() as connection:
            _fill(connection)
        try:
            yield store
        finally:
            store.engine.dispose()


def test_every_record_gets_the_deployments_council_and_nothing_else_changes(
        before: Store) -> None:
    counted = _counts(before)
    before.migrate(council=GWYNEDD)
    after = _counts(before)
    assert {table: after[table] for table in counted} == counted
    assert not any(after[table] for table in after.keys() - counted)  # tables added since
    with before.engine.connect() as connection:
        for (table, column), own_id in RECORDS.items():
            kept = connection.scalar(text(f"SELECT {column} FROM {table}"))  # noqa: S608
            assert kept == f"{GWYNEDD}:{own_id}", (table, column)
        assert connection.scalar(text("SELECT council FROM carer_assessment_requests")) \
            == GWYNEDD
        assert connection.scalar(text("SELECT name FROM feed_positions")) == \
            f"messages-from-council:{GWYNEDD}"
        assert connection.scalar(text("SELECT recipient FROM outbox_messages")) == \
            f"person:{GWYNEDD}:p-1001"
        held = json.loads(connection.scalar(text("SELECT data FROM browser_sessions")))
        assert held == {"acting_for": f"{GWYNEDD}:p-1001", "language": "cy"}
        kept = connection.execute(text("SELECT dataset, rows FROM published_weeks")).one()
        assert kept[0] == f"home-care-visits:{GWYNEDD}"
        assert json.loads(kept[1]) == [{"area_code": GWYNEDD, "area_name_en": "Gwynedd Council",
                                        "area_name_cy": "Cyngor Gwynedd", **VISITS[0]}]
    before.migrate(council=GWYNEDD)  # again: nothing keyed twice
    with before.engine.connect() as connection:
        assert connection.scalar(text("SELECT person_id FROM accounts")) == f"{GWYNEDD}:p-1001"

    before.migrate_back(BEFORE)
    assert _counts(before) == counted
    with before.engine.connect() as connection:
        for (table, column), own_id in RECORDS.items():
            kept = connection.scalar(text(f"SELECT {column} FROM {table}"))  # noqa: S608
            assert kept == own_id, (table, column)
        assert connection.scalar(text("SELECT recipient FROM outbox_messages")) == \
            "person:p-1001"
        assert json.loads(connection.scalar(text("SELECT data FROM browser_sessions")))[
            "acting_for"] == "p-1001"
        kept = connection.execute(text("SELECT dataset, rows FROM published_weeks")).one()
        assert (kept[0], json.loads(kept[1])) == ("home-care-visits", VISITS)


def test_records_without_a_council_to_give_them_stop_the_upgrade_plainly(
        before: Store) -> None:
    with pytest.raises(RuntimeError, match="set COUNCIL_CODE"):
        before.migrate()
    assert _counts(before)["accounts"] == 1


# Inside the module ------------------------------------------------------------

def _fill(connection: Connection) -> None:
    """One row in every table, each column a row needs given something of its type,
    the record ids as they were before."""
    tables = ["accounts", *sorted({t for t, _ in RECORDS} - {"accounts"}),
              "feed_positions", "outbox_messages", "browser_sessions", "published_weeks"]
    given = {
        "feed_positions": {"name": "messages-from-council", "next": "42"},
        "outbox_messages": {"channel": "letter", "recipient": "person:p-1001"},
        "browser_sessions": {"data": json.dumps({"acting_for": "p-1001", "language": "cy"})},
        "published_weeks": {"dataset": "home-care-visits", "rows": json.dumps(VISITS)},
    }
    for table in tables:
        row = {column: own_id for (t, column), own_id in RECORDS.items() if t == table}
        row.update(given.get(table, {}))
        for column in inspect(connection).get_columns(table):
            name = column["name"]
            if name in row or column["nullable"] and not column.get("primary_key"):
                continue
            row[name] = _some(name, column["type"])
        names = ", ".join(row)
        values = ", ".join(f":{n}" for n in row)
        connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({values})"),  # noqa: S608
                           row)


def _some(name: str, kind: object) -> object:
    """A value of the column's type (an account's id wherever one is named)."""
    if isinstance(kind, Boolean):
        return False
    if isinstance(kind, Integer):
        return 1
    if isinstance(kind, DateTime):
        return NOW
    if isinstance(kind, Date):
        return date(2026, 12, 6)
    if isinstance(kind, LargeBinary):
        return b""
    return "account-1" if name.endswith("account_id") or name == "id" else "a"


def _counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as connection:
        return {table: connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
                for table in inspect(connection).get_table_names()
                if table != "alembic_version"}
