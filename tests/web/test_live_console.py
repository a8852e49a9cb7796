"""Control's live console over the hub: its panels reach instructors only, at once, and
never a player's socket; the seat a bot takes says so on its page; the exercise view's rows
are live; an ended game offers only what still applies."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.services.games import CreatedGame
from app.web.control_console import CONSOLE_PANELS
from tests.web.helpers import (
    PASSWORD,
    JoinSeat,
    Player,
    console_do,
    csrf_of,
    receive_until,
    send_orders,
    sign_in,
)

CONTROL_ONLY = re.compile(r'id="(control-[\w-]+|adjudication-form|glance-\w+)"')


def _refused(client: TestClient, path: str) -> int:
    with pytest.raises(WebSocketDisconnect) as closed, client.websocket_connect(path) as socket:
        socket.receive_text()
        socket.receive_text()
    return closed.value.code


@pytest.mark.timeout(90)
def test_the_console_is_pushed_to_instructors_and_nothing_of_it_to_a_player(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    join_seat: JoinSeat,
) -> None:
    app, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    console_do(instructor, game, token, action="hold", hold="on")
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    # A player's session, or none, gets no console socket (1008: not retried).
    assert _refused(arvenia.client, f"/control/games/{game}/ws") == 1008
    with TestClient(app) as anonymous:  # type: ignore[arg-type]
        assert _refused(anonymous, f"/control/games/{game}/ws") == 1008
        assert _refused(anonymous, f"/control/games/{game}/glance/ws") == 1008

    codes = {s.nation_id: s.grouped_code for s in created.seats}
    seen_by_arvenia: list[str] = []
    with (
        instructor.websocket_connect(f"/control/games/{game}/ws") as console,
        arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as a_socket,
    ):
        snapshot = console.receive_text()
        for panel in CONSOLE_PANELS:
            assert f'id="{panel}"' in snapshot
        assert "Ada Lovelace" in snapshot  # who has the console open
        assert codes["lindmark"] in snapshot  # control sees every seat's code
        seen_by_arvenia.append(a_socket.receive_text())

        # Arvenia commits: control's operations panel shows the order at once.
        send_orders(
            arvenia, game, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane"
        )
        committed = receive_until(console, "Arvenia: 1st Frigate Squadron")
        assert 'id="control-operations" class="panel"' in committed[-1]
        seen_by_arvenia += receive_until(a_socket, "Arvenia committed")

        # The last seat ready: the release form arrives with no reload.
        cardosa = join_seat(app, created, "cardosa")
        for player in (cardosa, arvenia, lindmark):
            send_orders(player, game, kind="ready", ready="true")
        held = receive_until(console, "Save and release the results of turn 1")
        assert 'id="adjudication-form"' in held[-1]
        assert "All orders are in: turn 1 waits for your release." in held[-1]
        seen_by_arvenia += receive_until(a_socket, "awaiting control")

        # Feedback to Lindmark alone, then the release.
        said = console_do(
            instructor,
            game,
            token,
            action="adjudicate",
            turn="1",
            phase="adjudication",
            feedback_lindmark="lindmark-only-note-5Q",
            then="release",
        )
        assert "Results released." in said
        receive_until(console, "Turn 2 of 3")
        seen_by_arvenia += receive_until(a_socket, "Results of turn 1")

    everything = "\n".join(seen_by_arvenia)
    assert CONTROL_ONLY.search(everything) is None, CONTROL_ONLY.search(everything)
    assert "lindmark-only-note-5Q" not in everything
    assert codes["lindmark"] not in everything and codes["cardosa"] not in everything
    assert "Ada Lovelace" not in everything


@pytest.mark.timeout(60)
def test_a_seat_handed_to_a_bot_says_so_on_its_page_at_once(
    instructor: TestClient, players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    assert 'id="seat-notice"' in arvenia.client.get(arvenia.at(game)).text
    with (
        arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as a_socket,
        lindmark.client.websocket_connect(lindmark.at(game, "/ws")) as l_socket,
        instructor.websocket_connect(f"/control/games/{game}/ws") as console,
    ):
        for socket in (a_socket, l_socket, console):
            socket.receive_text()
        said = console_do(
            instructor, game, token, action="bot", nation_id="arvenia", personality="hawk"
        )
        assert "The seat is now played by a bot." in said
        banner = receive_until(a_socket, "Control has handed Arvenia to a bot.")
        assert 'id="seat-notice"' in banner[-1]
        played_by = receive_until(console, "(hawk)")[-1]
        assert 'bot <span class="small muted">(hawk)</span>' in played_by
        # Lindmark's page is told who plays Arvenia, not shown Arvenia's banner.
        assert "Control has handed" not in "\n".join(receive_until(l_socket, "Arvenia"))
        console_do(instructor, game, token, action="back", nation_id="arvenia")
        back = receive_until(a_socket, 'id="seat-notice"')
        assert "Control has handed" not in back[-1]


@pytest.mark.timeout(60)
def test_each_instructor_sees_who_else_has_the_console_open(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    game = created.game_id
    app.state.container.accounts.create("grace@college.example", "Grace Hopper", PASSWORD)  # type: ignore[attr-defined]
    with (
        TestClient(app, follow_redirects=False) as grace,  # type: ignore[arg-type]
        instructor.websocket_connect(f"/control/games/{game}/ws") as ada_console,
    ):
        sign_in(grace, "grace@college.example")
        first = ada_console.receive_text()
        assert "Ada Lovelace" in first and "Grace Hopper" not in first
        with grace.websocket_connect(f"/control/games/{game}/ws") as grace_console:
            assert "Ada Lovelace" in grace_console.receive_text()
            both = ada_console.receive_text()
            assert 'id="control-presence"' in both
            assert "Ada Lovelace" in both and "Grace Hopper" in both
        gone = ada_console.receive_text()
        assert "Ada Lovelace" in gone and "Grace Hopper" not in gone


@pytest.mark.timeout(60)
def test_the_exercise_view_shows_every_syndicate_and_each_row_is_live(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, _ = app_and_game
    control = app.state.container.control  # type: ignore[attr-defined]
    created = control.create_exercise("meridian-strait", name="Glance", syndicates=2, hold=True)
    overview = next(g for g in control.overview() if g.game_id == created[0].game_id)
    page = instructor.get(f"/control/exercises/{overview.exercise_id}")
    assert page.status_code == 200
    for number, game in enumerate(created, start=1):
        assert f"Glance — syndicate {number}" in page.text
        assert f'href="/control/games/{game.game_id}"' in page.text
        assert f'ws-connect="/control/games/{game.game_id}/glance/ws"' in page.text
    assert page.text.count("paused, 5:00") == 2  # the clocks wait for control
    assert instructor.get("/control/exercises/nope").status_code == 404
    token = csrf_of(instructor.get("/control").text)
    first = created[0].game_id
    with instructor.websocket_connect(f"/control/games/{first}/glance/ws") as row:
        assert "paused, 5:00" in row.receive_text()
        console_do(instructor, first, token, action="resume")
        live = receive_until(row, 'class="glance-left" data-remaining="300"')
        assert f'id="glance-{first}"' in live[-1] and "0/3" in live[-1]


def test_an_ended_game_offers_only_what_still_applies(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    running = instructor.get(f"/control/games/{game}").text
    for offered in ("Fire now", "Write an inject", "Hold turns for adjudication", "Hand to a bot"):
        assert offered in running
    said = console_do(instructor, game, token, action="end_exercise")
    assert "The exercise has ended" in said
    ended = instructor.get(f"/control/games/{game}").text
    for gone in (
        "Fire now",
        "Write an inject",
        "Turn the hold off",
        "Hold turns for adjudication",
        "Hand to a bot",
        "End the exercise",
        "End the phase now",
    ):
        assert gone not in ended, gone
    assert "Archive" in ended and "Delete the game for good" in ended
    # A form of the running game sent now is refused, and says why.
    refused = console_do(instructor, game, token, action="live_inject", title="x", text="y")
    assert 'class="control-message rejected"' in refused
