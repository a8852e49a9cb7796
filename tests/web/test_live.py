"""The game websocket: snapshot on connect, live per-viewer fragments, robustness."""

from __future__ import annotations

import pytest
from starlette.websockets import WebSocketDisconnect

from app.config import Settings
from app.services.games import CreatedGame
from tests.conftest import SCENARIOS_DIR, Clock
from tests.web.helpers import JoinSeat, Player, private_strings, receive_until, send_orders


@pytest.mark.timeout(60)
def test_one_nation_acts_and_the_other_sees_it_live_without_its_secrets(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], join_seat: JoinSeat
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    received: dict[str, list[str]] = {"arvenia": [], "lindmark": []}
    with (
        arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as a_socket,
        lindmark.client.websocket_connect(lindmark.at(game, "/ws")) as l_socket,
    ):
        # The snapshot on connect replaces every live fragment, feed included.
        for name, socket in (("arvenia", a_socket), ("lindmark", l_socket)):
            snapshot = socket.receive_text()
            received[name].append(snapshot)
            for fragment in ("clock", "situation", "operations", "nations", "results", "feed"):
                assert f'id="{fragment}"' in snapshot
            assert "Live" in snapshot

        send_orders(
            arvenia, game, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane"
        )
        delta = receive_until(l_socket, 'data-nation="arvenia" data-committed="1"')
        received["lindmark"] += delta
        assert "Arvenia changed its orders (1 unit committed)." in delta[-1]
        assert 'hx-swap-oob="afterbegin"' in delta[-1]
        received["arvenia"] += receive_until(a_socket, "Arvenia committed")

        send_orders(
            lindmark,
            game,
            kind="commit",
            unit_id="lin-field-hospital",
            operation_id="saltmarsh-relief",
        )
        received["arvenia"] += receive_until(a_socket, 'data-nation="lindmark" data-committed="1"')
        received["lindmark"] += receive_until(l_socket, "Lindmark committed")

        # Every seat ready (Cardosa's player too): the turn resolves and both see the outcome.
        app, _ = app_and_game
        cardosa = join_seat(app, created, "cardosa")
        send_orders(cardosa, game, kind="ready", ready="true")
        send_orders(arvenia, game, kind="ready", ready="true")
        send_orders(lindmark, game, kind="ready", ready="true")
        for name, socket in (("arvenia", a_socket), ("lindmark", l_socket)):
            messages = receive_until(socket, "Results of turn 1")
            received[name] += messages
            assert "capability match" in messages[-1]
            assert "Turn 1 resolved." in messages[-1]

    for mine, other in (("arvenia", "lindmark"), ("lindmark", "arvenia")):
        everything = "\n".join(received[mine])
        # During the orders phase nobody learns where another nation's units go; after
        # resolution the outcome names contributing nations, never their unit ids or names.
        for secret in private_strings(other):
            assert secret not in everything, f"{mine} received {secret!r}"


@pytest.mark.timeout(60)
def test_a_socket_receives_only_the_panels_that_changed(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    """Another nation's commit changes Lindmark's list of nations and its feed, not its
    own situation, map or negotiation panel: those are not re-sent (and so not reset)."""
    _, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    with lindmark.client.websocket_connect(lindmark.at(game, "/ws")) as socket:
        socket.receive_text()  # the snapshot: every panel
        send_orders(
            arvenia, game, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane"
        )
        delta = receive_until(socket, 'data-nation="arvenia" data-committed="1"')[-1]
        assert "Arvenia changed its orders" in delta
        for unchanged in ("situation", "theatre", "negotiation", "results"):
            assert f'id="{unchanged}"' not in delta, f"#{unchanged} was re-sent unchanged"

        # Lindmark's own commit changes its situation and operations: those are sent.
        send_orders(
            lindmark,
            game,
            kind="commit",
            unit_id="lin-field-hospital",
            operation_id="saltmarsh-relief",
        )
        delta = receive_until(socket, "Lindmark committed")[-1]
        assert 'id="situation"' in delta and 'id="operations"' in delta


@pytest.mark.timeout(60)
def test_bad_messages_get_an_error_fragment_and_the_socket_stays_up(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    player = players["arvenia"]
    with player.client.websocket_connect(player.at(created.game_id, "/ws")) as socket:
        socket.receive_text()
        for bad in ("not json", '{"kind": "commit"}', "x" * 100_000, "[]"):
            socket.send_text(bad)
            reply = socket.receive_text()
            assert 'id="connection"' in reply
            assert "connection-error" in reply
        socket.send_bytes(b"\x00\x01")
        assert "connection-error" in socket.receive_text()
        # Still live: an action is delivered.
        send_orders(players["lindmark"], created.game_id, kind="ready", ready="true")
        assert "Lindmark is ready." in "".join(receive_until(socket, "Lindmark is ready."))


def test_a_socket_without_a_seat_is_refused(app_and_game: tuple[object, CreatedGame]) -> None:
    from fastapi.testclient import TestClient

    app, created = app_and_game
    with TestClient(app) as anonymous:  # type: ignore[arg-type]
        with (
            pytest.raises(WebSocketDisconnect) as refused,
            anonymous.websocket_connect(f"/games/{created.game_id}/nations/arvenia/ws") as socket,
        ):
            socket.receive_text()
        assert refused.value.code == 1008


def test_a_socket_from_another_origin_is_refused(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        players["arvenia"].client.websocket_connect(
            players["arvenia"].at(created.game_id, "/ws"),
            headers={"origin": "https://evil.example"},
        ) as socket,
    ):
        socket.receive_text()
    assert refused.value.code == 1008


@pytest.mark.timeout(60)
def test_a_reconnecting_page_gets_everything_it_missed(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    with arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as socket:
        socket.receive_text()
    # While Arvenia's page is disconnected, Lindmark acts twice.
    send_orders(
        lindmark, game, kind="commit", unit_id="lin-field-hospital", operation_id="saltmarsh-relief"
    )
    send_orders(lindmark, game, kind="ready", ready="true")
    with arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as socket:
        snapshot = socket.receive_text()
    assert 'data-nation="lindmark" data-committed="1"' in snapshot
    assert snapshot.count("Lindmark changed its orders") == 1
    assert snapshot.count("Lindmark is ready.") == 1
    assert 'id="feed" class="feed" aria-live="polite" hx-swap-oob="true"' in snapshot


def test_changing_orders_after_ready_reopens_them_and_says_so(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    with lindmark.client.websocket_connect(lindmark.at(game, "/ws")) as socket:
        socket.receive_text()
        assert "Orders confirmed." in send_orders(arvenia, game, kind="ready", ready="true")
        answer = send_orders(
            arvenia, game, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane"
        )
        assert "Your orders are open again" in answer
        assert "Arvenia is no longer ready." in "".join(
            receive_until(socket, "Arvenia is no longer ready.")
        )


def test_a_page_of_a_game_control_deleted_is_closed_for_good(
    settings: Settings, web_clock: Clock, join_seat: JoinSeat
) -> None:
    from app.rules.control import EndExercise
    from app.web.app import create_app

    # No safety re-read during the test: the deletion's own doorbell must close the page.
    patient = settings.model_copy(update={"live_reread_seconds": 300})
    app = create_app(patient, clock=web_clock)
    container = app.state.container
    container.scenarios.sync_directory(SCENARIOS_DIR)
    created = container.games.create_game("meridian-strait", seed=5)
    player = join_seat(app, created, "arvenia")
    with (
        pytest.raises(WebSocketDisconnect) as closed,
        player.client.websocket_connect(player.at(created.game_id, "/ws")) as socket,
    ):
        socket.receive_text()  # the snapshot
        container.games.control(created.game_id, EndExercise())
        container.control.delete_game(created.game_id, created.name)
        for _ in range(20):  # the ending's update, then the close
            socket.receive_text()
    # 1008: a final close, which the page does not retry (the game is gone).
    assert closed.value.code == 1008
    container.database.dispose()
