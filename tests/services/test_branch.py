"""Turn states and counterfactual branches (GameService.branch), on the real database."""

from __future__ import annotations

import pytest

from app import rules
from app.rules.control import ResumeClock
from app.services.errors import NotFound
from app.services.games import GameService
from tests.conftest import Clock, now_at

SCENARIO = "meridian-strait"
NATIONS = ("arvenia", "cardosa", "lindmark")


def _join_all(games: GameService, created: object) -> None:
    for seat in created.seats:  # type: ignore[attr-defined]
        games.join(seat.token)


def _play_turn(games: GameService, game_id: str) -> None:
    turn = games.snapshot(game_id).state.turn
    games.act(
        game_id,
        "arvenia",
        {
            "kind": "commit",
            "unit_id": "arv-1-frigate-sqn",
            "operation_id": "open-lane",
            "turn": turn,
        },
    )
    games.act(
        game_id,
        "lindmark",
        {
            "kind": "commit",
            "unit_id": "lin-field-hospital",
            "operation_id": "saltmarsh-relief",
            "turn": turn,
        },
    )
    for nation in NATIONS:
        games.act(game_id, nation, {"kind": "ready", "ready": True, "turn": turn})


def test_a_branch_replays_a_past_turn_with_the_same_rolls(games: GameService, clock: Clock) -> None:
    created = games.create_game(SCENARIO, seed=11, name="Original")
    _join_all(games, created)
    assert games.branchable_turns(created.game_id) == [1]
    _play_turn(games, created.game_id)
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
    _join_all(games, branch)
    _play_turn(games, branch.game_id)
    original = games.snapshot(created.game_id).state.outcomes_of_turn(1)
    replayed = games.snapshot(branch.game_id).state.outcomes_of_turn(1)
    assert replayed == original

    with pytest.raises(NotFound):
        games.branch(created.game_id, 3)
