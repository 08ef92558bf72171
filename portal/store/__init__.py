"""The portal's own state: accounts, sessions, and (later) delegations, audit,
payments and the outbox. Nothing the back office owns is kept here."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"


class Store:
    """One engine and session factory per process; a transaction per unit of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits together, or not at all."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for a read made on almost every request (who is signed in,
        what their browser's session holds, what they have not read), without an ORM
        session's cost: such reads use statements built once, with bound parameters."""
        with self.engine.connect() as connection:
            yield connection

    def insert(self, model: Any) -> Any:
        """An INSERT that can say what to do when the row is there already (ON
        CONFLICT), in this database's own words."""
        return (postgresql.insert if self.engine.dialect.name == "postgresql"
                else sqlite.insert)(model)

    def migrate(self, to: str = "head", council: str | None = None) -> None:
        """Bring the schema up to the newest Alembic revision (or up to `to`).
        `council`: the council whose records a database from before councils were
        recorded holds (COUNCIL_CODE; migration 0025)."""
        self._alembic("upgrade", to, council)

    def migrate_back(self, to: str) -> None:
        """Take the schema back down to revision `to`: the migrations after it undone,
        with whatever they added."""
        self._alembic("downgrade", to)

    def _alembic(self, direction: str, to: str, council: str | None = None) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.set_main_option("sqlalchemy.url", self.url.replace("%", "%%"))
        # Alembic runs each migration's transaction itself, so that one may step out
        # of it (an index built concurrently on PostgreSQL).
        with self.engine.connect() as connection:
            config.attributes["connection"] = connection
            config.attributes["council"] = council
            getattr(command, direction)(config, to)
            connection.commit()


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            # WAL lets the web process read while another writes.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # A connection for each of a web process's threads (portal/gunicorn_config.py).
    return create_engine(url, pool_pre_ping=True, pool_size=16, max_overflow=8)
