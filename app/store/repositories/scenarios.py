"""Queries on stored scenario versions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.store.models import ScenarioVersion


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
        return self.session.scalars(
            select(ScenarioVersion)
            .where(ScenarioVersion.scenario_id == scenario_id)
            .order_by(ScenarioVersion.id.desc())
            .limit(1)
        ).one_or_none()

    def add(self, version: ScenarioVersion) -> None:
        self.session.add(version)
        self.session.flush()

    def list_latest(self) -> Sequence[ScenarioVersion]:
        rows = self.session.scalars(select(ScenarioVersion).order_by(ScenarioVersion.id)).all()
        latest: dict[str, ScenarioVersion] = {}
        for row in rows:
            latest[row.scenario_id] = row
        return list(latest.values())
