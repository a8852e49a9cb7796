"""Fixtures of the web tests: an app with a game, its players and an instructor. The
helpers they use (and the tests import) are in helpers.py."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.services.games import CreatedGame
from app.web.app import create_app
from tests.conftest import SCENARIOS_DIR, Clock
from tests.web.helpers import PASSWORD, JoinSeat, Player, joined, sign_in


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


@pytest.fixture
def join_seat() -> Iterator[JoinSeat]:
    """`join_seat(app, created, nation_id)`: a new client holding that seat, for a test
    that joins one as it goes; every client it gave is closed when the test ends."""
    with contextlib.ExitStack() as clients:

        def join_seat(app: object, created: CreatedGame, nation_id: str) -> Player:
            return clients.enter_context(joined(app, created, nation_id))

        yield join_seat


@pytest.fixture
def instructor(app_and_game: tuple[object, CreatedGame]) -> Iterator[TestClient]:
    """A client signed in as the instructor Ada (redirects are not followed)."""
    app, _ = app_and_game
    app.state.container.accounts.create("ada@college.example", "Ada Lovelace", PASSWORD)  # type: ignore[attr-defined]
    with TestClient(app, follow_redirects=False) as client:  # type: ignore[arg-type]
        sign_in(client)
        yield client


@pytest.fixture
def players(app_and_game: tuple[object, CreatedGame]) -> Iterator[dict[str, Player]]:
    """Arvenia and Lindmark, each with a client of its own (closed at the end)."""
    app, created = app_and_game
    with contextlib.ExitStack() as clients:
        yield {n: clients.enter_context(joined(app, created, n)) for n in ("arvenia", "lindmark")}
