"""Monte Carlo runs: measures of a game, summaries, strategies and historical checks."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from app.bots.intents import Intents
from app.bots.simulate import (
    RunResult,
    StrategyPlan,
    UnknownStrategy,
    check_outcome,
    historical_checks,
    opening_state,
    peak_escalation,
    simulate,
    simulate_scenario,
    strategy_for,
    summarise,
)
from app.rules.state import Coalition, Escalation, GameState, TurnRecord
from app.scenarios.loader import load_scenario
from tests.bots.conftest import MERIDIAN, SCENARIOS_DIR, load_or_skip
from tests.bots.helpers import historical_meridian


def assert_sane(result: RunResult, state: GameState) -> None:
    assert 0.0 <= result.success_rate <= 1.0
    assert 0 <= result.operations_succeeded <= result.operations_attempted <= len(state.operations)
    assert 0.0 <= result.mean_cohesion <= 100.0
    assert result.peak_escalation >= max(result.final_escalation, state.escalation.level)
    assert set(result.burden_share) == {n.id for n in state.nations}
    assert all(0.0 <= share <= 1.0 for share in result.burden_share.values())
    spent = sum(result.burden_share.values())
    assert math.isclose(spent, 1.0) or spent == 0.0
    assert all(0.0 <= trust <= 100.0 for trust in result.trust_in.values())
    assert result.rejections == 0
    assert result.turns == state.turns


def test_simulate_gives_one_sane_result_per_run(meridian_state: GameState) -> None:
    results = simulate(meridian_state, "cooperative", 4, seed=10)
    assert [r.seed for r in results] == [10, 11, 12, 13]
    for result in results:
        assert_sane(result, meridian_state)
        assert result.historical is None  # no historical outcome given
        assert result.coalitions >= 1 and result.mean_cohesion > 0
        assert result.pledges_broken == 0 and result.pledges_honoured > 0
    assert len({r.success_rate for r in results} | {r.final_escalation for r in results}) > 1
    # The same seeds give the same results.
    assert simulate(meridian_state, "cooperative", 4, seed=10) == results


def test_summarise_averages_the_runs(meridian_state: GameState) -> None:
    results = simulate(meridian_state, {"cardosa": "free_rider"}, 5, seed=1)
    summary = summarise(results, "custom")
    assert summary.runs == 5 and summary.strategy == "custom"
    assert summary.success_rate == pytest.approx(sum(r.success_rate for r in results) / 5)
    assert summary.success_rate_low <= summary.success_rate <= summary.success_rate_high
    assert summary.peak_escalation_max == max(r.peak_escalation for r in results)
    assert summary.peak_escalation_mean <= summary.peak_escalation_max
    assert math.isclose(sum(summary.burden_share.values()), 1.0)
    assert 0.0 <= summary.dissolved_rate <= 1.0
    assert summary.pledges_broken == sum(r.pledges_broken for r in results) > 0
    assert summary.historical_runs is None and summary.historical_rate is None
    assert summary.rejections == 0
    empty = summarise([])
    assert empty.runs == 0 and empty.success_rate == 0.0


def test_without_any_coalition_mean_cohesion_is_zero(meridian_state: GameState) -> None:
    [result] = simulate(meridian_state, "free_rider", 1, seed=1)
    assert result.coalitions == 0
    assert result.mean_cohesion == 0.0
    assert result.final_cohesion == {} and result.coalitions_dissolved == ()


@pytest.mark.parametrize(
    "name",
    [
        "northern-reach",
        "gulf-1990",
        "crimea-2014",
        "haiyan-2013",
        "unasur",
        "provide-comfort-1991",
        "vietnam-1965",
    ],
)
def test_bigger_scenarios_simulate_sanely(name: str) -> None:
    path = SCENARIOS_DIR / f"{name}.yaml"
    if not path.exists():
        pytest.skip(f"{name} is not in this tree")
    scenario = load_or_skip(path)
    plan, results = simulate_scenario(scenario, None, runs=1, seed=3)
    state = opening_state(scenario)
    assert_sane(results[0], state)
    checks = historical_checks(scenario)
    assert (results[0].historical is None) == (not checks)
    if checks:
        assert plan.id == "historical"


# --- historical outcomes ---------------------------------------------------------------


def test_a_historical_scenario_is_checked_at_the_end_of_each_run(tmp_path: Path) -> None:
    always = [{"kind": "escalation_at_most", "value": 10}]
    never = [{"kind": "escalation_at_most", "value": 0}]
    for checks, expected in ((always, True), (never, False)):
        scenario = load_scenario(historical_meridian(tmp_path, checks))
        plan, results = simulate_scenario(scenario, None, runs=2, seed=1)
        assert plan.id == "historical"
        assert plan.plan_for("cardosa").personality == "dove"
        assert plan.plan_for("arvenia").personality == "cooperative"  # not listed
        assert [r.historical for r in results] == [expected, expected]
        summary = summarise(results)
        assert summary.historical_runs == (2 if expected else 0)
        assert summary.historical_rate == (1.0 if expected else 0.0)


@pytest.fixture
def ended(meridian_state: GameState) -> GameState:
    """A finished game, hand-made: open-lane completed, northern-watch failed, one
    coalition standing at 55, one dissolved, escalation peaked at 6 and ended at 4."""
    state = meridian_state
    state = state.replace_operation(
        replace(state.operation("open-lane"), status="completed", progress=1)  # type: ignore[type-var]
    )
    state = state.replace_operation(
        replace(state.operation("northern-watch"), status="failed")  # type: ignore[type-var]
    )
    standing = Coalition(
        "allies", "Allies", "arvenia", ("arvenia", "lindmark"), "integrated", "none", 55
    )
    fallen = Coalition(
        "pact", "Pact", "cardosa", ("cardosa",), "parallel", "none", 10, dissolved_turn=2
    )
    record = TurnRecord(2, 6, {}, {}, {}, {}, {}, {})
    return replace(
        state,
        coalitions=(standing, fallen),
        escalation=Escalation(level=4, max=10, threshold=7, peak=6),
        records=(record,),
        nations=tuple(
            replace(n, domestic_support=s) for n, s in zip(state.nations, (60, 40, 80), strict=True)
        ),
    )


@pytest.mark.parametrize(
    ("check", "holds"),
    [
        ({"kind": "operation_succeeds", "target": "open-lane"}, True),
        ({"kind": "operation_succeeds", "target": "northern-watch"}, False),
        ({"kind": "operation_succeeds", "target": "saltmarsh-relief"}, False),
        ({"kind": "operation_succeeds", "target": "atlantis"}, False),
        ({"kind": "escalation_at_most", "value": 6}, True),
        ({"kind": "escalation_at_most", "value": 5}, False),  # the peak counts, not the end
        ({"kind": "cohesion_at_least", "target": "allies", "value": 55}, True),
        ({"kind": "cohesion_at_least", "target": "allies", "value": 56}, False),
        ({"kind": "cohesion_at_least", "target": "pact", "value": 5}, False),  # dissolved
        ({"kind": "cohesion_at_least", "value": 50}, True),  # any coalition
        ({"kind": "coalition_dissolved", "target": "pact"}, True),
        ({"kind": "coalition_dissolved", "target": "allies"}, False),
        ({"kind": "coalition_dissolved", "target": "atlantis"}, False),
        ({"kind": "support_at_least", "target": "arvenia", "value": 60}, True),
        ({"kind": "support_at_least", "target": "cardosa", "value": 41}, False),
        ({"kind": "support_at_least", "target": "*", "value": 40}, True),
        # Other spellings of the fields.
        ({"kind": "operation_succeeds", "operation": "open-lane"}, True),
        ({"kind": "escalation_at_most", "level": 6}, True),
        ({"kind": "support_at_least", "nation_id": "lindmark", "value": 80}, True),
    ],
)
def test_check_outcome(ended: GameState, check: dict[str, Any], holds: bool) -> None:
    assert check_outcome(ended, check) is holds


def test_check_outcome_reads_scenario_models_and_refuses_unknown_kinds(
    ended: GameState,
) -> None:
    class Check:
        kind = "escalation_at_most"
        target = ""
        value = 6.0

    assert check_outcome(ended, Check()) is True
    assert peak_escalation(ended) == 6
    with pytest.raises(ValueError, match="unknown historical outcome check"):
        check_outcome(ended, {"kind": "peace_in_our_time"})


# --- strategies ------------------------------------------------------------------------


def test_strategy_names(meridian: Any, meridian_state: GameState, tmp_path: Path) -> None:
    strategies = {s.id for s in meridian.strategies}
    if "mixed" in strategies:
        mixed = strategy_for(meridian, "mixed")
        assert mixed.id == "mixed" and mixed.nations
    if "historical" not in strategies:
        assert strategy_for(meridian, None).default == "cooperative"
    hawks = strategy_for(meridian, "hawk")
    assert {hawks.plan_for(n.id).personality for n in meridian_state.nations} == {"hawk"}
    profile = strategy_for(meridian, "profile", meridian_state)
    expected = {"alliance": "cooperative", "pragmatic": "cooperative", "cautious": "dove"}
    for nation in meridian_state.nations:
        if nation.profile in expected:
            assert profile.plan_for(nation.id).personality == expected[nation.profile]
    with pytest.raises(UnknownStrategy, match=r"choose one of: .*free_rider"):
        strategy_for(meridian, "appeasement")


def test_a_scenario_strategy_brings_intents_and_command() -> None:
    plan = StrategyPlan.from_scenario(
        {
            "id": "historical",
            "name": "As it happened",
            "command": "parallel",
            "nations": {
                "arvenia": {
                    "personality": "hawk",
                    "aims": {"regions": ["meridian-narrows"], "collective": False},
                    "red_lines": {"regions": ["saltmarsh"], "coalition_with": ["lindmark"]},
                    "seeks": {"coalition_with": ["cardosa"], "mandate": True, "burden": "pays"},
                }
            },
        }
    )
    bots = plan.bots(opening_state(load_scenario(MERIDIAN)))
    assert type(bots["arvenia"]).__name__ == "Hawk"
    assert bots["arvenia"].intents == Intents(
        regions=("meridian-narrows",),
        collective=False,
        no_regions=("saltmarsh",),
        shuns=("lindmark",),
        partners=("cardosa",),
        mandate=True,
        pays=True,
    )
    assert bots["arvenia"].command == "parallel"
    assert bots["cardosa"].intents == Intents()
    assert type(bots["cardosa"]).__name__ == "Cooperative"
    with pytest.raises(UnknownStrategy):
        StrategyPlan.from_scenario({"id": "x", "nations": {"arvenia": {"personality": "ogre"}}})
