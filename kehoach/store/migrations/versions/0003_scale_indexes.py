"""indexes for a national register: the audit log read by kind since an id, and by record; plans by province

Revision ID: 0003_scale_indexes
Revises: 0002_web
Create Date: 2026-12-02 02:05:00

With millions of audit entries, `entity = 'task' AND id > :last` (what changed since the
pages were computed) and `entity = 'task' AND entity_id = :id` (a task's history) each
scanned every task entry through the one-column index (130 ms and 13 ms at 560,000 entries);
the two-column indexes answer them from the index alone.
"""

from __future__ import annotations

from alembic import op

revision = "0003_scale_indexes"
down_revision = "0002_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_entity_since", "audit_log", ["entity", "id"])
    op.create_index("ix_audit_log_entity_record", "audit_log", ["entity", "entity_id", "id"])
    op.create_index("ix_plans_province", "plans", ["province"])


def downgrade() -> None:
    op.drop_index("ix_plans_province", table_name="plans")
    op.drop_index("ix_audit_log_entity_record", table_name="audit_log")
    op.drop_index("ix_audit_log_entity_since", table_name="audit_log")
