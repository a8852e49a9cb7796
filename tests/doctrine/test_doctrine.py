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
from app.rules.state import Coalition, Relation
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


def _with_relations(state: rules.GameState, trust: int, alignment: int) -> rules.GameState:
    return replace(
        state,
        relations=tuple(
            Relation(r.nation, r.other, trust, alignment, r.cooperation) for r in state.relations
        ),
    )


def test_compatible_coalitions_succeed_more_often_than_incompatible_ones() -> None:
    # Compatibility as the seeds assess it: common standards and procedures, aligned
    # interests and trust. Compatible: one standard, trust and alignment 70 between all.
    # Incompatible: every nation its own standard, trust 35, alignment 30. Same forces,
    # same objectives, same cooperative players.
    state = base()
    compatible = _with_relations(
        replace(
            state,
            nations=tuple(replace(n, interoperability="common") for n in state.nations),
        ),
        trust=70,
        alignment=70,
    )
    incompatible = _with_relations(
        replace(state, nations=tuple(replace(n, interoperability=n.id) for n in state.nations)),
        trust=35,
        alignment=30,
    )
    good = play_many(compatible, "cooperative")
    bad = play_many(incompatible, "cooperative")
    ok, numbers = clearly_greater(good, bad, lambda r: r.success_rate)
    print(f"success rate, compatible vs incompatible: {numbers}")
    assert ok, numbers


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
    # players keep the command structure they start with. Only the structure differs.
    state = base()
    operations = tuple(o.id for o in state.operations)

    def with_command(command: str) -> rules.GameState:
        coalition = Coalition(
            id="reach-coalition",
            name="Reach Coalition",
            lead=state.nations[0].id,
            members=tuple(n.id for n in state.nations),
            command=command,  # type: ignore[arg-type]
            mandate="un",
            cohesion=60,
            operations=operations,
        )
        return replace(state, coalitions=(coalition,))

    results = {
        command: play_many(
            with_command(command),
            StrategyPlan.everyone("cooperative", command=command),  # type: ignore[arg-type]
        )
        for command in (better, worse)
    }
    ok, numbers = clearly_greater(results[better], results[worse], lambda r: r.success_rate)
    print(f"success rate, {better} vs {worse} command: {numbers}")
    assert ok, numbers


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
