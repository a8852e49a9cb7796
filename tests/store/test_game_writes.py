"""An action's write: the state and its events written together (one statement on
PostgreSQL, two on SQLite), or nothing if the game's version moved on (StaleGame)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from app.services.games import GameService
from app.store.models import Game, GameEvent
from app.store.repositories.games import MERGED_ROWS, GameRepository, StaleGame


def _rows(game_id: str, first_seq: int, count: int) -> list[dict[str, Any]]:
    return [
        {
            "game_id": game_id,
            "seq": first_seq + n,
            "turn": 1,
            "kind": "message_sent",
            "actor": "arvenia" if n % 2 == 0 else None,
            "action": {"kind": "message", "text": f"m{n}"} if n % 2 == 0 else None,
            "data": {"channel_id": "public", "text": f"m{n} \u00e9\u2014"},
            "channel_id": "public" if n % 2 == 0 else None,
        }
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [1, 2, MERGED_ROWS, MERGED_ROWS + 1])
def test_the_state_and_its_events_are_written_together_or_not_at_all(
    games: GameService, count: int
) -> None:
    game_id = games.create_game("meridian-strait", seed=1).game_id
    before = datetime.now(UTC)
    with games.database.write() as session:
        repository = GameRepository(session)
        game, _ = repository.lock(game_id, with_state=False)
        assert game is not None
        rows = _rows(game_id, game.last_seq + 1, count)
        last_seq = game.last_seq + count
        stale = dataclasses.replace(game, version=game.version - 1)
        with pytest.raises(StaleGame):
            repository.save_and_log(
                stale, b'{"stale": true}', rows, deadline=None, status="active", last_seq=last_seq
            )
        repository.save_and_log(
            game, b'{"written": 1}', rows, deadline=12.5, status="ended", last_seq=last_seq
        )
    with games.database.read() as session:
        stored = session.get(Game, game_id)
        assert stored is not None
        assert (stored.state, stored.version, stored.last_seq) == (
            {"written": 1},
            game.version + 1,
            last_seq,
        )
        assert (stored.deadline, stored.status) == (12.5, "ended")
        events = session.scalars(
            select(GameEvent).where(GameEvent.game_id == game_id, GameEvent.seq > game.last_seq)
        ).all()
        in_order = sorted(events, key=lambda e: e.seq)
        assert [{name: getattr(e, name) for name in rows[0]} for e in in_order] == rows
        for event in events:
            created = event.created_at.replace(tzinfo=event.created_at.tzinfo or UTC)
            assert created >= before.replace(microsecond=0)


def test_a_stale_write_leaves_the_game_and_its_log_as_they_were(games: GameService) -> None:
    game_id = games.create_game("meridian-strait", seed=1).game_id
    with games.database.read() as session:
        kept = session.get(Game, game_id)
        assert kept is not None
        state, version, last_seq = kept.state, kept.version, kept.last_seq
    with pytest.raises(StaleGame), games.database.write() as session:
        repository = GameRepository(session)
        game, _ = repository.lock(game_id, with_state=False)
        assert game is not None
        repository.save_and_log(
            dataclasses.replace(game, version=game.version + 1),
            b"{}",
            _rows(game_id, game.last_seq + 1, 1),
            deadline=None,
            status="active",
            last_seq=game.last_seq + 1,
        )
    with games.database.read() as session:
        stored = session.get(Game, game_id)
        assert stored is not None
        assert (stored.state, stored.version, stored.last_seq) == (state, version, last_seq)
        assert games.last_seq(game_id) == last_seq
        logged = session.scalars(select(GameEvent.seq).where(GameEvent.game_id == game_id))
        assert max(logged) == last_seq
