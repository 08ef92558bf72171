"""Payments through GOV.UK Pay, and the webhook messages Pay sent about them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(64), nullable=False, index=True),
        sa.Column("person_name", sa.String(200), nullable=False),
        sa.Column("invoice_id", sa.String(64), nullable=False, index=True),
        sa.Column("invoice_number", sa.String(64), nullable=False),
        sa.Column("live_invoice_id", sa.String(64), unique=True),
        sa.Column("amount_pence", sa.Integer, nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("made_by_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("made_by_name", sa.String(200), nullable=False),
        sa.Column("pay_payment_id", sa.String(64), unique=True),
        sa.Column("next_url", sa.Text),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("finished", sa.Boolean, nullable=False),
        sa.Column("failure_code", sa.String(8)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("paid_at", UTCDateTime()),
        sa.Column("recorded_at", UTCDateTime()),
    )
    op.create_table(
        "pay_webhook_messages",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("payment_id", sa.String(64), nullable=False, index=True),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("pay_webhook_messages")
    op.drop_table("payments")
