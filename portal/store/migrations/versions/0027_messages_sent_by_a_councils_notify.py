"""A message to send names the council whose people it is about, so that a council
with a Notify service of its own sends it (its letters carry its branding). Messages
already written name none, and go by the national service, as they always have.
Adding a column that may be empty rewrites no rows, on PostgreSQL as on SQLite.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages") as table:
        table.add_column(sa.Column("council", sa.String(9), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as table:
        table.drop_column("council")
