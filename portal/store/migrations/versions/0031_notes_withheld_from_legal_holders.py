"""A person may keep visit notes and care workers' names from someone the council
records as holding a legal authority over them, as from someone they let in. A new
table: nothing already stored changes.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes_withheld",
        sa.Column("person_id", sa.String(64), primary_key=True),
        sa.Column("holder_id", sa.String(64), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("notes_withheld")
