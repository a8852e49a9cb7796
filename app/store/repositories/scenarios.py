"""Queries on stored scenario versions.

A scenario's stored versions are numbered 1, 2, 3... per ``scenario_id`` in the order they
were stored (``ScenarioService`` picks the number; see ``app.services.scenarios``), so the
most recently stored row is also the highest-numbered one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.store.models import Game, ScenarioVersion


@dataclass(frozen=True)
class GameOnVersion:
    """A game and the stored scenario version it is pinned to."""

    game_id: str
    name: str
    status: str
    version_id: int
    version: int


class ScenarioRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_sha(self, scenario_id: str, sha256: str) -> ScenarioVersion | None:
        return self.session.scalars(
            select(ScenarioVersion).where(
                ScenarioVersion.scenario_id == scenario_id, ScenarioVersion.sha256 == sha256
            )
        ).one_or_none()

    def get(self, version_id: int) -> ScenarioVersion | None:
        return self.session.get(ScenarioVersion, version_id)

    def latest(self, scenario_id: str) -> ScenarioVersion | None:
        """The version stored last: the one a new game of this scenario starts from."""
        return self.session.scalars(
            select(ScenarioVersion)
            .where(ScenarioVersion.scenario_id == scenario_id)
            .order_by(ScenarioVersion.id.desc())
            .limit(1)
        ).one_or_none()

    def highest_version(self, scenario_id: str) -> int | None:
        """The highest version number stored for a scenario (None: none stored)."""
        return self.session.scalars(
            select(func.max(ScenarioVersion.version)).where(
                ScenarioVersion.scenario_id == scenario_id
            )
        ).one()

    def version(self, scenario_id: str, number: int) -> ScenarioVersion | None:
        """Version ``number`` of a scenario. Numbers are unique per scenario for everything
        the library stores; should an older database hold two rows with one number, the
        one stored last answers."""
        return self.session.scalars(
            select(ScenarioVersion)
            .where(ScenarioVersion.scenario_id == scenario_id, ScenarioVersion.version == number)
            .order_by(ScenarioVersion.id.desc())
            .limit(1)
        ).one_or_none()

    def versions_of(self, scenario_id: str) -> Sequence[ScenarioVersion]:
        """Every stored version of a scenario, oldest first."""
        return self.session.scalars(
            select(ScenarioVersion)
            .where(ScenarioVersion.scenario_id == scenario_id)
            .order_by(ScenarioVersion.id)
        ).all()

    def version_counts(self) -> dict[str, int]:
        """How many versions of each scenario are stored."""
        rows = self.session.execute(
            select(ScenarioVersion.scenario_id, func.count()).group_by(ScenarioVersion.scenario_id)
        ).all()
        return {scenario_id: count for scenario_id, count in rows}

    def _pinned(self, scenario_id: str | None) -> list[tuple[str, GameOnVersion]]:
        query = (
            select(
                ScenarioVersion.scenario_id,
                Game.id,
                Game.name,
                Game.status,
                ScenarioVersion.id,
                ScenarioVersion.version,
            )
            .join(ScenarioVersion, Game.scenario_version_id == ScenarioVersion.id)
            .order_by(Game.created_at.desc(), Game.id)
        )
        if scenario_id is not None:
            query = query.where(ScenarioVersion.scenario_id == scenario_id)
        return [
            (scenario, GameOnVersion(game_id, name, status, version_id, version))
            for scenario, game_id, name, status, version_id, version in self.session.execute(query)
        ]

    def games_using(self, scenario_id: str) -> list[GameOnVersion]:
        """The games pinned to a version of a scenario, newest first."""
        return [game for _, game in self._pinned(scenario_id)]

    def games_by_scenario(self) -> dict[str, list[GameOnVersion]]:
        """Every game, newest first, grouped by the scenario it was started from."""
        grouped: dict[str, list[GameOnVersion]] = {}
        for scenario_id, game in self._pinned(None):
            grouped.setdefault(scenario_id, []).append(game)
        return grouped

    def add(self, version: ScenarioVersion) -> None:
        self.session.add(version)
        self.session.flush()

    def list_latest(self) -> Sequence[ScenarioVersion]:
        rows = self.session.scalars(select(ScenarioVersion).order_by(ScenarioVersion.id)).all()
        latest: dict[str, ScenarioVersion] = {}
        for row in rows:
            latest[row.scenario_id] = row
        return list(latest.values())
