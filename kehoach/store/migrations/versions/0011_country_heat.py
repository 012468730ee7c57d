"""the country's tasks per department counted once (issue 14: the admin's dashboard)

Revision ID: 0011_country_heat
Revises: 0010_tally_by_kind
Create Date: 2026-12-07 15:10:00

The country's dashboard added up its tasks per department and status from every province's
rows (212,760 nationally, 130 ms after a change). Kept as rows of their own (`plan_id` -1,
24,561), as the write path keeps them from now on; here added up from the provinces' rows.
"""

from __future__ import annotations

from alembic import op

revision = "0011_country_heat"
down_revision = "0010_tally_by_kind"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO summary_tally (plan_id, province, kind, key, bucket, day, sent, ends, n) "
        "SELECT -1, '', 'heat', key, bucket, day, sent, ends, SUM(n) FROM summary_tally "
        "WHERE plan_id = 0 AND kind = 'heat' GROUP BY key, bucket, day, sent, ends HAVING SUM(n) <> 0"
    )


def downgrade() -> None:
    op.execute("DELETE FROM summary_tally WHERE plan_id = -1")
