"""Indexes for the queries that page and claim, so they stay quick as rows grow:
a person's access log newest first (person, time, id), and the outbox messages
still to send by channel and time (only pending rows are in it, so sent rows,
however many, cost the claim nothing). And each person's count of audit events,
kept as events are written, so the log's length is known without counting it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_table(
        "audit_counts",
        sa.Column("person_id", sa.String(64), primary_key=True),
        sa.Column("events", sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO audit_counts (person_id, events) "
               "SELECT person_id, count(*) FROM audit_events GROUP BY person_id")
    op.create_index("ix_audit_events_person_newest", "audit_events", ["person_id", "at", "id"])
    op.create_index("ix_outbox_messages_due", "outbox_messages", ["channel", "next_attempt_at"],
                    postgresql_where=PENDING, sqlite_where=PENDING)
    # Finished rows are cleared by age (portal.services.outbox.clear_finished).
    op.create_index("ix_outbox_messages_finished", "outbox_messages",
                    ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_messages_finished", "outbox_messages")
    op.drop_index("ix_outbox_messages_due", "outbox_messages")
    op.drop_index("ix_audit_events_person_newest", "audit_events")
    op.drop_table("audit_counts")
