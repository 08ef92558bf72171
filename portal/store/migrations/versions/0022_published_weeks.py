"""Each dataset's rows for a week that is over, kept as first published so that they
never change (a figure that changed as people act could be differenced).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "published_weeks",
        sa.Column("dataset", sa.String(40), primary_key=True),
        sa.Column("week_start", sa.Date(), primary_key=True),
        sa.Column("rows", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("published_weeks")
