"""Carers' emergency plans, and whom the person cared for lets read them. New tables:
nothing already stored changes.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "emergency_plans",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False,
                  index=True),
        sa.Column("carer_name", sa.String(200), nullable=False),
        sa.Column("carer_person_id", sa.String(64)),
        sa.Column("council", sa.String(9), nullable=False),
        sa.Column("cared_for_person_id", sa.String(64), index=True),
        sa.Column("cared_for_name", sa.String(200), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("backoffice_id", sa.String(64)),
        sa.Column("sent_version", sa.Integer()),
        sa.Column("received_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "emergency_plan_readers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("plan_id", sa.String(36), sa.ForeignKey("emergency_plans.id"),
                  nullable=False, index=True),
        sa.Column("delegation_id", sa.String(36), sa.ForeignKey("delegations.id"),
                  nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("plan_id", "delegation_id"),
    )


def downgrade() -> None:
    op.drop_table("emergency_plan_readers")
    op.drop_table("emergency_plans")
