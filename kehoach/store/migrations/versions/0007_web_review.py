"""the audit log read by person and by day (the web's "Nhật ký" page, issue 13)

Revision ID: 0007_web_review
Revises: 0006_evidence
Create Date: 2026-12-07 01:00:00

The log's page is filtered by who made a change (`actor = :name`, newest first: answered from
`(actor, id)` backwards, however few of a province's entries are that person's) and by a span of
days (the first and last id of the span found through `at`, then read by id).
"""

from __future__ import annotations

from alembic import op

revision = "0007_web_review"
down_revision = "0006_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_log_actor", "audit_log", ["actor", "id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_index("ix_audit_log_actor", table_name="audit_log")
