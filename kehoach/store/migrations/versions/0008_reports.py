"""report settings and per-department report submissions (issue 12)

Revision ID: 0008_reports
Revises: 0007_web_review
Create Date: 2026-12-07 01:00:00

Reserved so that parallel work keeps one linear history; empty until its change lands.
"""

from __future__ import annotations

revision = "0008_reports"
down_revision = "0007_web_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
