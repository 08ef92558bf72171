"""A review may be of a care and support plan or of a carer's support plan: which,
for each review asked for (those before this were all of care and support plans).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("review_requests") as table:
        table.add_column(sa.Column("plan", sa.String(10), nullable=False, server_default="care"))


def downgrade() -> None:
    with op.batch_alter_table("review_requests") as table:
        table.drop_column("plan")
