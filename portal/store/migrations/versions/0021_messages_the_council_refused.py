"""When the council refused a message sent from the portal (a reply to a conversation
that is not the person's, say): the sender is told, and it is not shown as sending.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: the release before this one never writes it.
    op.add_column("sent_messages", sa.Column("refused_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("sent_messages", "refused_at")
