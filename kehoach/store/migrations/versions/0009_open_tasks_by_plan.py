"""a province's open tasks and counts read plan by plan (issue 14: its dashboard after a change)

Revision ID: 0009_open_tasks_by_plan
Revises: 0008_reports
Create Date: 2026-12-07 08:30:00

The overdue and due-soon lists of one province walked the country's open tasks by deadline (a
sequential scan of every task span: 150 ms nationally); an index by plan reads only its plans'.
Its counts per plan were a scan of the country's tallies too (30 ms).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_open_tasks_by_plan"
down_revision = "0008_reports"
branch_labels = None
depends_on = None

OPEN_TASKS = (
    "until IS NULL AND live = {t} AND done_on IS NULL AND due IS NOT NULL AND recurring = {f} AND waiting = {f}"
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    where = sa.text(OPEN_TASKS.format(t="true", f="false") if postgres else OPEN_TASKS.format(t="1", f="0"))
    op.create_index(
        "ix_task_states_open_plan",
        "task_states",
        ["plan_id", "due", "position"],
        postgresql_where=where,
        sqlite_where=where,
    )
    op.create_index("ix_tally_province", "summary_tally", ["province", "kind", "plan_id"])


def downgrade() -> None:
    op.drop_index("ix_tally_province", table_name="summary_tally")
    op.drop_index("ix_task_states_open_plan", table_name="task_states")
