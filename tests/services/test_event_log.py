"""Events stored in the game's log and read back keep their kind and their payload's shape."""

from __future__ import annotations

from app.rules.control import ResumeClock
from app.rules.events import EventKind
from app.services.games import GameService
from tests.conftest import now_at
from tests.rules.test_events import check
from tests.services.helpers import join_all, play_turn


def test_events_read_back_from_the_log_have_their_kind_and_payload(games: GameService) -> None:
    created = games.create_game("meridian-strait", seed=4)
    join_all(games, created)
    play_turn(games, created.game_id)
    branch = games.branch(created.game_id, 1)
    games.control(branch.game_id, ResumeClock(at=now_at(games, branch.game_id)))
    told = set()
    for game_id in (created.game_id, branch.game_id):
        for logged in games.events_after(game_id, 0):
            check(logged.event)
            told.add(logged.event.kind)
    assert {EventKind.GAME_CREATED, EventKind.GAME_BRANCHED, EventKind.TURN_RESOLVED} <= told
