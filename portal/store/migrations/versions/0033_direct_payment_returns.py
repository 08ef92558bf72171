"""Returns of a direct payment's spending sent through the portal (their receipts are
request files). A new table: nothing already stored changes.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "direct_payment_returns",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("token", sa.String(36), nullable=False, unique=True),
        sa.Column("person_id", sa.String(64), nullable=False, index=True),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("period_id", sa.String(64), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("spending", sa.Text(), nullable=False),
        sa.Column("told_by_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("told_by_name", sa.String(200), nullable=False),
        sa.Column("backoffice_id", sa.String(64)),
        sa.Column("received_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("direct_payment_returns")
