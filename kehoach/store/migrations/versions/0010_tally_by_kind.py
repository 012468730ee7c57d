"""the country's counts of one kind read from an index (issue 14: the admin's dashboard)

Revision ID: 0010_tally_by_kind
Revises: 0009_open_tasks_by_plan
Create Date: 2026-12-07 15:00:00

The country's dashboard counted its tasks by province and by department from every tally row
(a sequential scan of the table, 100 and 320 ms nationally); an index by kind, holding what
the counts read (PostgreSQL: `INCLUDE`), answers them alone (13 and 130 ms).
"""

from __future__ import annotations

from alembic import op

revision = "0010_tally_by_kind"
down_revision = "0009_open_tasks_by_plan"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_tally_kind",
        "summary_tally",
        ["kind", "plan_id", "key", "bucket", "day"],
        postgresql_include=["province", "n"],
    )


def downgrade() -> None:
    op.drop_index("ix_tally_kind", table_name="summary_tally")
