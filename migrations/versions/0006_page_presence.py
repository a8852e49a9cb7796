"""page presence: each serving process's open pages, for control's console

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 17:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "page_presence",
        sa.Column("process_id", sa.String(length=32), nullable=False),
        sa.Column("game_id", sa.String(length=32), nullable=False),
        sa.Column("viewer_key", sa.String(length=100), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("process_id", "game_id", "viewer_key"),
    )
    op.create_index("ix_page_presence_game_id", "page_presence", ["game_id"])


def downgrade() -> None:
    op.drop_index("ix_page_presence_game_id", table_name="page_presence")
    op.drop_table("page_presence")
