"""A person may keep what care workers record at each visit, and their names, from
someone they let act for them. Every delegation already stored shows them, as the
`plan` scope always did: a column with a default, which rewrites no row's meaning.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delegations") as table:
        table.add_column(sa.Column("notes_withheld", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("delegations") as table:
        table.drop_column("notes_withheld")
