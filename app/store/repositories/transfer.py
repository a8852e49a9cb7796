"""Queries that move one whole game between databases (`entente export` / `entente import`).

The game row, its seats and its turn states have their own queries in
`app.store.repositories.games`; these are the rest: every event of a game at once, and
the channel read markers as rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import ChannelRead, GameEvent, TurnState


class TransferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def events_up_to(self, game_id: str, last_seq: int) -> Sequence[GameEvent]:
        """Every event of the game up to `last_seq`, oldest first (an event logged after
        the game row was read belongs to a later snapshot, not this one)."""
        return self.session.scalars(
            select(GameEvent)
            .where(GameEvent.game_id == game_id, GameEvent.seq <= last_seq)
            .order_by(GameEvent.seq)
        ).all()

    def channel_reads(self, game_id: str) -> Sequence[ChannelRead]:
        return self.session.scalars(
            select(ChannelRead)
            .where(ChannelRead.game_id == game_id)
            .order_by(ChannelRead.nation_id, ChannelRead.channel_id)
        ).all()

    def add_channel_reads(self, rows: Sequence[ChannelRead]) -> None:
        self.session.add_all(rows)
        self.session.flush()

    def add_turn_states(self, rows: Sequence[TurnState]) -> None:
        self.session.add_all(rows)
        self.session.flush()
