"""Every record the portal holds is named by its council as well as its id: each
stored id a back office gave becomes a key, the council's GSS code, a colon, then the
id (portal/records.py). The rows already here all came from the one council the
deployment served before, COUNCIL_CODE, which `db-upgrade` hands this migration.
A carer's assessment request also says which council it was asked of.

Re-keying changes rows the release before cannot read: upgrade across this revision
with the web processes and workers stopped (docs/runbook.md, "Upgrading").

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06
"""

import json

import sqlalchemy as sa
from alembic import context, op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

# Each column holding an id a back office gave (the audit log's included: this is
# its only change, the same for every row, so that it reads as it always did).
KEYED = (("accounts", "person_id"), ("delegations", "person_id"),
         ("audit_events", "person_id"), ("audit_counts", "person_id"),
         ("review_requests", "person_id"), ("payments", "person_id"),
         ("payments", "live_invoice_id"), ("carer_assessment_requests", "carer_person_id"),
         ("carer_assessment_requests", "backoffice_id"), ("visit_reports", "person_id"),
         ("changes", "person_id"), ("sent_messages", "person_id"),
         ("council_messages", "id"), ("council_messages", "person_id"),
         ("message_reads", "message_id"))
FEED = "messages-from-council"
KEYED_LIKE = "W06______:%"
BY_POST = "person:"  # a letter's recipient: whose address it goes to


def upgrade() -> None:
    council = _council()
    op.add_column("carer_assessment_requests", sa.Column(
        "council", sa.String(9), nullable=False, server_default=council or "W06000002"))
    if council is None:
        return  # nothing stored to key (_council made sure)
    for table, column in KEYED:  # names from the tuple above, never from input
        op.execute(sa.text(f"UPDATE {table} SET {column} = :prefix || {column} "  # noqa: S608
                           f"WHERE {column} IS NOT NULL AND {column} NOT LIKE :keyed")
                   .bindparams(prefix=f"{council}:", keyed="%:%"))
    op.execute(sa.text("UPDATE feed_positions SET name = :keyed WHERE name = :feed")
               .bindparams(keyed=f"{FEED}:{council}", feed=FEED))
    op.execute(sa.text("UPDATE outbox_messages SET recipient = :prefix || "
                       "substr(recipient, :after) WHERE channel = 'letter' "
                       "AND recipient NOT LIKE :keyed")
               .bindparams(prefix=f"{BY_POST}{council}:", after=len(BY_POST) + 1,
                           keyed=f"{BY_POST}%:%"))
    _rekey_sessions(lambda person_id: person_id if ":" in person_id
                    else f"{council}:{person_id}")


def downgrade() -> None:
    for table, column in KEYED:  # a GSS code is 9 characters, then the colon
        op.execute(sa.text(f"UPDATE {table} SET {column} = substr({column}, 11) "  # noqa: S608
                           f"WHERE {column} LIKE :keyed").bindparams(keyed=KEYED_LIKE))
    op.execute(sa.text("UPDATE feed_positions SET name = :feed WHERE name LIKE :keyed")
               .bindparams(feed=FEED, keyed=f"{FEED}:%"))
    rows = op.get_bind().execute(sa.text(
        "SELECT id, recipient FROM outbox_messages WHERE channel = 'letter'")).all()
    for row_id, recipient in rows:
        if recipient.startswith(BY_POST) and ":" in recipient[len(BY_POST):]:
            op.execute(sa.text("UPDATE outbox_messages SET recipient = :r WHERE id = :id")
                       .bindparams(r=BY_POST + recipient[len(BY_POST):].split(":", 1)[1],
                                   id=row_id))
    _rekey_sessions(lambda person_id: person_id.split(":", 1)[-1])
    with op.batch_alter_table("carer_assessment_requests") as batch:
        batch.drop_column("council")


def _council() -> str | None:
    """The council every row already here belongs to: the one `db-upgrade` was given;
    none is needed for a database with no records in it yet."""
    council = context.config.attributes.get("council")
    if council is None and any(op.get_bind().scalar(sa.text(
            f"SELECT count(*) FROM {table} WHERE {column} IS NOT NULL"))  # noqa: S608
            for table, column in KEYED):
        raise RuntimeError("The database holds care records: set COUNCIL_CODE to the "
                           "council whose records they are, then upgrade again.")
    return council


def _rekey_sessions(rekey) -> None:  # type: ignore[no-untyped-def]
    """The person someone is acting for, in what a browser's session holds (JSON)."""
    bind = op.get_bind()
    for session_id, data in bind.execute(sa.text(
            "SELECT id_hash, data FROM browser_sessions WHERE data LIKE :acting")
            .bindparams(acting='%"acting_for"%')).all():
        held = json.loads(data)
        if isinstance(held.get("acting_for"), str):
            held["acting_for"] = rekey(held["acting_for"])
            bind.execute(sa.text("UPDATE browser_sessions SET data = :data WHERE id_hash = :id")
                         .bindparams(data=json.dumps(held), id=session_id))
