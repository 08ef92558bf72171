"""A carer may ask a person for access to act for them: when they asked, and when
the person said no.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delegations") as table:
        table.add_column(sa.Column("asked_at", UTCDateTime()))
        table.add_column(sa.Column("declined_at", UTCDateTime()))


def downgrade() -> None:
    with op.batch_alter_table("delegations") as table:
        table.drop_column("declined_at")
        table.drop_column("asked_at")
