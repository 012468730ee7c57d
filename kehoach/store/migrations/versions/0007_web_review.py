"""the web application's review queue, audit filters and other indexes of issue 13/15

Revision ID: 0007_web_review
Revises: 0006_evidence
Create Date: 2026-12-07 01:00:00

Reserved so that parallel work keeps one linear history; empty until its change lands.
"""

from __future__ import annotations

revision = "0007_web_review"
down_revision = "0006_evidence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
