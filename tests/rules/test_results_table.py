"""The combat results table: its shape, the "no effect" floor, and that every outcome's
shown factors and the shown table reproduce the thresholds its roll was read against."""

from __future__ import annotations

import math
import random
from functools import cache
from pathlib import Path

import pytest

from app import rules
from app.bots.simulate import StrategyPlan, opening_state, play_game
from app.rules import Accepted, CommitUnit, apply
from app.rules.resolution.adjudication import resolve_operation
from app.rules.resolution.tuning import MIN_CAPABILITY_MATCH, MIN_FORCE_RATIO, RESULTS_TABLE
from app.rules.state import Outcome
from app.rules.wording import words
from app.rules.wording.changes import FactorName, OutcomeReason
from app.scenarios.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_the_table_rises_column_by_column_from_no_effect() -> None:
    first, *columns = RESULTS_TABLE
    assert (first.lowest, first.success, first.partial) == (0.0, 0.0, 0.0)
    previous = first
    for column in columns:
        assert column.lowest > previous.lowest
        assert column.success > previous.success  # success grows with the column
        assert column.partial >= previous.partial  # and so does a partial result
        assert column.success + column.partial < 1  # a failure stays possible
        previous = column
    assert len({c.label for c in RESULTS_TABLE}) == len(RESULTS_TABLE)


def _read(outcome: Outcome) -> tuple[str, float]:
    """The column and the score as a player reads them off the shown factors and table."""
    shown = [f for f in outcome.factors if f.name != FactorName.CONTROL_ADJUDICATION]
    values = {f.name: f.value for f in shown}
    effectiveness = math.prod(v for name, v in values.items() if name != FactorName.FORCE_RATIO)
    force_ratio = values[FactorName.FORCE_RATIO]
    score = effectiveness * force_ratio
    if values[FactorName.CAPABILITY_MATCH] < MIN_CAPABILITY_MATCH or force_ratio < MIN_FORCE_RATIO:
        return RESULTS_TABLE[0].label, score
    return [c for c in RESULTS_TABLE if score >= c.lowest][-1].label, score


@cache
def _played_outcomes() -> tuple[tuple[rules.GameState, Outcome], ...]:
    """Every outcome of a few bot games of each shipped scenario, honest and hawkish."""
    found = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        state = opening_state(load_scenario(path), seed=3)
        for personality in ("cooperative", "hawk", "free_rider"):
            plan = StrategyPlan.everyone(personality)
            final = play_game(state, plan.bots(state), seed=3)
            found.extend((final, o) for o in final.outcomes if o.roll is not None)
    return tuple(found)


def test_every_outcomes_shown_factors_and_table_reproduce_its_roll() -> None:
    outcomes = _played_outcomes()
    assert len(outcomes) > 100
    columns = {c.label: c for c in RESULTS_TABLE}
    seen = set()
    for state, outcome in outcomes:
        label, score = _read(outcome)
        column = columns[label]
        seen.add(label)
        params = outcome.summary.params
        assert params["column"] == label, (outcome.operation_id, params, label)
        assert math.isclose(params["score"], score)
        assert (outcome.probability_success, outcome.probability_partial) == (
            column.success,
            column.partial,
        )
        assert outcome.roll is not None
        expected = (
            "success"
            if outcome.roll < column.success
            else "partial"
            if outcome.roll < column.success + column.partial
            else "failure"
        )
        assert outcome.result == expected
        said = words(outcome.summary, state)
        assert f"column {label}" in said and f"roll {outcome.roll:.2f}" in said
        if label == RESULTS_TABLE[0].label:
            assert outcome.summary.code == OutcomeReason.NO_EFFECT and "no effect" in said
        else:
            assert outcome.summary.code == OutcomeReason.ROLLED
            assert f"{column.success:.0%} success, {column.partial:.0%} partial" in said
    # The games reach the table's low, middle and high columns, not one corner of it.
    assert len(seen) >= 5, seen


def _commit(state: rules.GameState, *orders: tuple[str, str, str]) -> rules.GameState:
    for nation, unit, operation in orders:
        result = apply(state, nation, CommitUnit(unit, operation))
        assert isinstance(result, Accepted), result
        state = result.state
    return state


@pytest.mark.parametrize("seed", range(20))
def test_a_token_unit_with_no_matching_capability_makes_no_progress(seed: int) -> None:
    state = opening_state(load_scenario(SCENARIOS / "gulf-1990.yaml"), seed=seed)
    state = _commit(state, ("syria", "syr-special-forces", "maritime-interception"))
    operation = state.operation("maritime-interception")
    assert operation is not None
    outcome = resolve_operation(state, operation, random.Random(seed))
    assert (outcome.probability_success, outcome.probability_partial) == (0.0, 0.0)
    assert outcome.result == "failure"
    assert outcome.summary.code == OutcomeReason.NO_EFFECT
    assert "capability match 0.00 is under the minimum" in words(outcome.summary, state)


def test_more_force_and_more_effectiveness_never_lower_the_odds() -> None:
    previous = (0.0, 0.0)
    for step in range(0, 60):
        score = step * 0.05
        column = [c for c in RESULTS_TABLE if score >= c.lowest][-1]
        assert column.success >= previous[0] and column.partial >= previous[1]
        previous = (column.success, column.partial)
