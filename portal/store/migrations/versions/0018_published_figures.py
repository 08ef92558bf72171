"""The public data page's figures, kept for every web process; indexes for counting
by week what the portal has sent, taken and been asked.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

INDEXES = (("ix_outbox_messages_sent_at", "outbox_messages", "sent_at"),
           ("ix_payments_created_at", "payments", "created_at"),
           ("ix_review_requests_created_at", "review_requests", "created_at"))


def upgrade() -> None:
    op.create_table(
        "published_figures",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("body", sa.Text()),
        sa.Column("computed_at", UTCDateTime()),
        sa.Column("refreshing_until", UTCDateTime()),
    )
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table)
    op.drop_table("published_figures")
