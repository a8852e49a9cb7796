"""instructor sessions and throttle attempts, both shared by every serving process

Sessions: the cookie carries a random token; a row per signed-in browser makes it valid,
so signing out and removing an account end it everywhere. Throttle attempts: the counted
wrong passwords and join codes, per key, so replicas share one count.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "instructor_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("last_seen_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_instructor_sessions_user_id", "instructor_sessions", ["user_id"])
    op.create_index("ix_instructor_sessions_expires_at", "instructor_sessions", ["expires_at"])
    op.create_table(
        "throttle_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_throttle_attempts_key_at", "throttle_attempts", ["key", "at"])
    op.create_index("ix_throttle_attempts_at", "throttle_attempts", ["at"])


def downgrade() -> None:
    op.drop_index("ix_throttle_attempts_at", table_name="throttle_attempts")
    op.drop_index("ix_throttle_attempts_key_at", table_name="throttle_attempts")
    op.drop_table("throttle_attempts")
    op.drop_index("ix_instructor_sessions_expires_at", table_name="instructor_sessions")
    op.drop_index("ix_instructor_sessions_user_id", table_name="instructor_sessions")
    op.drop_table("instructor_sessions")
