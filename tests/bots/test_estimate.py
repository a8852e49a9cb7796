"""The staff estimate: blind to what the nation may not see, honest about its spread,
and a what-if that compares drafts on the same dice."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.bots.estimate import (
    EstimateRefused,
    Share,
    compare,
    estimate,
    game_seeds,
    play,
    prepare,
    summarise,
)
from app.bots.simulate import opening_state
from app.rules.state import GameState, Phase
from app.scenarios.loader import load_scenario
from tests.rules.conftest import MERIDIAN
from tests.rules.hidden_changes import ME, commit_first_open, hidden_changes

RUNS = 24


@pytest.fixture(scope="module")
def opening() -> GameState:
    scenario = load_scenario(MERIDIAN)
    return commit_first_open(opening_state(scenario, seed=3), ME)


def test_the_estimate_is_blind_to_what_the_nation_may_not_see(opening: GameState) -> None:
    mine = estimate(opening, ME, runs=RUNS, seed=5)
    for what, changed in hidden_changes(opening).items():
        assert estimate(changed, ME, runs=RUNS, seed=5) == mine, what


def test_the_estimate_reads_the_nations_own_orders(opening: GameState) -> None:
    (unit, operation), *_ = estimate(opening, ME, runs=1).orders
    assert opening.commitment(unit) is not None
    assert operation == opening.commitments_of(ME)[0].operation_id
    forecast = estimate(opening, ME, runs=RUNS).operation(operation)
    assert forecast is not None and forecast.mine
    shares = (forecast.success, forecast.partial, forecast.failure, forecast.not_attempted)
    assert sum(s.hits for s in shares) == RUNS


def test_every_share_states_its_interval_and_more_games_narrow_it() -> None:
    for hits, n in [(0, 10), (3, 10), (10, 10), (60, 200)]:
        low, high = Share(hits, n).interval
        assert 0 <= low <= hits / n <= high <= 1
    assert Share(120, 400).margin < Share(30, 100).margin < Share(3, 10).margin


def test_more_forces_on_an_operation_raise_its_estimated_success(opening: GameState) -> None:
    operation = opening.commitments_of(ME)[0].operation_id
    nation = opening.nation(ME)
    assert nation is not None
    everything = {u.id: operation for u in nation.units}
    current, drafted = compare(opening, ME, everything, runs=60, seed=2)
    assert drafted.refused == () or len(drafted.refused) < len(everything)
    before, after = current.operation(operation), drafted.operation(operation)
    assert before is not None and after is not None
    gain = (after.success.p + after.partial.p / 2) - (before.success.p + before.partial.p / 2)
    # The same dice for both: the difference is the orders'. Margin: the two intervals.
    assert gain > before.success.margin, (before, after)


def test_a_draft_the_rules_refuse_says_which_unit_and_why(opening: GameState) -> None:
    nation = opening.nation(ME)
    assert nation is not None
    drafted = estimate(opening, ME, runs=2, draft={nation.units[0].id: "no-such-operation"})
    assert drafted.refused and drafted.refused[0][0] == nation.units[0].id
    assert drafted.refused[0][1]  # a rejection code the page words


def test_an_estimate_can_be_cancelled_and_covers_the_games_played(opening: GameState) -> None:
    seen: list[int] = []

    def progress(done: int, runs: int) -> bool:
        seen.append(done)
        return done < 5

    cancelled = estimate(opening, ME, runs=50, progress=progress)
    assert cancelled.runs == 5 and seen == [1, 2, 3, 4, 5]


def test_an_estimate_is_refused_outside_the_orders_phase(opening: GameState) -> None:
    with pytest.raises(EstimateRefused, match="orders phase"):
        estimate(replace(opening, phase=Phase.ADJUDICATION), ME, runs=2)
    with pytest.raises(EstimateRefused, match="no nation"):
        estimate(opening, "atlantis", runs=2)
    with pytest.raises(EstimateRefused, match="runs"):
        estimate(opening, ME, runs=0)


def test_a_whole_game_estimate_plays_to_the_end(opening: GameState) -> None:
    whole = estimate(opening, ME, runs=4, horizon="game")
    turn = estimate(opening, ME, runs=4, horizon="turn")
    assert whole.horizon == "game" and whole.runs == 4
    # Objectives are judged at the end of the game in one, after this turn in the other.
    assert [o.objective_id for o in whole.objectives] == [o.objective_id for o in turn.objectives]


def test_games_played_in_chunks_add_up_to_the_same_estimate(opening: GameState) -> None:
    start, _refused = prepare(opening, ME, seed=9)
    seeds = game_seeds(9, 12)
    whole = play(start, ME, seeds)
    chunked = play(start, ME, seeds[:5]).merge(play(start, ME, seeds[5:]))
    options = {"horizon": "turn", "seed": 9, "others": "cooperative", "refused": ()}
    assert summarise(chunked, start, ME, **options) == summarise(whole, start, ME, **options)  # type: ignore[arg-type]
    assert summarise(whole, start, ME, **options) == estimate(opening, ME, runs=12, seed=9)  # type: ignore[arg-type]
