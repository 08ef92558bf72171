"""When the holder of a care record was last told that someone tried to link a
sign-in to it, so they hear at most once a day.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.add_column(sa.Column("link_attempt_told_at", UTCDateTime()))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.drop_column("link_attempt_told_at")
