"""game archive: control files an ended game away, off the control home's main list

A column, not a status value: `games.status` follows the game's state on every write
(a seat joined after the end writes "ended" again), so it cannot hold the archive mark.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Adding a nullable column: SQLite does it in place (no copy of the games table).
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("games", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
