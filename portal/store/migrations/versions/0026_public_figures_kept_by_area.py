"""A council's public figures are kept week by week for each area (each council
served, and every council together), so that one council's week is kept as first
published whatever another's does: a kept week's rows are under the dataset's name
and the area's GSS code (`home-care-visits:W06000002`), and every row names its area.
The weeks already kept are the figures of the one council the deployment served
before, COUNCIL_CODE, which `db-upgrade` hands this migration.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06
"""

import json

import sqlalchemy as sa
from alembic import context, op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

# The datasets counted by each council's back office, one row a week.
COUNCIL_WEEKLY = ("care-at-home", "home-care-visits", "hours-of-care", "waiting-for-care",
                  "carers-assessments")
# The councils' names as the public figures give them (portal/councils.py, as it
# stood at this revision).
AREA = ("area_code", "area_name_en", "area_name_cy")


def upgrade() -> None:
    bind = op.get_bind()
    kept = bind.execute(sa.text(
        "SELECT dataset, week_start, rows FROM published_weeks WHERE dataset IN :names")
        .bindparams(sa.bindparam("names", expanding=True)), {"names": list(COUNCIL_WEEKLY)}
    ).all()
    if not kept:
        return
    council = context.config.attributes.get("council")
    if council is None:
        raise RuntimeError("The database holds published figures: set COUNCIL_CODE to the "
                           "council whose figures they are, then upgrade again.")
    from portal.councils import WALES

    welsh, english = WALES[council]
    area = dict(zip(AREA, (council, english, welsh), strict=True))
    for dataset, week_start, rows in kept:
        bind.execute(sa.text(
            "INSERT INTO published_weeks (dataset, week_start, rows) "
            "VALUES (:dataset, :week_start, :rows)").bindparams(
            dataset=f"{dataset}:{council}", week_start=week_start,
            rows=json.dumps([{**area, **row} for row in json.loads(rows)])))
    bind.execute(sa.text("DELETE FROM published_weeks WHERE dataset IN :names")
                 .bindparams(sa.bindparam("names", expanding=True)),
                 {"names": list(COUNCIL_WEEKLY)})


def downgrade() -> None:
    bind = op.get_bind()
    for dataset in COUNCIL_WEEKLY:
        # The release before keeps one council's weeks: the first council's are kept
        # as they were, without their area; every other area's go.
        kept = bind.execute(sa.text(
            "SELECT dataset, week_start, rows FROM published_weeks WHERE dataset LIKE :like")
            .bindparams(like=f"{dataset}:%")).all()
        firsts = {}
        for name, week_start, rows in kept:
            found = json.loads(rows)
            code = name.split(":", 1)[1]
            if code != "W92000004" and week_start not in firsts:
                firsts[week_start] = [{k: v for k, v in row.items() if k not in AREA}
                                      for row in found]
        bind.execute(sa.text("DELETE FROM published_weeks WHERE dataset LIKE :like")
                     .bindparams(like=f"{dataset}:%"))
        for week_start, rows in firsts.items():
            bind.execute(sa.text(
                "INSERT INTO published_weeks (dataset, week_start, rows) "
                "VALUES (:dataset, :week_start, :rows)").bindparams(
                dataset=dataset, week_start=week_start, rows=json.dumps(rows)))
