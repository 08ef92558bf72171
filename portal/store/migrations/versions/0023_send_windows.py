"""How many sends each lane of the outbox has made in each short window of time,
shared by every outbox worker, so that together they keep under Notify's rate.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_windows",
        sa.Column("lane", sa.String(20), primary_key=True),
        sa.Column("starts", sa.BigInteger(), primary_key=True),
        sa.Column("sent", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("send_windows")
