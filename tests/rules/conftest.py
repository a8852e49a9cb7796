"""Fixtures for the pure rules module: a small hand-built game and the Meridian Strait opening.

The hand-built game has three nations with distinct interoperability tags:

- aurora  ("aurora-link"): no caveats, a varied force (land, maritime, air, lift, isr).
- borealis ("boreal-net"): caveat "no-offensive-ground"; land, maritime, medical.
- caldera ("caldera-legacy"): caveat "no-combat"; medical, engineers, cyber, tight budget.

and two operations: "hammerfall" (hard) and "wellspring" (soft).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app import rules
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario

NOW = 1_000_000.0
ORDERS_SECONDS = 600
SEED = 4242
MERIDIAN = Path(__file__).resolve().parents[2] / "scenarios" / "meridian-strait.yaml"


def _nations() -> tuple[rules.Nation, ...]:
    return (
        rules.Nation(
            id="aurora",
            name="Aurora",
            budget=50,
            domestic_support=60,
            interoperability="aurora-link",
            caveats=(),
            public_objective="Keep the sea lanes open.",
            secret_objective="SECRET-AURORA: lead every operation and pay for none of them.",
            units=(
                rules.Unit("aur-guards", "Crimson Guards Brigade", "land", 4, 5),
                rules.Unit("aur-frigates", "Azure Frigate Flotilla", "maritime", 4, 10),
                rules.Unit("aur-jets", "Falcon Strike Wing", "air", 3, 8),
                rules.Unit("aur-lift", "Pelican Transport Group", "lift", 4, 6),
                rules.Unit("aur-eyes", "Owl Reconnaissance Flight", "isr", 2, 3),
            ),
        ),
        rules.Nation(
            id="borealis",
            name="Borealis",
            budget=20,
            domestic_support=70,
            interoperability="boreal-net",
            caveats=("no-offensive-ground",),
            public_objective="Protect the fishing fleet.",
            secret_objective="SECRET-BOREALIS: keep the adversary's gas flowing at any price.",
            units=(
                rules.Unit("bor-rifles", "Tundra Rifle Regiment", "land", 4, 6),
                rules.Unit("bor-corvettes", "Icebreaker Corvette Group", "maritime", 3, 8),
                rules.Unit("bor-medics", "Snowfield Medical Team", "medical", 2, 4),
            ),
        ),
        rules.Nation(
            id="caldera",
            name="Caldera",
            budget=10,
            domestic_support=80,
            interoperability="caldera-legacy",
            caveats=("no-combat",),
            public_objective="Relieve the refugee camps.",
            secret_objective="SECRET-CALDERA: win the election by spending half the budget.",
            units=(
                rules.Unit("cal-hospital", "Volcano Field Hospital", "medical", 3, 4),
                rules.Unit("cal-sappers", "Basalt Engineer Company", "engineers", 2, 4),
                rules.Unit("cal-hackers", "Magma Cyber Cell", "cyber", 1, 3),
            ),
        ),
    )


def _operations() -> tuple[rules.Operation, ...]:
    return (
        rules.Operation(
            id="hammerfall",
            name="Operation Hammerfall",
            region="harbour",
            power="hard",
            difficulty=10,
            requirements=(("air", 2), ("land", 4)),
            description="Seize the harbour forts.",
        ),
        rules.Operation(
            id="wellspring",
            name="Operation Wellspring",
            region="camps",
            power="soft",
            difficulty=6,
            requirements=(("engineers", 2), ("medical", 3)),
            description="Water and medical care for the camps.",
        ),
    )


def build_game(
    *, seed: int = SEED, turns: int = 2, escalation: rules.Escalation | None = None
) -> tuple[rules.GameState, tuple[rules.Event, ...]]:
    return rules.new_game(
        seed=seed,
        turns=turns,
        orders_seconds=ORDERS_SECONDS,
        regions=(
            rules.Region("harbour", "Harbour", 100, 100),
            rules.Region("camps", "Refugee Camps", 300, 400),
        ),
        nations=_nations(),
        operations=_operations(),
        escalation=escalation or rules.Escalation(level=2, max=5, threshold=4),
        now=NOW,
    )


@pytest.fixture
def make_game():
    """A factory for the hand-built game, for tests that need a variant (seed, turns, ladder)."""
    return build_game


@pytest.fixture
def game() -> rules.GameState:
    """The hand-built three-nation game at the start of turn 1 (orders phase)."""
    state, _events = build_game()
    return state


@pytest.fixture(scope="session")
def meridian_scenario():
    return load_scenario(MERIDIAN)


@pytest.fixture
def meridian(meridian_scenario) -> rules.GameState:
    """The opening state of the Meridian Strait scenario."""
    state, _events = opening_state(meridian_scenario, seed=SEED, now=NOW)
    return state
