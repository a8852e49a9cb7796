"""The red cell in the browser's routes: control opens the adversary's seat, a student takes
it with its link, chooses moves on its own page (hidden from the nations until the turn
resolves), control hands it to a bot or back to the table, and the review scores it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.rules.state import RED_CELL_SEAT
from app.services.errors import Rejected
from app.services.games import CreatedGame
from app.web.endpoints.talks import router as talks_router
from tests.servers import take_seat
from tests.web.helpers import Player, console_do, csrf_of, router_routes, send_orders

SIGNAL = "Teskar will close the Narrows: qv7-warning"


def _open_red_cell(instructor: TestClient, game_id: str) -> str:
    """Control opens the seat; the join link the console prints."""
    token = csrf_of(instructor.get("/control").text)
    said = console_do(instructor, game_id, token, action="red_cell_open")
    assert "The red cell&#39;s seat is open" in said or "The red cell's seat is open" in said
    match = re.search(r"/join/([A-Za-z0-9_-]+); join code", said)
    assert match is not None, said
    return f"/join/{match.group(1)}"


def _red_cell(app: object, link: str) -> tuple[TestClient, str]:
    client = TestClient(app)  # type: ignore[arg-type]
    client.__enter__()
    page = take_seat(client, link)
    assert page.status_code == 200, page.text
    match = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert match is not None
    return client, match.group(1)


def test_a_student_plays_the_adversary_and_its_move_stays_hidden_until_resolution(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, created = app_and_game
    game = created.game_id
    link = _open_red_cell(instructor, game)
    # The join page says which seat the link gives.
    assert "Teskari Directorate (red cell)" in TestClient(app).get(link).text  # type: ignore[arg-type]
    red, csrf = _red_cell(app, link)
    try:
        page = red.get(f"/games/{game}/nations/{RED_CELL_SEAT}")
        assert page.status_code == 200
        assert "Red cell: you play Teskari Directorate" in page.text
        assert "No move chosen yet." in page.text
        # A nation's secrets are not on the red cell's page.
        arvenia = players["arvenia"]
        secret = app.state.container.games.snapshot(game).state.nation("arvenia").secret_objective  # type: ignore[attr-defined]
        assert secret not in page.text

        answer = red.post(
            f"/games/{game}/nations/{RED_CELL_SEAT}/orders",
            data={"kind": "red_move", "move": "signal", "text": SIGNAL, "turn": "1"},
            headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
        )
        assert answer.status_code == 200 and "Move chosen: signal." in answer.text
        view = red.get(f"/api/games/{game}/nations/{RED_CELL_SEAT}/view").json()
        assert view["adversary"]["move"] == "signal" and view["adversary"]["text"] == SIGNAL

        # The nations see who plays the adversary, never its move.
        nation_view = arvenia.client.get(arvenia.api(game, "/view")).json()
        assert nation_view["adversary"] == {
            "name": "Teskari Directorate",
            "played_by": "human",
            "playable": True,
            "ready": True,
        }
        assert "qv7-warning" not in arvenia.client.get(arvenia.at(game)).text
        # A nation's action sent to the red cell's seat, and the red cell's to a nation's,
        # are refused with the reason.
        refused = send_orders(arvenia, game, kind="red_move", move="escalate", turn="1")
        assert "Only the red cell" in refused
        commit = red.post(
            f"/games/{game}/nations/{RED_CELL_SEAT}/orders",
            data={"kind": "commit", "unit_id": "x", "operation_id": "y", "turn": "1"},
            headers={"X-CSRF-Token": csrf, "HX-Request": "true"},
        )
        assert "The red cell plays the adversary" in commit.text

        # Control ends the phase: the words are public in the turn's line.
        token = csrf_of(instructor.get("/control").text)
        console_do(instructor, game, token, action="advance")
        after = arvenia.client.get(arvenia.at(game)).text
        assert "Teskari Directorate signals" in after and "qv7-warning" in after
        red_page = red.get(f"/games/{game}/nations/{RED_CELL_SEAT}").text
        assert "the red cell signals" in red_page  # its own history, explained

        # The console counts the student red cell among the seats the turn waits for.
        ready = re.search(r"Ready (\d+)/(\d+)", instructor.get(f"/control/games/{game}").text)
        assert ready is not None and ready.group(2) == "4"  # three nations and the red cell
        # The red cell has no talks: every talks route refuses it with the reason.
        for method, path in router_routes(
            talks_router, game_id=game, nation_id=RED_CELL_SEAT, agreement_id="x", channel_id="y"
        ):
            refused = red.request(method, path, headers={"X-CSRF-Token": csrf})
            assert refused.status_code == 403, (method, path, refused.status_code)

        # Control hands the adversary to the bot: the bot chooses at once, and the
        # student's link and pages are closed.
        said = console_do(instructor, game, token, action="red_cell_bot")
        assert "The adversary is now played by the red-cell bot." in said
        state = app.state.container.games.snapshot(game).state  # type: ignore[attr-defined]
        assert state.red_cell.seat == "bot" and state.red_cell.move is not None
        assert red.get(f"/games/{game}/nations/{RED_CELL_SEAT}").status_code == 403
        # ...and back to the table: no red cell at all.
        console_do(instructor, game, token, action="red_cell_table")
        state = app.state.container.games.snapshot(game).state  # type: ignore[attr-defined]
        assert state.red_cell is None
        # The review scores the adversary.
        review = instructor.get(f"/control/games/{game}/aar")
        assert review.status_code == 200
        assert "The adversary: Teskari Directorate" in review.text
        assert "played by a red cell for part of the game" in review.text
        assert "the red cell signals" in review.text
        # Its timeline says who played the adversary, when.
        assert "Teskari Directorate is now played by the red cell." in review.text
        assert "Teskari Directorate is played by its reaction table again." in review.text
    finally:
        red.__exit__(None, None, None)


def test_a_student_handed_off_moves_no_more_even_with_a_page_still_open(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    game = created.game_id
    games = app.state.container.games  # type: ignore[attr-defined]
    _red_cell(app, _open_red_cell(instructor, game))[0].__exit__(None, None, None)
    token = csrf_of(instructor.get("/control").text)
    console_do(instructor, game, token, action="red_cell_table")
    assert games.snapshot(game).state.red_cell is None
    # Whatever page is left: the service refuses its moves (the link is already dead).
    with pytest.raises(Rejected) as refused:
        games.act(game, RED_CELL_SEAT, {"kind": "red_move", "move": "escalate"})
    assert refused.value.code == "not_your_red_cell"
    # The table plays; control can still seat a student anew, with a new link.
    assert "join code" in console_do(instructor, game, token, action="red_cell_open")


def test_a_new_red_cell_link_closes_the_old_one(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    game = created.game_id
    red, _csrf = _red_cell(app, _open_red_cell(instructor, game))
    try:
        assert red.get(f"/games/{game}/nations/{RED_CELL_SEAT}").status_code == 200
        token = csrf_of(instructor.get("/control").text)
        said = console_do(instructor, game, token, action="relink", nation_id=RED_CELL_SEAT)
        assert "New join link for Teskari Directorate (red cell)" in said
        assert red.get(f"/games/{game}/nations/{RED_CELL_SEAT}").status_code == 403
    finally:
        red.__exit__(None, None, None)
