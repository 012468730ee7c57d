"""evidence files: a task's output and an update's attachments (issue 13); background upload jobs

Revision ID: 0006_evidence
Revises: 0005_shared_summaries
Create Date: 2026-12-07 01:00:00

`evidence_files` names the files kept outside the database (in the files folder, by SHA-256);
`web_jobs` holds each uploaded plan's extraction: its state and progress, seen by every server
process and kept across a restart.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_evidence"
down_revision = "0005_shared_summaries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("task_id", sa.Integer(), sa.ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("update_id", sa.Integer(), sa.ForeignKey("progress_updates.id", ondelete="CASCADE"), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_evidence_files_task_id", "evidence_files", ["task_id"])
    op.create_index("ix_evidence_files_update_id", "evidence_files", ["update_id"])
    op.create_index("ix_evidence_files_sha256", "evidence_files", ["sha256"])
    op.create_table(
        "web_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("draft_id", sa.Integer(), sa.ForeignKey("web_drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("stage", sa.String(40), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(20), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("input", sa.String(100), nullable=False),
        sa.Column("owner", sa.String(200), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_web_jobs_draft_id", "web_jobs", ["draft_id"])
    op.create_index("ix_web_jobs_state", "web_jobs", ["state"])


def downgrade() -> None:
    op.drop_table("web_jobs")
    op.drop_table("evidence_files")
