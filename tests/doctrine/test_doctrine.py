"""Doctrine tests: the seed texts' claims, checked over 200 seeded bot games a side.

Every comparison plays the fictional teaching scenario (Northern Reach: seven nations,
three interoperability standards, eight turns) twice over the same 200 seeds, changing
one thing. Each threshold is "larger by more than three standard errors of the
difference" (see `clearly_greater`): chance alone would pass it less than once in a
thousand comparisons, while a real effect of the model passes it with room to spare;
the numbers are printed so the margin can be read in the test log.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import pytest

from app import rules
from app.bots.simulate import NationPlan, RunResult, StrategyPlan
from app.rules.state import Coalition
from tests.doctrine.ablation import effect
from tests.doctrine.conftest import clearly_greater, mean_and_error, opening, play_many

SCENARIO = "northern-reach"

# Monte Carlo: 200 seeded games a side; CI runs these in a step of their own.
pytestmark = [pytest.mark.montecarlo, pytest.mark.timeout(600)]


@cache
def base() -> rules.GameState:
    return opening(SCENARIO)


@cache
def cooperative_games() -> tuple[RunResult, ...]:
    return tuple(play_many(base(), "cooperative"))


def _operations_completed(result: RunResult) -> float:
    return float(result.operations_succeeded)


# Northern Reach's cooperative players complete ~7.6 of its 8 operations: near that
# ceiling a real effect has no room to show. The comparisons on one coalition play a
# harder crisis (every operation's difficulty x 1.4, in both arms alike), where about
# 6.5-7 are completed.
HARDER = 1.4


def _one_coalition(command: str) -> rules.GameState:
    """Every nation in one coalition running every operation from the first turn, under
    `command`: so that operations are fought by several nations together; the crisis made
    `HARDER`."""
    state = base()
    state = replace(
        state,
        operations=tuple(
            replace(o, difficulty=round(o.difficulty * HARDER)) for o in state.operations
        ),
    )
    coalition = Coalition(
        id="reach-coalition",
        name="Reach Coalition",
        lead=state.nations[0].id,
        members=tuple(n.id for n in state.nations),
        command=command,  # type: ignore[arg-type]
        mandate="un",
        cohesion=60,
        operations=tuple(o.id for o in state.operations),
    )
    return replace(state, coalitions=(coalition,))


def test_common_standards_complete_more_operations_than_national_ones() -> None:
    # Only the standards differ (seed: "compatible communication systems, procedures and
    # equipment"): every nation on one common standard, or every nation on its own. Same
    # forces, trust, alignment, objectives, coalition (lead-nation command) and
    # cooperative players; measured on the operations completed.
    state = _one_coalition("lead_nation")
    common = replace(
        state, nations=tuple(replace(n, interoperability="common") for n in state.nations)
    )
    national = replace(
        state, nations=tuple(replace(n, interoperability=n.id) for n in state.nations)
    )
    plan = StrategyPlan.everyone("cooperative", command="lead_nation")
    measured = effect(play_many(common, plan), play_many(national, plan), _operations_completed)
    print(f"operations completed, common vs national standards: {measured}")
    assert measured.clear(), measured


def _free_riders() -> StrategyPlan:
    state = base()
    return StrategyPlan(
        id="free-riders",
        name="every second nation rides free",
        nations={n.id: NationPlan("free_rider") for n in state.nations[1::2]},
        default="cooperative",
    )


@cache
def free_rider_games() -> tuple[RunResult, ...]:
    return tuple(play_many(base(), _free_riders()))


def test_unfair_burden_sharing_lowers_cohesion() -> None:
    fair, unfair = cooperative_games(), free_rider_games()
    ok, numbers = clearly_greater(fair, unfair, lambda r: r.mean_cohesion)
    print(f"mean cohesion, fair vs free riders: {numbers}")
    assert ok, numbers
    # ...and the burden really was shared less fairly: the free riders carried less than
    # their capacity share while the others made up for it.
    riders = set(_free_riders().nations)
    state = base()
    capacity = sum(n.capacity for n in state.nations)
    rider_capacity = sum(n.capacity for n in state.nations if n.id in riders) / capacity
    carried, _ = mean_and_error(
        unfair, lambda r: sum(v for k, v in r.burden_share.items() if k in riders)
    )
    assert carried < rider_capacity, (carried, rider_capacity)


@pytest.mark.parametrize("better,worse", [("integrated", "parallel")])
def test_integrated_command_beats_parallel_command_with_the_same_forces(
    better: str, worse: str
) -> None:
    # One coalition of every nation running every operation from the first turn; the
    # players keep the command structure they start with. Only the structure differs;
    # measured on operations completed (not per-roll rates).
    results = {
        command: play_many(
            _one_coalition(command),
            StrategyPlan.everyone("cooperative", command=command),  # type: ignore[arg-type]
        )
        for command in (better, worse)
    }
    measured = effect(results[better], results[worse], _operations_completed)
    print(f"operations completed, {better} vs {worse} command: {measured}")
    assert measured.clear(), measured


def test_pure_hard_power_escalates_more_than_a_mixed_posture() -> None:
    hard = play_many(base(), "hawk")
    mixed = cooperative_games()
    ok, numbers = clearly_greater(hard, mixed, lambda r: r.peak_escalation)
    print(f"peak escalation, hard power only vs mixed: {numbers}")
    assert ok, numbers


def test_honoured_pledges_raise_trust_and_broken_ones_lower_it() -> None:
    # In the games with free riders, compare how far each nation's partners trust it at
    # the end against the start, for nations that honoured every pledge they made and
    # for nations that broke most of theirs.
    state = base()
    start = {
        n.id: sum(state.trust(o.id, n.id) for o in state.nations if o.id != n.id)
        / (len(state.nations) - 1)
        for n in state.nations
    }
    honoured: list[float] = []
    broken: list[float] = []
    for result in free_rider_games():
        for nation_id, begin in start.items():
            kept = result.pledges_honoured_by.get(nation_id, 0)
            failed = result.pledges_broken_by.get(nation_id, 0)
            change = result.trust_in[nation_id] - begin
            if kept and not failed:
                honoured.append(change)
            elif failed > kept:
                broken.append(change)
    assert len(honoured) > 100 and len(broken) > 100, (len(honoured), len(broken))
    mean_honoured = sum(honoured) / len(honoured)
    mean_broken = sum(broken) / len(broken)
    print(f"trust change, honoured {mean_honoured:+.1f} vs broken {mean_broken:+.1f}")
    assert mean_honoured > 0 > mean_broken
