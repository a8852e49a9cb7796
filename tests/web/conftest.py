from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.services.games import CreatedGame
from app.web.app import create_app
from tests.conftest import SCENARIOS_DIR, Clock


@dataclass
class Player:
    nation_id: str
    client: TestClient
    csrf: str

    def at(self, game_id: str, suffix: str = "") -> str:
        """This seat's address in a game: page, orders, websocket."""
        return f"/games/{game_id}/nations/{self.nation_id}{suffix}"

    def api(self, game_id: str, suffix: str) -> str:
        return f"/api/games/{game_id}/nations/{self.nation_id}{suffix}"


@pytest.fixture
def web_clock() -> Clock:
    return Clock()


@pytest.fixture
def app_and_game(settings: Settings, web_clock: Clock) -> Iterator[tuple[object, CreatedGame]]:
    app = create_app(settings, clock=web_clock)
    container = app.state.container
    container.scenarios.sync_directory(SCENARIOS_DIR)
    created = container.games.create_game("meridian-strait", seed=5)
    yield app, created
    container.database.dispose()


def join(app: object, created: CreatedGame, nation_id: str) -> Player:
    client = TestClient(app)  # type: ignore[arg-type]
    client.__enter__()
    token = next(s.token for s in created.seats if s.nation_id == nation_id)
    page = client.get(f"/join/{token}")
    assert page.status_code == 200, page.text
    match = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert match is not None
    return Player(nation_id, client, match.group(1))


@pytest.fixture
def players(app_and_game: tuple[object, CreatedGame]) -> Iterator[dict[str, Player]]:
    app, created = app_and_game
    joined = {n: join(app, created, n) for n in ("arvenia", "lindmark")}
    yield joined
    for player in joined.values():
        player.client.__exit__(None, None, None)
