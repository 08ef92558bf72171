"""Messages people can do without, and stop in one step: what each person has
stopped, the secret in their link to stop them (one for every account, those there
already included), and the link each such email carries.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.add_column(sa.Column("stopped", sa.String(200), nullable=False,
                                   server_default=""))
        table.add_column(sa.Column("stop_token", sa.String(64)))
    accounts = sa.table("accounts", sa.column("id", sa.String), sa.column("stop_token",
                                                                          sa.String))
    connection = op.get_bind()
    for (account_id,) in connection.execute(sa.select(accounts.c.id)).all():
        connection.execute(accounts.update().where(accounts.c.id == account_id)
                           .values(stop_token=secrets.token_urlsafe(24)))
    with op.batch_alter_table("accounts") as table:
        table.alter_column("stop_token", existing_type=sa.String(64), nullable=False)
        table.create_unique_constraint("uq_accounts_stop_token", ["stop_token"])
    with op.batch_alter_table("outbox_messages") as table:
        table.add_column(sa.Column("unsubscribe_url", sa.String(2000)))


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages") as table:
        table.drop_column("unsubscribe_url")
    with op.batch_alter_table("accounts") as table:
        table.drop_constraint("uq_accounts_stop_token", type_="unique")
        table.drop_column("stop_token")
        table.drop_column("stopped")
