"""evidence files: a task's output and an update's attachments (issue 13)

Revision ID: 0006_evidence
Revises: 0005_shared_summaries
Create Date: 2026-12-07 01:00:00

Reserved so that parallel work keeps one linear history; empty until its change lands.
"""

from __future__ import annotations

revision = "0006_evidence"
down_revision = "0005_shared_summaries"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
