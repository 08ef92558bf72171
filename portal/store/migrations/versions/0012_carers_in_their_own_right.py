"""Carers in their own right: when someone said they look after someone, and the
carer's needs assessments they asked for.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.add_column(sa.Column("carer_since", UTCDateTime()))
    op.create_table(
        "carer_assessment_requests",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("carer_person_id", sa.String(64)),
        sa.Column("carer_name", sa.String(200), nullable=False),
        sa.Column("cared_for_name", sa.String(200), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("backoffice_id", sa.String(64)),
        sa.Column("received_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_carer_assessment_requests_account_id", "carer_assessment_requests",
                    ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_carer_assessment_requests_account_id", "carer_assessment_requests")
    op.drop_table("carer_assessment_requests")
    with op.batch_alter_table("accounts") as table:
        table.drop_column("carer_since")
