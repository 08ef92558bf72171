"""Alerts about visits as they happen, had only by choice: every account already
stored has them stopped (the kinds of message it has stopped gain them) until its
holder chooses them; quiet hours, and whether a missed visit may be told at any hour.
New columns that may be empty, and a text column added to: nothing is lost.

Also the alerts sent, one a visit, kind and address: however often the council's feed
repeats itself, or however many workers read it, each is sent once.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

ALERTS = "visit-late visit-missed visit-changed"


def upgrade() -> None:
    # Columns added in place (ALTER TABLE ... ADD COLUMN, on SQLite too): other tables
    # refer to accounts, so it is not copied to a new table as a batch would.
    op.add_column("accounts", sa.Column("quiet_from", sa.Integer(), nullable=True))
    op.add_column("accounts", sa.Column("quiet_until", sa.Integer(), nullable=True))
    op.add_column("accounts", sa.Column("missed_any_hour", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))
    op.execute(sa.text("UPDATE accounts SET stopped = TRIM(stopped || ' ' || :alerts)")
               .bindparams(alerts=ALERTS))
    op.create_table(
        "visit_alerts_sent",
        sa.Column("visit_id", sa.String(80), primary_key=True),
        sa.Column("kind", sa.String(20), primary_key=True),
        sa.Column("address", sa.String(320), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("visit_alerts_sent")
    for column in ("missed_any_hour", "quiet_until", "quiet_from"):
        op.drop_column("accounts", column)  # SQLite 3.35 and later drop a column in place
    op.execute(sa.text("UPDATE accounts SET stopped = TRIM(REPLACE(REPLACE(REPLACE(stopped, "
                       "'visit-late', ''), 'visit-missed', ''), 'visit-changed', ''))"))
