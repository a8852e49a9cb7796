"""The JSON action's route (`POST /api/games/{game}/nations/{nation}/actions`), served by a
plain Starlette route ahead of the routers (play.action_route): every answer it gives, taken
or refused, carries the security headers; refusals are the app's (same codes, the message
in the reader's language, the 500 page on a crash); the seat is the session's, checked on
every action; and the route is still the one the API documents."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.services.games import CreatedGame
from tests.web.helpers import JoinSeat, Player
from tests.web.test_security_headers import assert_secured

JSON = {"Content-Type": "application/json"}
# An order the rules refuse (no such unit), with a code and a message in words.
UNKNOWN_UNIT = json.dumps({"kind": "commit", "unit_id": "nope", "operation_id": "nope"})


def _act(player: Player, game: str, body: str, **headers: str) -> Any:
    return player.client.post(
        player.api(game, "/actions"), content=body, headers={**JSON, **headers}
    )


def test_taken_and_refused_actions_carry_the_headers_and_the_app_s_error_answers(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    game = app_and_game[1].game_id
    arvenia = players["arvenia"]
    answers = {
        "taken": (_act(arvenia, game, json.dumps({"kind": "ready", "ready": True})), 200, None),
        "rules' refusal": (_act(arvenia, game, UNKNOWN_UNIT), 422, None),
        "not JSON": (
            arvenia.client.post(arvenia.api(game, "/actions"), content="{}"),
            415,
            "unsupported_media_type",
        ),
        "too large": (
            _act(arvenia, game, json.dumps({"kind": "message", "text": "x" * 70_000})),
            413,
            "too_large",
        ),
        "malformed": (_act(arvenia, game, "{"), 400, "malformed"),
        "another's seat": (
            arvenia.client.post(f"/api/games/{game}/nations/lindmark/actions", json={}),
            403,
            "forbidden",
        ),
        "no such game": (
            arvenia.client.post("/api/games/nothing/nations/arvenia/actions", json={}),
            403,
            "forbidden",
        ),
        "control character": (
            arvenia.client.post(f"/api/games/{game}%00/nations/arvenia/actions", json={}),
            404,
            "not_found",
        ),
        "query's control character": (
            arvenia.client.post(arvenia.api(game, "/actions?x=%01"), json={}),
            422,
            "invalid_request",
        ),
        "wrong method": (arvenia.client.get(arvenia.api(game, "/actions")), 405, "http_error"),
    }
    for what, (response, status, code) in answers.items():
        assert response.status_code == status, (what, response.text)
        assert_secured(response, what)
        assert "set-cookie" not in response.headers, what  # an action leaves the session
        answer = response.json()
        if status == 200:
            assert answer["accepted"] is True and isinstance(answer["seq"], int)
        else:
            assert answer["message"], what
            assert code is None or answer["code"] == code, (what, answer)
    assert answers["rules' refusal"][0].json()["code"] not in ("", None)
    assert answers["taken"][0].headers["vary"] == "Cookie"  # the answer depends on the seat


def test_a_rejection_s_message_is_in_the_session_s_language_else_the_browser_s(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    game = app_and_game[1].game_id
    arvenia = players["arvenia"]
    english = _act(arvenia, game, UNKNOWN_UNIT).json()
    by_browser = _act(arvenia, game, UNKNOWN_UNIT, **{"Accept-Language": "fr-FR,fr;q=0.9"}).json()
    assert by_browser["code"] == english["code"]
    assert by_browser["message"] != english["message"]
    assert arvenia.client.get("/language?lang=fr&next=/").status_code == 200  # followed
    chosen = _act(arvenia, game, UNKNOWN_UNIT, **{"Accept-Language": "en"}).json()
    assert chosen == by_browser  # the session's choice wins over the browser's
    not_json = arvenia.client.post(arvenia.api(game, "/actions"), content="{}").json()
    assert not_json["message"] != "Send the action as application/json."


def test_a_relinked_seat_is_refused_and_the_new_link_acts(
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    join_seat: JoinSeat,
) -> None:
    app, created = app_and_game
    game = created.game_id
    arvenia = players["arvenia"]
    ready = json.dumps({"kind": "ready", "ready": True})
    assert _act(arvenia, game, ready).status_code == 200
    fresh = app.state.container.games.new_seat_link(game, "arvenia")  # type: ignore[attr-defined]
    refused = _act(arvenia, game, ready)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert_secured(refused, "relinked seat")
    relinked = dataclasses.replace(created, seats=[fresh])
    newcomer = join_seat(app, relinked, "arvenia")
    assert _act(newcomer, game, ready).status_code == 200


@pytest.fixture
def crashing(
    app_and_game: tuple[object, CreatedGame], players: dict[str, Player]
) -> Iterator[Player]:
    """Arvenia, on a client that answers the server's errors, with an action that crashes."""
    app, _ = app_and_game
    games = app.state.container.games  # type: ignore[attr-defined]

    def act(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    games.act = act
    player = players["arvenia"]
    with TestClient(app, raise_server_exceptions=False) as client:  # type: ignore[arg-type]
        client.cookies = player.client.cookies
        yield Player(player.nation_id, client, player.csrf)


def test_a_crash_gets_the_server_s_500_page_with_the_headers(
    crashing: Player, app_and_game: tuple[object, CreatedGame]
) -> None:
    game = app_and_game[1].game_id
    response = _act(crashing, game, json.dumps({"kind": "ready", "ready": True}))
    assert response.status_code == 500
    assert_secured(response, "500")


def test_the_api_still_documents_the_action_route(players: dict[str, Player]) -> None:
    document = players["arvenia"].client.get("/openapi.json").json()
    operation = document["paths"]["/api/games/{game_id}/nations/{nation_id}/actions"]["post"]
    assert operation["requestBody"]["content"]["application/json"]["schema"]
    assert {p["name"] for p in operation["parameters"]} == {"game_id", "nation_id"}
