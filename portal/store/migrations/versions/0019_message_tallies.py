"""Tallies of the messages sent, by day, channel and language, kept when the outbox
clears the messages themselves.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message_tallies",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("channel", sa.String(10), primary_key=True),
        sa.Column("language", sa.String(5), primary_key=True),
        sa.Column("sent", sa.Integer(), nullable=False),
        sa.Column("delivered", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("message_tallies")
