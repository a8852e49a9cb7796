"""messages by channel, and how far each seat has read each channel

Messages live in the event log (`message_sent`), not in the state: `game_events.channel_id`
(indexed with the game and seq) lets a channel's messages be paged without reading the
whole log, and `channel_reads` keeps each seat's read marker per channel (unread counts).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("game_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_id", sa.String(length=100), nullable=True))
        batch_op.create_index(
            "ix_game_events_channel", ["game_id", "channel_id", "seq"], unique=False
        )
    # Messages sent before this migration: their channel is in the event's data.
    if op.get_bind().dialect.name == "postgresql":
        extract = "data->>'channel_id'"
    else:
        extract = "json_extract(data, '$.channel_id')"
    op.execute(f"UPDATE game_events SET channel_id = {extract} WHERE kind = 'message_sent'")

    op.create_table(
        "channel_reads",
        sa.Column("game_id", sa.String(length=32), nullable=False),
        sa.Column("nation_id", sa.String(length=100), nullable=False),
        sa.Column("channel_id", sa.String(length=100), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["game_id"], ["games.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("game_id", "nation_id", "channel_id"),
    )


def downgrade() -> None:
    op.drop_table("channel_reads")
    with op.batch_alter_table("game_events", schema=None) as batch_op:
        batch_op.drop_index("ix_game_events_channel")
        batch_op.drop_column("channel_id")
