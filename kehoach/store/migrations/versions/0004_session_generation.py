"""web users: a session generation, so that logging out revokes copies of the session cookie

Revision ID: 0004_session_generation
Revises: 0003_scale_indexes
Create Date: 2026-12-02 03:05:00

Sessions are signed cookies; a cookie carries the generation it was issued under and is
refused once the account's generation moves on (at logout and at a password change).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_session_generation"
down_revision = "0003_scale_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_users") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("web_users") as batch:
        batch.drop_column("session_generation")
