"""Each payment gets a short reference of the portal's own (PY-H4TN-9BWC) for the
receipt; Pay's 26-character id stays as a secondary detail. Payments made before
this get one too.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

from portal.services import references

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

payments = sa.table("payments", sa.column("id", sa.String), sa.column("reference", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("payments") as table:
        table.add_column(sa.Column("reference", sa.String(12), nullable=True))
    connection = op.get_bind()
    for (payment_id,) in connection.execute(sa.select(payments.c.id)).all():
        connection.execute(payments.update().where(payments.c.id == payment_id)
                           .values(reference=references.new(references.PAYMENT)))
    with op.batch_alter_table("payments") as table:
        table.alter_column("reference", existing_type=sa.String(12), nullable=False)
        table.create_unique_constraint("uq_payments_reference", ["reference"])


def downgrade() -> None:
    with op.batch_alter_table("payments") as table:
        table.drop_constraint("uq_payments_reference", type_="unique")
        table.drop_column("reference")
