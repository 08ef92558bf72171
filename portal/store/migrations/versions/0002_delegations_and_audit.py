"""Delegations a person grants in the portal, and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delegations",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(64), nullable=False, index=True),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("granted_by_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("actor_account_id", sa.String(36), sa.ForeignKey("accounts.id"), index=True),
        sa.Column("invitee_name", sa.String(200), nullable=False),
        sa.Column("invitee_contact", sa.String(320), nullable=False),
        sa.Column("relationship", sa.String(100), nullable=False),
        sa.Column("basis", sa.String(20), nullable=False),
        sa.Column("scopes", sa.String(100), nullable=False),
        sa.Column("code_hash", sa.String(64), unique=True),
        sa.Column("code_expires_at", UTCDateTime()),
        sa.Column("redeemed_at", UTCDateTime()),
        sa.Column("ends_on", sa.Date),
        sa.Column("revoked_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("person_id", sa.String(64), nullable=False, index=True),
        sa.Column("actor_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("actor_role", sa.String(20), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("delegations")
