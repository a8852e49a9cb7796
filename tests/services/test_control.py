"""Control's actions through the game service, on SQLite and PostgreSQL: an action about
a phase that has already ended (`rules.control.PhaseBound`) is refused and changes
nothing, whether the presses come one after the other or at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from app.rules.control import EndPhaseNow, Moment, ReleaseTurn, SetHold
from app.rules.state import Phase
from app.services.errors import Rejected
from app.services.games import GameService
from app.store.models import GameEvent
from tests.conftest import now_at

TURN_1 = Moment(1, Phase.ORDERS)


def _turns_resolved(games: GameService, game_id: str) -> list[int]:
    logged = games.events_after(game_id, 0, 10_000)
    return [e.turn for e in logged if e.event.kind == "turn_resolved"]


def test_a_second_end_now_for_turn_1_is_refused_and_changes_nothing(
    games: GameService,
) -> None:
    game = games.create_game("meridian-strait", seed=3).game_id
    assert now_at(games, game) == TURN_1
    games.control(game, EndPhaseNow(at=TURN_1))
    before = games.snapshot(game)

    with pytest.raises(Rejected) as refused:
        games.control(game, EndPhaseNow(at=TURN_1))
    assert refused.value.code == "stale"
    assert refused.value.message == (
        "Turn 1's orders phase has already ended; the console now shows turn 2. "
        "Nothing was changed."
    )
    after = games.snapshot(game)
    assert (after.seq, after.state) == (before.seq, before.state)
    assert _turns_resolved(games, game) == [1]
    # The record keeps the moment control's press was for.
    with games.database.read() as session:
        ended = session.scalars(
            select(GameEvent).where(
                GameEvent.game_id == game, GameEvent.kind == "phase_ended_by_control"
            )
        ).one()
        assert ended.action == {
            "by": "control",
            "at": {"turn": 1, "phase": "orders"},
            "kind": "advance",
        }


def test_a_held_turn_is_released_once(games: GameService) -> None:
    game = games.create_game("meridian-strait", seed=3).game_id
    games.control(game, SetHold(True))
    games.control(game, EndPhaseNow(at=TURN_1))
    held = now_at(games, game)
    assert held == Moment(1, Phase.ADJUDICATION)
    games.control(game, ReleaseTurn(at=held))
    with pytest.raises(Rejected) as refused:
        games.control(game, ReleaseTurn(at=held))
    assert refused.value.message.startswith(
        "Turn 1's adjudication has already ended; the console now shows turn 2."
    )
    assert _turns_resolved(games, game) == [1]


def test_two_end_nows_for_turn_1_at_the_same_moment_end_one_turn(games: GameService) -> None:
    game = games.create_game("meridian-strait", seed=3).game_id
    together = threading.Barrier(2)

    def press(_: int) -> str:
        together.wait()
        try:
            games.control(game, EndPhaseNow(at=TURN_1))
        except Rejected as refused:
            return refused.code
        return "ended"

    with ThreadPoolExecutor(2) as pool:
        answers = sorted(pool.map(press, range(2)))
    assert answers == ["ended", "stale"]
    assert _turns_resolved(games, game) == [1]
    assert now_at(games, game) == Moment(2, Phase.ORDERS)
