"""Turn states and counterfactual branches (GameService.branch), on the real database."""

from __future__ import annotations

import pytest

from app import rules
from app.rules.control import ResumeClock
from app.services.errors import NotFound
from app.services.games import GameService
from tests.conftest import Clock, now_at
from tests.services.helpers import join_all, play_turn

SCENARIO = "meridian-strait"


def test_a_branch_replays_a_past_turn_with_the_same_rolls(games: GameService, clock: Clock) -> None:
    created = games.create_game(SCENARIO, seed=11, name="Original")
    join_all(games, created)
    assert games.branchable_turns(created.game_id) == [1]
    play_turn(games, created.game_id)
    assert games.snapshot(created.game_id).state.turn == 2
    assert games.branchable_turns(created.game_id) == [1, 2]

    clock.advance(500)
    branch = games.branch(created.game_id, 1)
    assert branch.name == "Original — branch from turn 1"
    assert {s.token for s in branch.seats}.isdisjoint({s.token for s in created.seats})
    state = games.snapshot(branch.game_id).state
    assert (state.turn, state.phase, state.commitments, state.ready) == (
        1,
        rules.Phase.ORDERS,
        (),
        frozenset(),
    )
    assert all(n.controller == "vacant" for n in state.nations)
    # Paused until control starts it: nobody has the new links yet.
    assert state.deadline is None and state.paused_remaining == state.orders_seconds
    first = games.latest_events(branch.game_id, 5)[-1].event
    assert first.kind == "game_branched" and first.data["from_turn"] == 1

    # The same orders meet the same rolls: the branch's turn 1 is the original's.
    games.control(branch.game_id, ResumeClock(at=now_at(games, branch.game_id)))
    join_all(games, branch)
    play_turn(games, branch.game_id)
    original = games.snapshot(created.game_id).state.outcomes_of_turn(1)
    replayed = games.snapshot(branch.game_id).state.outcomes_of_turn(1)
    assert replayed == original

    with pytest.raises(NotFound):
        games.branch(created.game_id, 3)
