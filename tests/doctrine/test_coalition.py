"""Doctrine tests for what a coalition adds and what token forces do not: one-factor
comparisons on the Gulf case study (gulf-1990), measured on operations completed and on
the domestic support that carrying them cost, each printing its effect size and margin.

The honest arm is the scenario's own "integrated" strategy: every member cooperating,
each with its historical intents, under one integrated command (a well-run coalition).
The games are played on both cores in this module's own pool (`play_some`), because some
arms let only some nations act. 100 games a side: with the spreads these measures have
(a standard deviation of about one operation, or half a share), an effect of half an
operation, or of 20 points of a share, is more than 3.5 standard errors; the effects
measured here are larger.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest

from app import rules
from app.bots.measures import RunResult
from app.bots.simulate import NationPlan, StrategyPlan
from app.scenarios.loader import load_scenario
from tests.doctrine.ablation import effect, play_some
from tests.doctrine.conftest import SCENARIOS, opening

SCENARIO = "gulf-1990"
RUNS = 100
STRONGEST = "usa"
LIBERATED = ({"kind": "operation_succeeds", "target": "liberate-kuwait"},)

pytestmark = [pytest.mark.montecarlo, pytest.mark.timeout(600)]


@cache
def base() -> rules.GameState:
    return opening(SCENARIO)


@cache
def honest_plan() -> dict[str, NationPlan]:
    scenario = load_scenario(SCENARIOS / f"{SCENARIO}.yaml")
    strategy = next(s for s in scenario.strategies if s.id == "integrated")
    return dict(StrategyPlan.from_scenario(strategy).nations)


def _integrated(state: rules.GameState) -> rules.GameState:
    return replace(
        state, coalitions=tuple(replace(c, command="integrated") for c in state.coalitions)
    )


@cache
def honest_games() -> tuple[RunResult, ...]:
    return tuple(
        play_some(_integrated(base()), honest_plan(), RUNS, "integrated", checks=LIBERATED)
    )


@cache
def lone_games() -> tuple[RunResult, ...]:
    """The strongest nation, with the same plan, and no coalition: it acts alone,
    unmandated, on every operation; the others do nothing."""
    alone = replace(base(), coalitions=())
    plan = {STRONGEST: honest_plan()[STRONGEST]}
    return tuple(play_some(alone, plan, RUNS, checks=LIBERATED))


def _completed(result: RunResult) -> float:
    return float(result.operations_succeeded)


def _liberated(result: RunResult) -> float:
    return float(bool(result.historical))


def test_token_forces_complete_fewer_operations_than_honest_contributions() -> None:
    # Only what each nation sends changes: its cheapest unit to every open operation,
    # or the forces the operations it aims at need. Same coalition, command and seeds.
    token = {n: NationPlan("token", plan.intents) for n, plan in honest_plan().items()}
    token_games = play_some(_integrated(base()), token, RUNS, "integrated")
    measured = effect(honest_games(), token_games, _completed)
    print(f"operations completed, honest vs token forces: {measured}")
    assert measured.clear(), measured


def test_a_token_unit_on_every_operation_completes_nothing() -> None:
    # The exploit: Kuwait sends one unit to each operation, everyone else idle
    # (it used to complete Desert Shield in 30% of games). Its units are under the
    # table's minimum force ratio or capability match: no effect, so no progress.
    games = play_some(base(), {"kuwait": NationPlan("token")}, RUNS)
    completed = sum(r.operations_succeeded for r in games) / len(games)
    print(f"operations completed by Kuwait's token forces alone: {completed:.2f} per game")
    assert completed == 0


def test_a_well_run_coalition_completes_more_than_the_strongest_nation_alone() -> None:
    # The strongest nation has every capability the operations need; the coalition adds
    # legitimacy (its mandate, the host nation, regional partners), local knowledge,
    # complementary forces and shared costs.
    measured = effect(honest_games(), lone_games(), _completed)
    print(f"operations completed, integrated coalition vs the United States alone: {measured}")
    assert measured.clear(), measured


def test_liberating_kuwait_succeeds_more_often_in_a_well_run_coalition() -> None:
    measured = effect(honest_games(), lone_games(), _liberated)
    print(f"Liberation of Kuwait completed, integrated coalition vs alone: {measured}")
    assert measured.clear(), measured


def test_a_well_run_coalition_costs_the_strongest_nation_less_support() -> None:
    measured = effect(honest_games(), lone_games(), lambda r: r.final_support[STRONGEST])
    print(f"US domestic support at the end, in the coalition vs alone: {measured}")
    assert measured.clear(), measured
