"""Indexes for the public figures of the newest weeks, so that they are read from an
index whatever the number of records from before: accounts by when they began (people
who began to use the service, and in which language), and messages sent by when.
Built concurrently on PostgreSQL, so that writes go on while they are built
(docs/runbook.md, "Upgrading").

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06
"""

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

INDEXES = (("ix_accounts_created_at", "accounts", ["created_at"]),
           ("ix_outbox_messages_sent", "outbox_messages", ["status", "sent_at"]))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            for name, table, columns in INDEXES:
                op.create_index(name, table, columns, postgresql_concurrently=True,
                                if_not_exists=True)
    else:
        for name, table, columns in INDEXES:
            op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table)
