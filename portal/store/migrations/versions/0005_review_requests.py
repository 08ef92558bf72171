"""Review requests and their timelines; back-office writes and scheduled
messages in the outbox.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "review_requests",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("person_id", sa.String(64), nullable=False, index=True),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("requested_by_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("requested_by_name", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("reason_detail", sa.Text),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("access_needs", sa.Text),
        sa.Column("others_attending", sa.Text),
        sa.Column("language_support", sa.String(20), nullable=False),
        sa.Column("interpreter_language", sa.String(100)),
        sa.Column("slot_id", sa.String(100), nullable=False),
        sa.Column("slot_start", UTCDateTime(), nullable=False),
        sa.Column("slot_end", UTCDateTime(), nullable=False),
        sa.Column("wanted", sa.String(10), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("backoffice_id", sa.String(64)),
        sa.Column("booked_slot_id", sa.String(100)),
        sa.Column("booked_start", UTCDateTime()),
        sa.Column("booked_end", UTCDateTime()),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("synced_version", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "review_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("request_id", sa.String(36), sa.ForeignKey("review_requests.id"),
                  nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("start", UTCDateTime()),
        sa.Column("by_name", sa.String(200)),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    with op.batch_alter_table("outbox_messages") as table:
        table.add_column(sa.Column("about", sa.String(64)))
        table.create_index("ix_outbox_messages_about", ["about"])


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as table:
        table.drop_index("ix_outbox_messages_about")
        table.drop_column("about")
    op.drop_table("review_events")
    op.drop_table("review_requests")
