"""A sign-in keeps the care records it was linked to before its current one: someone
who moves to another council's area links their new council's record, and their
earlier council's stays within reach. A new table: no row already stored changes.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "earlier_records",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("person_id", sa.String(64), nullable=False, unique=True),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("linked_at", UTCDateTime(), nullable=True),
        sa.Column("moved_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_earlier_records_account_id", "earlier_records", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_earlier_records_account_id", table_name="earlier_records")
    op.drop_table("earlier_records")
