"""Missed and late visits people report through the portal.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visit_reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("visit_id", sa.String(100), nullable=False),
        sa.Column("visit_start", UTCDateTime(), nullable=False),
        sa.Column("what_happened", sa.String(20), nullable=False),
        sa.Column("at_risk", sa.Boolean(), nullable=False),
        sa.Column("details", sa.Text()),
        sa.Column("reported_by_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("reported_by_name", sa.String(200), nullable=False),
        sa.Column("backoffice_id", sa.String(64)),
        sa.Column("received_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_visit_reports_person_id", "visit_reports", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_visit_reports_person_id", "visit_reports")
    op.drop_table("visit_reports")
