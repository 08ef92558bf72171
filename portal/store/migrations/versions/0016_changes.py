"""Changes people tell the council about through the portal.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("journey", sa.String(36), nullable=False, unique=True),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("told_by_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("told_by_name", sa.String(200), nullable=False),
        sa.Column("backoffice_id", sa.String(64)),
        sa.Column("received_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_changes_person_id", "changes", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_changes_person_id", "changes")
    op.drop_table("changes")
