"""Use cases on scenarios: load the library from disk, build a game's opening state."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from app import rules
from app.scenarios.loader import ScenarioError, parse_scenario, validate_paths
from app.scenarios.schema import Scenario
from app.store.database import Database
from app.store.models import ScenarioVersion
from app.store.repositories.scenarios import ScenarioRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncReport:
    added: list[str]
    unchanged: list[str]
    errors: list[ScenarioError]


def opening_state(
    scenario: Scenario, *, seed: int, now: float
) -> tuple[rules.GameState, tuple[rules.Event, ...]]:
    """Turn a validated scenario into the rules' opening state."""
    return rules.new_game(
        seed=seed,
        turns=scenario.turns,
        orders_seconds=scenario.orders_seconds,
        regions=tuple(rules.Region(r.id, r.name, r.x, r.y) for r in scenario.map.regions),
        nations=tuple(
            rules.Nation(
                id=n.id,
                name=n.name,
                budget=n.budget,
                domestic_support=n.domestic_support,
                interoperability=n.interoperability,
                caveats=tuple(n.caveats),
                public_objective=n.public_objective,
                secret_objective=n.secret_objective,
                units=tuple(
                    rules.Unit(u.id, u.name, u.capability, u.strength, u.cost) for u in n.units
                ),
            )
            for n in scenario.nations
        ),
        operations=tuple(
            rules.Operation(
                id=o.id,
                name=o.name,
                region=o.region,
                power=o.power,
                difficulty=o.difficulty,
                requirements=tuple(sorted(o.requirements.items())),
                description=o.description,
            )
            for o in scenario.operations
        ),
        escalation=rules.Escalation(
            level=scenario.escalation.start,
            max=scenario.escalation.max,
            threshold=scenario.escalation.threshold,
        ),
        now=now,
    )


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
