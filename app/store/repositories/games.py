"""Queries on games, their seats and their event log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.store.models import Game, GameEvent, Seat


class StaleGame(Exception):
    """The game changed since it was read; the caller re-reads and tries again."""


class GameRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, game_id: str, *, for_update: bool = False) -> Game | None:
        query = select(Game).where(Game.id == game_id)
        if for_update:
            query = query.with_for_update()
        return self.session.scalars(query).one_or_none()

    def add(self, game: Game) -> None:
        self.session.add(game)
        self.session.flush()

    def list_active(self) -> Sequence[Game]:
        return self.session.scalars(
            select(Game).where(Game.status == "active").order_by(Game.created_at.desc())
        ).all()

    def list_all(self) -> Sequence[Game]:
        return self.session.scalars(select(Game).order_by(Game.created_at.desc())).all()

    def due_game_ids(self, now: float) -> Sequence[str]:
        return self.session.scalars(
            select(Game.id).where(Game.status == "active", Game.deadline <= now)
        ).all()

    def save_state(
        self,
        game: Game,
        state: dict[str, Any],
        *,
        deadline: float | None,
        status: str,
        last_seq: int,
    ) -> None:
        """Write a new snapshot if nobody else has since `game.version` was read."""
        result = self.session.execute(
            update(Game)
            .where(Game.id == game.id, Game.version == game.version)
            .values(
                state=state,
                deadline=deadline,
                status=status,
                last_seq=last_seq,
                version=game.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise StaleGame(game.id)
        self.session.expire(game)

    def append_events(self, events: Sequence[GameEvent]) -> None:
        self.session.add_all(events)
        self.session.flush()

    def events_after(self, game_id: str, seq: int, limit: int = 500) -> Sequence[GameEvent]:
        return self.session.scalars(
            select(GameEvent)
            .where(GameEvent.game_id == game_id, GameEvent.seq > seq)
            .order_by(GameEvent.seq)
            .limit(limit)
        ).all()

    def latest_events(self, game_id: str, limit: int) -> Sequence[GameEvent]:
        rows = self.session.scalars(
            select(GameEvent)
            .where(GameEvent.game_id == game_id)
            .order_by(GameEvent.seq.desc())
            .limit(limit)
        ).all()
        return list(reversed(rows))


class SeatRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_all(self, seats: Sequence[Seat]) -> None:
        self.session.add_all(seats)
        self.session.flush()

    def by_token(self, token: str) -> Seat | None:
        return self.session.scalars(select(Seat).where(Seat.token == token)).one_or_none()

    def for_game(self, game_id: str) -> Sequence[Seat]:
        return self.session.scalars(
            select(Seat).where(Seat.game_id == game_id).order_by(Seat.id)
        ).all()
