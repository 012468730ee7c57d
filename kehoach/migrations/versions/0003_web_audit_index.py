"""web: index the audit log by (entity, id), so the last change of each kind is one lookup

Revision ID: 0003_web_audit_index
Revises: 0002_web
Create Date: 2026-12-02 01:45:00
"""

from __future__ import annotations

from alembic import op

revision = "0003_web_audit_index"
down_revision = "0002_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_kind_last", "audit_log", ["entity", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_kind_last", table_name="audit_log")
