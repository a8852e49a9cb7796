"""exercises: syndicates of one scenario set up together, and who set them up

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exercise_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("syndicate", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("created_by", sa.Integer(), nullable=True))
        batch_op.create_index("ix_games_exercise_id", ["exercise_id"], unique=False)
        batch_op.create_foreign_key(
            "fk_games_created_by_users", "users", ["created_by"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.drop_constraint("fk_games_created_by_users", type_="foreignkey")
        batch_op.drop_index("ix_games_exercise_id")
        batch_op.drop_column("created_by")
        batch_op.drop_column("syndicate")
        batch_op.drop_column("exercise_id")
