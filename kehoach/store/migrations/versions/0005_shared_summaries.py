"""per-plan summaries, login throttling and other shared state kept in the database (issue 14)

Revision ID: 0005_shared_summaries
Revises: 0004_session_generation
Create Date: 2026-12-07 01:00:00

What the pages count and list moves from each server process's memory into the database
(`store/summaries.py`): task spans, indicator states, per-plan states and the counts the
dashboards add up. A register migrated here has its summaries computed once, right after the
migration, by `Database.migrate()` (with the code that reads them: `Summaries.ensure`).
Failed logins are counted in `login_throttle` and the session key is shared in
`shared_secrets`, so every server process sees the same.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_shared_summaries"
down_revision = "0004_session_generation"
branch_labels = None
depends_on = None

OPEN_TASKS = (
    "until IS NULL AND live = {t} AND done_on IS NULL AND due IS NOT NULL AND recurring = {f} AND waiting = {f}"
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # plain ALTER TABLE (SQLite 3.35+ too): a batch copy of `tasks` would drop the old table, and
    # with foreign keys on, its updates, extensions and links with it
    op.add_column("tasks", sa.Column("progress_on", sa.Date(), nullable=True))
    op.execute(
        'UPDATE tasks SET progress_on = (SELECT MAX(u."on") FROM progress_updates u '
        "WHERE u.task_id = tasks.id AND u.period IS NULL)"
    )
    op.create_table(
        "task_states",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("original", sa.Date(), nullable=True),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.Column("waiting", sa.Boolean(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("owners", sa.JSON(), nullable=False),
        sa.Column("hay", sa.Text(), nullable=False),
    )
    op.create_index("ix_task_states_task", "task_states", ["task_id", "since"])
    op.create_index("ix_task_states_plan_id", "task_states", ["plan_id"])
    where = sa.text(OPEN_TASKS.format(t="true", f="false") if postgres else OPEN_TASKS.format(t="1", f="0"))
    op.create_index(
        "ix_task_states_open",
        "task_states",
        ["due", "plan_id", "position"],
        postgresql_where=where,
        sqlite_where=where,
    )
    op.create_table(
        "indicator_states",
        sa.Column("indicator_id", sa.Integer(), sa.ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("year_end", sa.Date(), nullable=True),
        sa.Column("before", sa.String(40), nullable=False),
        sa.Column("after", sa.String(40), nullable=False),
        sa.Column("rank_before", sa.Integer(), nullable=False),
        sa.Column("rank_after", sa.Integer(), nullable=False),
        sa.Column("hard", sa.Boolean(), nullable=False),
        sa.Column("hay", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_indicator_states_plan_id", "indicator_states", ["plan_id"])
    op.create_table(
        "plan_states",
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("province", sa.String(100), nullable=False),
        sa.Column("fresh_from", sa.Date(), nullable=True),
        sa.Column("reports_from", sa.Date(), nullable=False),
        sa.Column("reports_until", sa.Date(), nullable=False),
        sa.Column("frequency", sa.String(20), nullable=False),
        sa.Column("growth", sa.JSON(), nullable=True),
        sa.Column("reports", sa.JSON(), nullable=True),
    )
    op.create_index("ix_plan_states_province", "plan_states", ["province"])
    op.create_table(
        "summary_tally",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("province", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("bucket", sa.String(40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("sent", sa.Date(), nullable=False),
        sa.Column("ends", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.UniqueConstraint("plan_id", "province", "kind", "key", "bucket", "day", "sent", "ends", name="uq_tally"),
    )
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wait_until", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_login_throttle_last_at", "login_throttle", ["last_at"])
    op.create_table(
        "shared_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "shared_secrets",
        "login_throttle",
        "summary_tally",
        "plan_states",
        "indicator_states",
        "task_states",
    ):
        op.drop_table(table)
    op.drop_column("tasks", "progress_on")
