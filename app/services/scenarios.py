"""Use cases on scenarios: load the library from disk into the store.

`opening_state` lives in `app.scenarios.build`; it is re-exported here for older imports.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from app.scenarios.build import opening_state
from app.scenarios.loader import ScenarioError, parse_scenario, validate_paths
from app.scenarios.schema import Scenario
from app.store.database import Database
from app.store.models import ScenarioVersion
from app.store.repositories.scenarios import ScenarioRepository

__all__ = ["ScenarioService", "ScenarioSummary", "SyncReport", "opening_state"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScenarioSummary:
    """One scenario of the library, as its latest stored version describes it."""

    scenario_id: str
    title: str
    summary: str
    version: int
    nations: list[tuple[str, str]]  # (id, name)
    turns: int
    orders_seconds: int


@dataclass(frozen=True)
class SyncReport:
    added: list[str]
    unchanged: list[str]
    errors: list[ScenarioError]


class ScenarioService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def sync_directory(self, directory: Path) -> SyncReport:
        """Store every valid scenario file whose exact text is not stored yet."""
        errors = validate_paths([directory])
        bad_files = {e.file for e in errors}
        added: list[str] = []
        unchanged: list[str] = []
        paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
        with self.database.write() as session:
            repository = ScenarioRepository(session)
            for path in paths:
                if str(path) in bad_files:
                    continue
                source = path.read_text(encoding="utf-8")
                scenario = parse_scenario(source, str(path))
                digest = hashlib.sha256(source.encode()).hexdigest()
                if repository.by_sha(scenario.id, digest) is not None:
                    unchanged.append(scenario.id)
                    continue
                repository.add(
                    ScenarioVersion(
                        scenario_id=scenario.id,
                        version=scenario.version,
                        title=scenario.title,
                        source=source,
                        sha256=digest,
                    )
                )
                added.append(scenario.id)
        for error in errors:
            log.warning("scenario not loaded: %s", error)
        return SyncReport(added, unchanged, errors)

    def load_version(self, version: ScenarioVersion) -> Scenario:
        return parse_scenario(version.source, f"{version.scenario_id} v{version.version}")

    def catalogue(self) -> list[ScenarioSummary]:
        """The latest version of every stored scenario, by title."""
        with self.database.read() as session:
            versions = ScenarioRepository(session).list_latest()
            summaries = []
            for version in versions:
                scenario = self.load_version(version)
                summaries.append(
                    ScenarioSummary(
                        scenario_id=scenario.id,
                        title=scenario.title,
                        summary=scenario.summary,
                        version=version.version,
                        nations=[(n.id, n.name) for n in scenario.nations],
                        turns=scenario.turns,
                        orders_seconds=scenario.orders_seconds,
                    )
                )
        return sorted(summaries, key=lambda s: s.title)
