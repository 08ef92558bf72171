"""How each person wants to hear from us, and where.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.add_column(sa.Column("contact_by", sa.String(10), nullable=False,
                                   server_default="email"))
        table.add_column(sa.Column("contact_email", sa.String(320)))
        table.add_column(sa.Column("contact_phone", sa.String(32)))
        table.add_column(sa.Column("undeliverable", sa.String(10)))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.drop_column("undeliverable")
        table.drop_column("contact_phone")
        table.drop_column("contact_email")
        table.drop_column("contact_by")
