"""Messages with the care team: those sent through the portal (with their files,
kept until the council has them), the care team's as the back office's feed names
them, who has read which, and how far the feed has been followed.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from portal.store.models import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_messages",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("token", sa.String(36), nullable=False, unique=True),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(64)),
        sa.Column("subject", sa.String(200)),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sender_account_id", sa.String(36), sa.ForeignKey("accounts.id"),
                  nullable=False),
        sa.Column("sender_name", sa.String(200), nullable=False),
        sa.Column("backoffice_id", sa.String(64)),
        sa.Column("received_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_sent_messages_person_id", "sent_messages", ["person_id"])
    op.create_table(
        "sent_attachments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("message_id", sa.String(36), sa.ForeignKey("sent_messages.id"),
                  nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("content", sa.LargeBinary()),
    )
    op.create_index("ix_sent_attachments_message_id", "sent_attachments", ["message_id"])
    op.create_table(
        "council_messages",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_council_messages_person_id", "council_messages", ["person_id"])
    op.create_table(
        "message_reads",
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("message_id", sa.String(64), primary_key=True),
        sa.Column("read_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "feed_positions",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("next", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feed_positions")
    op.drop_table("message_reads")
    op.drop_index("ix_council_messages_person_id", "council_messages")
    op.drop_table("council_messages")
    op.drop_index("ix_sent_attachments_message_id", "sent_attachments")
    op.drop_table("sent_attachments")
    op.drop_index("ix_sent_messages_person_id", "sent_messages")
    op.drop_table("sent_messages")
