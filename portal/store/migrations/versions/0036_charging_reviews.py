"""Asking the council to look again at its decision on a financial assessment. A new
table: nothing already stored changes.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "charging_reviews",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("financial_assessment_id", sa.String(36),
                  sa.ForeignKey("financial_assessments.id"), nullable=False, unique=True),
        sa.Column("person_id", sa.String(64), nullable=False, index=True),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("told_by_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("told_by_name", sa.String(200), nullable=False),
        sa.Column("backoffice_id", sa.String(64)),
        sa.Column("received_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("charging_reviews")
