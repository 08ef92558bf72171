"""Accounts linked to care records, and server-side sessions.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("identity_sub", sa.String(255), nullable=False, unique=True),
        sa.Column("email", sa.String(320)),
        sa.Column("phone_number", sa.String(32)),
        sa.Column("person_id", sa.String(64), unique=True),
        sa.Column("language", sa.String(2)),
        sa.Column("link_failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("link_locked_until", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("linked_at", UTCDateTime()),
    )
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("id_token", sa.Text),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime()),
    )
    op.create_index("ix_user_sessions_account_id", "user_sessions", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_user_sessions_account_id", "user_sessions")
    op.drop_table("user_sessions")
    op.drop_table("accounts")
