"""Fixtures for the bot tests: scenarios and their opening states (no database)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.bots.simulate import opening_state
from app.rules.state import GameState
from app.scenarios.loader import ScenarioInvalid, load_scenario

SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"
MERIDIAN = SCENARIOS_DIR / "meridian-strait.yaml"
SCENARIO_FILES = sorted(SCENARIOS_DIR.glob("*.yaml"))


def load_or_skip(path: Path) -> Any:
    """A scenario of the shipped folder; skipped while its author has it in an invalid
    state (validity is the scenario tests' business)."""
    try:
        return load_scenario(path)
    except ScenarioInvalid as invalid:
        pytest.skip(f"{path.name} is invalid right now: {invalid.errors[0]}")


@pytest.fixture(scope="session")
def meridian() -> Any:
    return load_scenario(MERIDIAN)


@pytest.fixture(scope="session")
def meridian_state(meridian: Any) -> GameState:
    return opening_state(meridian, seed=1)
