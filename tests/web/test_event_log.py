"""A stored event of a kind this code does not know (removed since, or written by a newer
version) fails no page: it loads as `EventKind.UNKNOWN`, which no viewer is shown."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.services.games import CreatedGame
from app.store.models import Game, GameEvent
from tests.web.helpers import Player


def test_an_unknown_stored_kind_fails_no_page(
    players: dict[str, Player],
    instructor: TestClient,
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, created = app_and_game
    game_id = created.game_id
    with app.state.container.database.write() as session:  # type: ignore[attr-defined]
        game = session.get(Game, game_id)
        assert game is not None
        game.last_seq += 1
        session.add(
            GameEvent(
                game_id=game_id,
                seq=game.last_seq,
                turn=1,
                kind="a_kind_since_removed",
                actor="arvenia",
                data={"plan": "SECRET-OLD-PLAN"},
            )
        )
    arvenia = players["arvenia"]
    for page in (
        arvenia.client.get(arvenia.at(game_id)),
        arvenia.client.get(arvenia.api(game_id, "/view")),
        instructor.get(f"/control/games/{game_id}"),
        instructor.get(f"/control/games/{game_id}/aar"),
    ):
        assert page.status_code == 200, page.text
        assert "SECRET-OLD-PLAN" not in page.text
