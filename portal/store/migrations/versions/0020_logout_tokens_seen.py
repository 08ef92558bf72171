"""Back-channel logout tokens already acted on, by their jti, until they expire: the
same token sent again ends nothing.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "logout_tokens_seen",
        sa.Column("jti", sa.String(255), primary_key=True),
        sa.Column("forget_after", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("logout_tokens_seen")
