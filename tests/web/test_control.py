"""The white cell's pages: first run, sign-in and -out, CSRF, authorisation of every
control route, setting up an exercise of several syndicates and its join sheet."""

from __future__ import annotations

import html
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.config import Settings
from app.rules.control import CONTROL_ACTIONS
from app.services.games import CreatedGame
from app.web.endpoints import control
from app.web.endpoints.console import CONTROL_DONE
from tests.servers import take_seat
from tests.web.helpers import (
    PASSWORD,
    JoinSeat,
    Player,
    assert_refused,
    console_do,
    console_moment,
    csrf_of,
    form_fields,
    open_channel,
    router_routes,
    say,
    send_orders,
    sign_in,
)


def test_the_first_run_page_creates_the_first_account_and_then_closes(
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, _ = app_and_game
    with TestClient(app, follow_redirects=False) as client:  # type: ignore[arg-type]
        assert client.get("/login").headers["location"] == "/setup"
        page = client.get("/setup")
        assert page.status_code == 200 and "no instructor account yet" in page.text
        token = csrf_of(page.text)
        form = {"email": "ada@college.example", "display_name": "Ada", "csrf_token": token}
        mismatch = client.post("/setup", data={**form, "password": PASSWORD, "confirm": "x"})
        assert mismatch.status_code == 400 and "The two passwords differ" in mismatch.text
        assert 'value="ada@college.example"' in mismatch.text  # nothing typed is lost
        done = client.post("/setup", data={**form, "password": PASSWORD, "confirm": PASSWORD})
        assert done.status_code == 303 and done.headers["location"] == "/control"
        assert "Ada" in client.get("/control").text  # signed in
    with TestClient(app, follow_redirects=False) as stranger:  # type: ignore[arg-type]
        assert stranger.get("/setup").headers["location"] == "/login"
        token = csrf_of(stranger.get("/login").text)
        again = stranger.post(
            "/setup",
            data={
                "email": "eve@x.example",
                "display_name": "Eve",
                "password": PASSWORD,
                "confirm": PASSWORD,
                "csrf_token": token,
            },
        )
        assert again.status_code == 303 and again.headers["location"] == "/login"
        assert stranger.get("/control").status_code == 303  # and Eve is not signed in


def test_sign_in_refuses_a_wrong_password_and_sign_out_ends_the_session(
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, _ = app_and_game
    app.state.container.accounts.create("ada@college.example", "Ada", PASSWORD)  # type: ignore[attr-defined]
    with TestClient(app, follow_redirects=False) as client:  # type: ignore[arg-type]
        token = csrf_of(client.get("/login?next=/control").text)
        wrong = client.post(
            "/login", data={"email": "ada@college.example", "password": "nope", "csrf_token": token}
        )
        assert wrong.status_code == 400 and "Wrong email address or password." in wrong.text
        no_csrf = client.post("/login", data={"email": "ada@college.example", "password": PASSWORD})
        assert no_csrf.status_code == 403
        evil = client.post(
            "/login",
            data={
                "email": "ada@college.example",
                "password": PASSWORD,
                "csrf_token": token,
                "next": "//evil.example/",
            },
        )
        assert evil.status_code == 303 and evil.headers["location"] == "/control"
        token = csrf_of(client.get("/control").text)
        assert client.post("/logout", data={"csrf_token": token}).status_code == 303
        assert client.get("/control").headers["location"] == "/login?next=%2Fcontrol"


def test_every_control_route_refuses_anonymous_clients_and_players(
    app_and_game: tuple[object, CreatedGame],
    join_seat: JoinSeat,
) -> None:
    app, created = app_and_game
    routes = [r for router in control.ROUTERS for r in router_routes(router, game_id="anything")]
    assert ("GET", "/control") in routes and ("POST", "/control/exercises") in routes
    assert all(path.startswith("/control") for _, path in routes)
    player: Player = join_seat(app, created, "arvenia")
    anonymous = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    for client, csrf in ((anonymous, ""), (player.client, player.csrf)):
        assert_refused(client, routes, csrf=csrf, api_codes=frozenset({"login_required", "csrf"}))


def test_an_instructor_sets_up_two_syndicates_and_prints_their_join_sheet(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame], settings: Settings
) -> None:
    home = instructor.get("/control")
    assert home.status_code == 200 and "Set up an exercise" in home.text
    token = csrf_of(home.text)
    bad = instructor.post(
        "/control/exercises",
        data={
            "scenario_id": "meridian-strait",
            "name": "Spring",
            "syndicates": "40",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 400 and "between 1 and 12 syndicates" in bad.text
    created = instructor.post(
        "/control/exercises",
        data={
            "scenario_id": "meridian-strait",
            "name": "Spring",
            "syndicates": "2",
            "csrf_token": token,
        },
    )
    assert created.status_code == 303
    sheet = instructor.get(created.headers["location"])
    assert sheet.status_code == 200
    assert "Spring — syndicate 1" in sheet.text and "Spring — syndicate 2" in sheet.text
    links = re.findall(r"http://testserver/join/[\w-]+", sheet.text)
    assert len(links) == 6 and len(set(links)) == 6  # 3 nations x 2 syndicates, all distinct
    assert sheet.text.count("/observe/") == 2
    # Each seat's join code stands next to its link, grouped for reading aloud.
    codes = re.findall(r'<code class="join-code">([A-Z0-9]{4}-[A-Z0-9]{4})</code>', sheet.text)
    assert len(codes) == 6 and len(set(codes)) == 6
    # A link from the sheet seats a player in that syndicate's game.
    with TestClient(app_and_game[0]) as student:  # type: ignore[arg-type]
        page = take_seat(student, links[0].replace("http://testserver", ""))
        assert page.status_code == 200 and "Spring — syndicate 1" in page.text
        assert re.fullmatch(r"/games/\w+/nations/[\w-]+", page.url.path)
    # ...and so does a code typed on the home page (the second syndicate's first seat).
    with TestClient(app_and_game[0], follow_redirects=False) as student:  # type: ignore[arg-type]
        token = csrf_of(student.get("/").text)
        joined = student.post("/join", data={"code": codes[3].lower(), "csrf_token": token})
        assert joined.status_code == 303
        page = student.get(joined.headers["location"])
        assert page.status_code == 200 and "Spring — syndicate 2" in page.text
    listing = instructor.get("/control").text
    assert listing.count("syndicate 1") >= 1 and "Spring — syndicate 2" in listing


def test_the_record_of_a_game_exports_as_json_and_csv_with_the_turn_on_every_row(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    join_seat: JoinSeat,
) -> None:
    import csv
    import io
    import json

    app, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    channel = open_channel(arvenia, game, "lindmark")
    say(arvenia, game, channel, "Back channel: we carry the frigates, you the hospital.")
    send_orders(arvenia, game, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane")
    cardosa = join_seat(app, created, "cardosa")
    for player in (arvenia, lindmark, cardosa):
        send_orders(player, game, kind="ready", ready="true")

    def fetch(dataset: str, fmt: str) -> list[dict[str, str]]:
        response = instructor.get(f"/control/games/{game}/export/{dataset}.{fmt}")
        assert response.status_code == 200, response.text
        assert f"-{dataset}.{fmt}" in response.headers["content-disposition"]
        if fmt == "json":
            rows: list[dict[str, str]] = response.json()
            return rows
        return list(csv.DictReader(io.StringIO(response.text)))

    for dataset in ("events", "messages", "orders", "outcomes"):
        for fmt in ("json", "csv"):
            rows = fetch(dataset, fmt)
            assert rows, f"{dataset}.{fmt} is empty"
            assert all(str(row["turn"]) == "1" for row in rows), (dataset, fmt, rows[:2])
    messages = fetch("messages", "csv")
    assert [m["text"] for m in messages] == [
        "Back channel: we carry the frigates, you the hospital."
    ]
    orders = fetch("orders", "json")
    assert {"unit_committed", "ready_changed"} <= {o["kind"] for o in orders}
    commit = next(o for o in orders if o["kind"] == "unit_committed")
    assert (commit["actor"], commit["unit_id"]) == ("arvenia", "arv-1-frigate-sqn")
    outcomes = fetch("outcomes", "json")
    assert "open-lane" in {o["operation_id"] for o in outcomes}
    attempted = [o for o in outcomes if o["result"] != "not_attempted"]
    assert attempted and all(o["factors"] and o["summary"] for o in attempted)
    events = fetch("events", "csv")
    assert {"turn_resolved", "message_sent"} <= {e["kind"] for e in events}
    assert json.loads(next(e for e in events if e["kind"] == "turn_resolved")["data"])

    assert instructor.get(f"/control/games/{game}/export/secrets.json").status_code == 404
    assert instructor.get("/control/games/nope/export/events.csv").status_code == 404
    # Players never reach the record, not even of their own game.
    refused = arvenia.client.get(
        f"/control/games/{game}/export/messages.json", headers={"Accept": "application/json"}
    )
    assert refused.status_code == 403


def _page_of(player: Player, game_id: str) -> str:
    response = player.client.get(player.at(game_id))
    assert response.status_code == 200
    return response.text


def test_control_runs_the_clock_holds_overrides_gives_feedback_and_releases(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    join_seat: JoinSeat,
) -> None:
    app, created = app_and_game
    game = created.game_id
    console = instructor.get(f"/control/games/{game}")
    assert console.status_code == 200 and "Arvenia" in console.text
    token = csrf_of(instructor.get("/control").text)

    assert "Clock paused." in console_do(instructor, game, token, action="pause")
    status = instructor.get(f"/control/games/{game}/status").text
    assert "Clock paused with" in status
    assert "The clock is not running." in console_do(instructor, game, token, action="pause")
    assert "Clock resumed." in console_do(instructor, game, token, action="resume")
    assert "Phase extended." in console_do(instructor, game, token, action="extend", minutes="5")
    assert "Give a whole number of minutes." in console_do(
        instructor, game, token, action="extend", minutes="soon"
    )
    assert "Turns will wait" in console_do(instructor, game, token, action="hold", hold="on")

    arvenia, lindmark = players["arvenia"], players["lindmark"]
    send_orders(arvenia, game, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane")
    cardosa = join_seat(app, created, "cardosa")
    for player in (arvenia, lindmark, cardosa):
        send_orders(player, game, kind="ready", ready="true")
    held = instructor.get(f"/control/games/{game}").text
    assert "Adjudication of turn 1" in held and "capability match" in held
    assert "Arvenia: 1st Frigate Squadron" in held  # control sees every order
    assert "control is adjudicating" in _page_of(arvenia, game)
    assert "awaiting control" in _page_of(arvenia, game)

    refused = console_do(
        instructor,
        game,
        token,
        action="override",
        operation_id="open-lane",
        result="failure",
        reason="",
    )
    assert "Record why control overrides the outcome." in refused
    console_do(
        instructor,
        game,
        token,
        action="override",
        operation_id="open-lane",
        result="failure",
        reason="The convoy sailed into a minefield the rules do not model.",
    )
    console_do(
        instructor,
        game,
        token,
        action="feedback",
        nation_id="arvenia",
        text="Your frigates sailed without mine countermeasures.",
    )
    held_for = console_moment(instructor, game)
    assert held_for == {"turn": "1", "phase": "adjudication"}
    assert "Results released." in console_do(instructor, game, token, action="release")
    # The adjudication form of turn 1, sent again (another tab, a colleague): refused.
    again = console_do(instructor, game, token, action="adjudicate", then="release", **held_for)
    assert _message(again) == (
        "Turn 1's adjudication has already ended; the console now shows turn 2. "
        "Nothing was changed."
    )
    assert _turns_resolved(app, game) == [1]

    arvenia_page, lindmark_page = _page_of(arvenia, game), _page_of(lindmark, game)
    assert "Results of turn 1" in arvenia_page
    assert "a minefield the rules do not model" in arvenia_page  # the recorded reason
    # The combat results table is printed, and each outcome names the column it read.
    assert "Combat results table" in arvenia_page and "of the results table" in arvenia_page
    assert "without mine countermeasures" in arvenia_page
    assert "without mine countermeasures" not in lindmark_page  # feedback is Arvenia's


def _message(console: str) -> str:
    """What the console says at its top (what control did, or why not)."""
    said = re.search(r'<p class="control-message (?:ok|rejected)" role="status">(.*?)</p>', console)
    assert said is not None, console
    return html.unescape(said[1])


def _turns_resolved(app: object, game_id: str) -> list[int]:
    games = app.state.container.games  # type: ignore[attr-defined]
    logged = games.events_after(game_id, 0, 10_000)
    return [e.turn for e in logged if e.event.kind == "turn_resolved"]


STALE_END = (
    "Turn 1's orders phase has already ended; the console now shows turn 2. Nothing was changed."
)


def test_the_end_phase_form_sent_twice_ends_one_turn_and_says_why_not_twice(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    end = form_fields(instructor.get(f"/control/games/{game}").text, "end-phase")
    assert end == {"action": "advance", "turn": "1", "phase": "orders"}

    first = console_do(instructor, game, token, **end)
    assert _message(first) == "Orders phase ended."
    second = console_do(instructor, game, token, **end)
    assert 'class="control-message rejected"' in second and _message(second) == STALE_END
    # The refusal is only the line next to the button: nothing else on the page is redrawn.
    assert "<form" not in second and "<textarea" not in second
    assert _turns_resolved(app, game) == [1]
    state = app.state.container.games.snapshot(game).state  # type: ignore[attr-defined]
    assert (state.turn, state.phase.value) == (2, "orders")
    # The clock's forms, on the page and in its live top, are turn 2's now.
    assert form_fields(instructor.get(f"/control/games/{game}").text, "end-phase")["turn"] == "2"
    status = instructor.get(f"/control/games/{game}/status").text
    assert form_fields(status, "end-phase") == {**end, "turn": "2"}
    # A form that names no turn is refused, not guessed at.
    unnamed = console_do(instructor, game, token, action="advance", turn="", phase="")
    assert _message(unnamed) == (
        "This form does not say which turn it was meant for; reload the console."
    )
    assert _turns_resolved(app, game) == [1]


def test_the_same_end_phase_form_sent_at_once_by_two_instructors_ends_one_turn(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    end = form_fields(instructor.get(f"/control/games/{game}").text, "end-phase")
    with TestClient(app, follow_redirects=False) as colleague:  # type: ignore[arg-type]
        colleague_token = sign_in(colleague)
        together = threading.Barrier(2)

        def press(client: TestClient, csrf: str) -> str:
            together.wait()
            return _message(console_do(client, game, csrf, **end))

        with ThreadPoolExecutor(2) as pool:
            said = pool.map(press, (instructor, colleague), (token, colleague_token))
            answers = sorted(said)
    assert answers == ["Orders phase ended.", STALE_END]
    assert _turns_resolved(app, game) == [1]


def test_control_injects_reads_channels_and_manages_seats(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    arvenia, lindmark = players["arvenia"], players["lindmark"]

    # A live inject to Lindmark only.
    console_do(
        instructor,
        game,
        token,
        action="live_inject",
        title="Port strike",
        text="Dockers in Port Calder walk out at dawn.",
        to_lindmark="lindmark",
    )
    assert "Port strike (to you only): Dockers in Port Calder walk out" in _page_of(lindmark, game)
    assert "Dockers in Port Calder walk out" not in _page_of(arvenia, game)
    # A scripted event fired by hand, once.
    assert "Inject fired." in console_do(
        instructor, game, token, action="fire", event_id="militia-offensive"
    )
    assert "has already happened" in console_do(
        instructor, game, token, action="fire", event_id="militia-offensive"
    )

    # Control reads a private channel.
    channel = open_channel(arvenia, game, "lindmark")
    say(arvenia, game, channel, "Between us: we will not escort Cardosan ships.")
    read = instructor.get(f"/control/games/{game}/channels/{channel}")
    assert read.status_code == 200 and "we will not escort Cardosan ships" in read.text
    # ...and writes in it, as Control; its members read it like any message.
    assert "Message sent." in console_do(
        instructor,
        game,
        token,
        action="control_message",
        channel_id=channel,
        text="Control: the strait closes at 0600.",
    )
    talk = lindmark.client.get(
        lindmark.at(game, f"/talks/channels/{channel}"), headers={"HX-Request": "true"}
    ).text
    assert "the strait closes at 0600" in talk and "Control" in talk
    assert "Write something to send." in console_do(
        instructor, game, token, action="control_message", channel_id=channel, text="  "
    )

    # Seats: to a bot and back, and a new link that retires the old one.
    assert "played by a bot" in console_do(
        instructor, game, token, action="bot", nation_id="cardosa", personality="dove"
    )
    assert "bot" in instructor.get(f"/control/games/{game}/status").text
    assert "back with its students" in console_do(
        instructor, game, token, action="back", nation_id="cardosa"
    )
    old = next(s.token for s in created.seats if s.nation_id == "cardosa")
    old_code = next(s.grouped_code for s in created.seats if s.nation_id == "cardosa")
    assert old_code in instructor.get(f"/control/games/{game}/status").text
    relinked = console_do(instructor, game, token, action="relink", nation_id="cardosa")
    new = re.search(r"/join/([\w-]+) \(the old one", relinked)
    assert new is not None and new.group(1) != old
    new_code = re.search(r"new join code ([A-Z0-9]{4}-[A-Z0-9]{4})", relinked)
    assert new_code is not None and new_code.group(1) != old_code
    status = instructor.get(f"/control/games/{game}/status").text
    assert new_code.group(1) in status and old_code not in status
    with TestClient(app, follow_redirects=False) as student:  # type: ignore[arg-type]
        assert student.get(f"/join/{old}").status_code == 404
        assert take_seat(student, f"/join/{new.group(1)}").status_code == 303
        csrf = csrf_of(student.get("/").text)
        stale = student.post("/join", data={"code": old_code, "csrf_token": csrf})
        assert stale.status_code == 400 and "No seat has the join code" in stale.text
        fresh = student.post("/join", data={"code": new_code.group(1), "csrf_token": csrf})
        assert fresh.headers["location"] == f"/games/{game}/nations/cardosa"

    # A browser already holding a seat loses it with its link: pages, orders, socket.
    assert arvenia.client.get(arvenia.at(game)).status_code == 200
    console_do(instructor, game, token, action="relink", nation_id="arvenia")
    assert arvenia.client.get(arvenia.at(game)).status_code == 403
    refused = arvenia.client.post(
        arvenia.api(game, "/actions"), json={"kind": "ready", "ready": True}
    )
    assert refused.status_code == 403
    with arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as socket:
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_text()
        assert closed.value.code == 1008
    assert lindmark.client.get(lindmark.at(game)).status_code == 200  # others keep theirs


def test_control_branches_a_counterfactual_game_from_a_past_turn(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, _ = app_and_game
    games = app.state.container.games  # type: ignore[attr-defined]
    # Games made before turn states were kept cannot branch; a new one can.
    created = games.create_game("meridian-strait", seed=3, name="Spring exercise")
    token = csrf_of(instructor.get("/control").text)
    console = instructor.get(f"/control/games/{created.game_id}").text
    assert "From the start of turn" in console
    response = instructor.post(
        f"/control/games/{created.game_id}/branch",
        data={"turn": "1", "name": "", "csrf_token": token},
    )
    assert response.status_code == 303
    sheet = instructor.get(response.headers["location"]).text
    assert "Spring exercise — branch from turn 1" in sheet
    refused = instructor.post(
        f"/control/games/{created.game_id}/branch",
        data={"turn": "9", "csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert refused.status_code == 404 and "No state was kept" in refused.json()["message"]


def test_a_follow_on_scenario_opens_in_the_editor_from_a_running_game(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    page = instructor.get(f"/control/scenarios/from-game/{created.game_id}")
    assert page.status_code == 200
    assert "id: meridian-strait-follow-on" in page.text
    assert "left off" in page.text and "Valid" in page.text
    assert instructor.get("/control/scenarios/from-game/nope").status_code == 404


def test_an_exercise_can_be_set_up_in_strict_fog_with_bots_and_a_phase_length(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, _ = app_and_game
    token = csrf_of(instructor.get("/control").text)
    seats = instructor.get("/control/exercises/seats", params={"scenario_id": "meridian-strait"})
    assert 'name="seat_cardosa"' in seats.text and "Bot: dove" in seats.text
    created = instructor.post(
        "/control/exercises",
        data={
            "scenario_id": "meridian-strait",
            "name": "Fog drill",
            "syndicates": "1",
            "fog": "strict",
            "orders_minutes": "45",
            "seat_cardosa": "hawk",
            "csrf_token": token,
        },
    )
    assert created.status_code == 303
    game_id = created.headers["location"].split("/")[3]
    state = app.state.container.games.snapshot(game_id).state  # type: ignore[attr-defined]
    cardosa = state.nation("cardosa")
    assert state.fog == "strict" and state.orders_seconds == 45 * 60
    assert cardosa is not None and (cardosa.controller, cardosa.bot) == ("bot", "hawk")
    bad = instructor.post(
        "/control/exercises",
        data={
            "scenario_id": "meridian-strait",
            "fog": "foggy",
            "syndicates": "1",
            "csrf_token": token,
        },
    )
    assert bad.status_code == 400 and "Fog of war is one of" in bad.text


def test_an_instructor_adds_a_colleague_who_can_then_sign_in(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, _ = app_and_game
    page = instructor.get("/control/instructors")
    assert page.status_code == 200 and "Ada Lovelace" in page.text
    token = csrf_of(page.text)
    short = instructor.post(
        "/control/instructors",
        data={
            "display_name": "Grace Hopper",
            "email": "grace@college.example",
            "password": "short",
            "csrf_token": token,
        },
    )
    assert short.status_code == 400 and "at least 10 characters" in short.text
    assert 'value="grace@college.example"' in short.text  # kept, the password is not
    added = instructor.post(
        "/control/instructors",
        data={
            "display_name": "Grace Hopper",
            "email": "grace@college.example",
            "password": PASSWORD,
            "csrf_token": token,
        },
    )
    assert added.status_code == 200 and "Account created for Grace Hopper" in added.text
    with TestClient(app, follow_redirects=False) as grace:  # type: ignore[arg-type]
        sign_in(grace, "grace@college.example")


def test_control_ends_an_exercise_early_and_it_leaves_the_public_list(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    with TestClient(app) as stranger:  # type: ignore[arg-type]
        assert created.name in stranger.get("/").text
        assert "The exercise has ended" in console_do(
            instructor, game, token, action="end_exercise"
        )
        assert created.name not in stranger.get("/").text
    arvenia = players["arvenia"]
    page = arvenia.client.get(arvenia.at(game)).text
    assert "Control ended the exercise during turn 1." in page
    refused = arvenia.client.post(
        arvenia.api(game, "/actions"), json={"kind": "ready", "ready": True}
    )
    assert refused.status_code == 422
    assert "has ended" in console_do(instructor, game, token, action="end_exercise")


def test_the_join_sheet_prints_links_on_the_public_url_when_one_is_set(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    """Behind a proxy that ends TLS, the address the request came in on says http://;
    ENTENTE_PUBLIC_URL is what players must type."""
    app, created = app_and_game
    sheet_url = f"/control/games/{created.game_id}/sheet"
    assert "http://testserver/join/" in instructor.get(sheet_url).text
    settings = app.state.container.settings  # type: ignore[attr-defined]
    app.state.container.settings = settings.model_copy(  # type: ignore[attr-defined]
        update={"public_url": "https://wargame.example.org/"}
    )
    sheet = instructor.get(sheet_url).text
    assert "https://wargame.example.org/join/" in sheet
    assert "http://testserver/join/" not in sheet


def test_the_console_shows_when_each_seat_last_acted(
    instructor: TestClient, players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    status_url = f"/control/games/{created.game_id}/status"

    def last_action(nation_name: str) -> str:
        page = instructor.get(status_url).text
        row = re.search(rf"<th scope=\"row\">{nation_name}</th>(.*?)</tr>", page, re.S)
        assert row is not None
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
        return re.sub(r"<[^>]+>", "", cells[3]).strip()  # code, played by, ready, last action

    # Arvenia and Lindmark have joined (taking a seat is acting); nobody took Cardosa's.
    assert last_action("Cardosa") == "none yet"
    assert last_action("Arvenia") == "just now"
    arvenia = players["arvenia"]
    response = arvenia.client.post(
        arvenia.api(created.game_id, "/actions"), json={"kind": "ready", "ready": True}
    )
    assert response.status_code == 200, response.text
    assert last_action("Arvenia") == "just now"
    assert last_action("Cardosa") == "none yet"


def test_the_console_has_a_line_for_every_control_action_s_kind() -> None:
    assert set(CONTROL_DONE) | {"hold"} == set(CONTROL_ACTIONS)
