"""The JSON view (`GET /api/games/{game}/nations/{nation}/view`) carries only what its
nation may see: the per-viewer rule of `rules.view`, checked field by field over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app import rules
from app.config import Settings
from app.rules.control import EndPhaseNow
from app.rules.state import FOG_LEVELS, Fog
from app.services.games import CreatedGame, GameService
from app.web.app import create_app
from tests.conftest import SCENARIOS_DIR, Clock, now_at
from tests.rules.view_secrets import secrets_for, structural_leaks
from tests.web.helpers import JoinSeat, Player

INJECT = "varkan-gas-offer"  # Northern Reach, turn 2: to Esterholm only
BOTS = {n: "cooperative" for n in ("belmont", "corvenna", "drevany", "fenwick", "kveldal")}


@pytest.fixture
def reach(settings: Settings, web_clock: Clock) -> Iterator[tuple[object, GameService]]:
    app = create_app(settings, clock=web_clock)
    container = app.state.container
    container.scenarios.sync_directory(SCENARIOS_DIR)
    yield app, container.games
    container.database.dispose()


def _turn_two(games: GameService, fog: Fog) -> CreatedGame:
    """A Northern Reach game in turn 2, when Varka's private offer has reached Esterholm."""
    created = games.create_game("northern-reach", seed=3, bots=BOTS, fog=fog)
    games.control(created.game_id, EndPhaseNow(at=now_at(games, created.game_id)))
    assert games.snapshot(created.game_id).state.turn == 2
    return created


@pytest.mark.parametrize("fog", FOG_LEVELS)
def test_a_private_inject_reaches_only_its_nation_through_the_json_view(
    reach: tuple[object, GameService], fog: Fog, join_seat: JoinSeat
) -> None:
    app, games = reach
    created = _turn_two(games, fog)
    game = created.game_id
    seats: dict[str, Player] = {n: join_seat(app, created, n) for n in ("aldmark", "esterholm")}
    views = {}
    for nation_id, player in seats.items():
        response = player.client.get(player.api(game, "/view"))
        assert response.status_code == 200, response.text
        views[nation_id] = response.json()

    fired = {n: [e for r in v["records"] for e in r["fired_events"]] for n, v in views.items()}
    assert INJECT in fired["esterholm"]
    assert INJECT not in fired["aldmark"] and INJECT not in str(views["aldmark"])
    # And every other field of Aldmark's view, under this fog, keeps to the same rule.
    state = games.snapshot(game).state
    log = [logged.event for logged in games.events_after(game, 0, limit=10_000)]
    aldmark = rules.Viewer.of_nation("aldmark")
    secrets = secrets_for(state, aldmark, log)
    assert INJECT in secrets.ids
    assert secrets.found_in(views["aldmark"]) == []
    assert structural_leaks(state, aldmark, views["aldmark"], log) == []
