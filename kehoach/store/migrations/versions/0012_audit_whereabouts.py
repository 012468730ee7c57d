"""each audit entry with its plan and province (issue 14: the audit page of a quiet province)

Revision ID: 0012_audit_whereabouts
Revises: 0011_country_heat
Create Date: 2026-12-07 18:00:00

A province's audit page tested each entry for a record of the province's plans: quick where
its entries are among the newest, 0.9 s nationally for a province quiet for weeks. Each entry
now carries the plan and the province of its record, as `Core.log` writes them from now on, and
a province's or a plan's entries are read newest first from an index. Existing entries are
given theirs here, from their records (one pass over the log).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_audit_whereabouts"
down_revision = "0011_country_heat"
branch_labels = None
depends_on = None

# the plan of the record an entry is about, by its kind (as `_base._whereabouts`)
PLAN = (
    "CASE audit_log.entity"
    " WHEN 'plan' THEN audit_log.entity_id"
    " WHEN 'task' THEN (SELECT plan_id FROM tasks WHERE tasks.id = audit_log.entity_id)"
    " WHEN 'indicator' THEN (SELECT plan_id FROM indicators WHERE indicators.id = audit_log.entity_id)"
    " WHEN 'duty' THEN (SELECT plan_id FROM reporting_duties WHERE reporting_duties.id = audit_log.entity_id)"
    " WHEN 'draft' THEN (SELECT plan_id FROM web_drafts WHERE web_drafts.id = audit_log.entity_id)"
    " END"
)
PROVINCE = (
    "CASE WHEN audit_log.entity = 'draft'"
    " THEN (SELECT province FROM web_drafts WHERE web_drafts.id = audit_log.entity_id)"
    f" ELSE (SELECT province FROM plans WHERE plans.id = {PLAN}) END"
)


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("province", sa.String(length=100), nullable=True))
    # one pass: every entry rewritten once
    op.execute(
        f"UPDATE audit_log SET plan_id = {PLAN}, province = {PROVINCE} "
        "WHERE entity IN ('plan', 'task', 'indicator', 'duty', 'draft')"
    )
    op.create_index("ix_audit_log_province", "audit_log", ["province", "id"])
    op.create_index("ix_audit_log_plan", "audit_log", ["plan_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_plan", table_name="audit_log")
    op.drop_index("ix_audit_log_province", table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("province")
        batch.drop_column("plan_id")
