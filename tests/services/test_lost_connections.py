"""PostgreSQL connections the server closes while they wait in the pool: no request
fails for it. The pool checks each connection's socket as it hands it out (no round trip),
and an action whose connection dies after that check runs again, once."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import NullPool, create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from app.services.games import GameService
from app.store import database as database_module
from app.store.models import GameEvent
from app.store.repositories.games import GameRepository, LockedGame
from tests.services.helpers import join_all

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]

UNIT, OPERATION = "arv-1-frigate-sqn", "open-lane"
COMMIT = {"kind": "commit", "unit_id": UNIT, "operation_id": OPERATION}
WITHDRAW = {"kind": "withdraw", "unit_id": UNIT}


def _end_the_pools_connections(database_url: str) -> int:
    """End every other connection to the test's database, as an administrator would (or
    a restart, or an idle timeout), and wait until they are gone; how many there were."""
    admin = create_engine(database_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    others = text(
        "SELECT pid FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    try:
        with admin.connect() as connection:
            pids = list(connection.scalars(others))
            for pid in pids:
                connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            deadline = time.monotonic() + 10
            while set(connection.scalars(others)) & set(pids):
                assert time.monotonic() < deadline, "the backends did not end"
                time.sleep(0.01)
        return len(pids)
    finally:
        admin.dispose()


def _events(games: GameService, game_id: str) -> int:
    with games.database.read() as session:
        return session.scalar(select(func.count()).where(GameEvent.game_id == game_id)) or 0


def _a_game(games: GameService) -> str:
    created = games.create_game("meridian-strait", seed=1)
    join_all(games, created)
    return created.game_id


def test_a_connection_the_server_closed_is_not_handed_out(
    games: GameService, database_url: str
) -> None:
    game_id = _a_game(games)
    games.act(game_id, "arvenia", COMMIT)
    assert _end_the_pools_connections(database_url) >= 1
    # The action's write, and a read, each on a pooled connection the server has closed.
    result = games.act(game_id, "arvenia", WITHDRAW)
    assert games.snapshot(game_id).seq == result.seq
    assert games.snapshot(game_id).state.commitment(UNIT) is None
    assert _end_the_pools_connections(database_url) >= 1
    assert games.list_games()  # a read alone


def test_an_action_whose_connection_dies_after_the_check_runs_again_once(
    games: GameService, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    game_id = _a_game(games)
    games.act(game_id, "arvenia", COMMIT)
    before = _events(games, game_id)
    assert _end_the_pools_connections(database_url) >= 1
    # The socket's check misses it (it closed just after): the lock's statement fails.
    monkeypatch.setattr(database_module, "closed_by_server", lambda _connection: False)
    result = games.act(game_id, "arvenia", WITHDRAW)
    assert _events(games, game_id) == before + len(result.events) == before + 1
    assert games.snapshot(game_id).state.commitment(UNIT) is None


def test_a_connection_lost_twice_in_one_action_fails_it(
    games: GameService, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once is a connection that died while pooled; twice in a row, something else: the
    action fails, with nothing written."""
    game_id = _a_game(games)
    games.act(game_id, "arvenia", COMMIT)
    before = _events(games, game_id)
    monkeypatch.setattr(database_module, "closed_by_server", lambda _connection: False)
    real_lock = GameRepository.lock
    ended: list[int] = []

    def lock_once_the_server_closed_it(
        self: GameRepository, *args: Any, **kwargs: Any
    ) -> tuple[LockedGame | None, str | None]:
        ended.append(_end_the_pools_connections(database_url))
        return real_lock(self, *args, **kwargs)

    monkeypatch.setattr(GameRepository, "lock", lock_once_the_server_closed_it)
    with pytest.raises(DBAPIError) as failure:
        games.act(game_id, "arvenia", WITHDRAW)
    assert database_module.lost_connection(failure.value)
    assert len(ended) == 2
    monkeypatch.setattr(GameRepository, "lock", real_lock)
    assert _events(games, game_id) == before
