"""per-plan summaries, login throttling and other shared state kept in the database (issue 14)

Revision ID: 0005_shared_summaries
Revises: 0004_session_generation
Create Date: 2026-12-07 01:00:00

Reserved so that parallel work keeps one linear history; empty until its change lands.
"""

from __future__ import annotations

revision = "0005_shared_summaries"
down_revision = "0004_session_generation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
