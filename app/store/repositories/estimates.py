"""Queries on staff estimates and on a game's switch for them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.store.models import Game, StaffEstimate


class EstimateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, estimate: StaffEstimate) -> StaffEstimate:
        self.session.add(estimate)
        self.session.flush()
        return estimate

    def get(self, estimate_id: int) -> StaffEstimate | None:
        return self.session.get(StaffEstimate, estimate_id)

    def running(self, game_id: str, since: float) -> list[StaffEstimate]:
        """The game's estimates still being played, asked after `since` (older ones were
        lost with a process that stopped)."""
        return list(
            self.session.scalars(
                select(StaffEstimate).where(
                    StaffEstimate.game_id == game_id,
                    StaffEstimate.status == "running",
                    StaffEstimate.asked_at >= since,
                )
            )
        )

    def of_game(self, game_id: str, nation_id: str | None = None) -> list[StaffEstimate]:
        """Newest first; one nation's if `nation_id` is given."""
        query = select(StaffEstimate).where(StaffEstimate.game_id == game_id)
        if nation_id is not None:
            query = query.where(StaffEstimate.nation_id == nation_id)
        return list(self.session.scalars(query.order_by(StaffEstimate.id.desc())))

    def progress(self, estimate_id: int, done: int) -> None:
        self.session.execute(
            update(StaffEstimate)
            .where(StaffEstimate.id == estimate_id, StaffEstimate.status == "running")
            .values(done=done)
        )

    def finish(
        self,
        estimate_id: int,
        status: str,
        finished_at: float,
        result: dict[str, Any] | None = None,
        done: int | None = None,
    ) -> None:
        values: dict[str, Any] = {"status": status, "finished_at": finished_at, "result": result}
        if done is not None:
            values["done"] = done
        self.session.execute(
            update(StaffEstimate)
            .where(StaffEstimate.id == estimate_id, StaffEstimate.status == "running")
            .values(**values)
        )

    def cancel(self, estimate_id: int, finished_at: float) -> bool:
        """Mark it cancelled if it is still running (its worker stops at its next chunk)."""
        changed = self.session.execute(
            update(StaffEstimate)
            .where(StaffEstimate.id == estimate_id, StaffEstimate.status == "running")
            .values(status="cancelled", finished_at=finished_at)
        )
        return bool(getattr(changed, "rowcount", 0))

    def status(self, estimate_id: int) -> str | None:
        return self.session.scalar(
            select(StaffEstimate.status).where(StaffEstimate.id == estimate_id)
        )

    def allowed(self, game_id: str) -> bool | None:
        """Whether the game allows estimates; None for no such game."""
        return self.session.scalar(select(Game.estimates_allowed).where(Game.id == game_id))

    def set_allowed(self, game_id: str, allowed: bool) -> None:
        self.session.execute(
            update(Game).where(Game.id == game_id).values(estimates_allowed=allowed)
        )

    def count(self, game_id: str) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(StaffEstimate)
                .where(StaffEstimate.game_id == game_id)
            )
            or 0
        )
