"""The after-action review pages: the review of a played game (charts as inline SVG with
their text alternatives, scorecards with the secret objectives, timeline, replay, exports,
print), the comparison of syndicates, the links from control's home, and authorisation."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from app.services.games import CreatedGame
from app.web.endpoints import aar
from tests.web.helpers import (
    JoinSeat,
    Player,
    assert_refused,
    console_do,
    csrf_of,
    form_fields,
    router_routes,
    send_orders,
)


def _act(player: Player, game_id: str, action: dict[str, object]) -> dict[str, object]:
    response = player.client.post(
        player.api(game_id, "/actions"), json=action, headers={"X-CSRF-Token": player.csrf}
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def _end_phase(instructor: TestClient, game_id: str) -> None:
    """Control presses "End the phase now" on the console."""
    token = csrf_of(instructor.get("/control").text)
    end = form_fields(instructor.get(f"/control/games/{game_id}").text, "end-phase")
    assert "Orders phase ended." in console_do(instructor, game_id, token, **end)


def _play_two_turns(instructor: TestClient, players: dict[str, Player], game_id: str) -> None:
    """Arvenia and Lindmark form a coalition and commit forces; control ends each turn."""
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    _act(
        arvenia,
        game_id,
        {
            "kind": "propose",
            "agreement": "coalition_membership",
            "parties": ["arvenia", "lindmark"],
            "terms": {"name": "Strait Group", "lead": "arvenia", "operations": "open-lane"},
        },
    )
    view = lindmark.client.get(lindmark.api(game_id, "/view")).json()
    proposal = next(a["id"] for a in view["agreements"] if a["status"] == "open")
    _act(lindmark, game_id, {"kind": "sign", "agreement_id": proposal})
    for _turn in (1, 2):
        send_orders(
            arvenia, game_id, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane"
        )
        send_orders(
            lindmark,
            game_id,
            kind="commit",
            unit_id="lin-field-hospital",
            operation_id="saltmarsh-relief",
        )
        _end_phase(instructor, game_id)


def test_the_review_shows_charts_scorecards_timeline_replay_and_exports(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
) -> None:
    _, created = app_and_game
    game = created.game_id
    _play_two_turns(instructor, players, game)

    page = instructor.get(f"/control/games/{game}/aar")
    assert page.status_code == 200, page.text
    html = page.text
    assert "After-action review" in html and "in progress: turn 3 of 3" in html
    # Five charts, each an inline SVG image named by its title and described in words,
    # with a legend and its data in a table.
    for chart in ("escalation", "cohesion", "support", "trust", "burden"):
        figure = re.search(rf'<figure class="chart" id="chart-{chart}".*?</figure>', html, re.S)
        assert figure is not None, chart
        svg = figure.group(0)
        assert (
            'role="img"' in svg
            and f'aria-labelledby="chart-{chart}-title chart-{chart}-desc"' in svg
        )
        assert (
            f'<title id="chart-{chart}-title">' in svg and f'<desc id="chart-{chart}-desc">' in svg
        )
        assert 'class="chart-legend"' in svg and "<details" in svg and "<table" in svg
    assert "<script" not in html.split("</head>", 1)[1]  # the charts need no script
    assert "Strait Group" in html  # a line of the cohesion chart, and the timeline
    assert "Level on the ladder" in html and "Start of turn" in html  # axis titles
    # Scorecards: control sees every nation's secret objectives, judged.
    assert "Pay at most half of the coalition&#39;s costs." in html
    assert "Commit to no hard-power operation." in html
    assert "End with at least half of the budget (20)." in html
    assert html.count('<span class="tag tag-secret">secret</span>') >= 4
    assert "not met" in html or " met" in html
    # The timeline: the agreement, the coalition, each turn's outcomes with their result.
    assert "Signed: coalition membership agreement between Arvenia and Lindmark." in html
    assert "Strait Group is formed by Arvenia and Lindmark." in html
    assert "Turn 1 resolved." in html and "Turn 2 resolved." in html
    assert "Operation Open Lane" in html and "tag-result-" in html
    # The replay: links to each turn, turn 1 by default.
    for turn in (1, 2, 3):
        assert f'href="?turn={turn}#replay"' in html
    assert "At the start of turn 1" in html
    # The exports, and printing.
    for dataset in ("events", "messages", "orders", "outcomes"):
        for fmt in ("json", "csv"):
            assert f'href="/control/games/{game}/export/{dataset}.{fmt}"' in html
    assert "data-print" in html  # static/js/print.js prints: the CSP allows no onclick

    second = instructor.get(f"/control/games/{game}/aar?turn=2")
    assert second.status_code == 200 and "At the start of turn 2" in second.text
    replay = second.text.split('id="replay"', 1)[1]
    assert "Strait Group" in replay and "standing since turn 1" in replay
    assert instructor.get(f"/control/games/{game}/aar?turn=7").status_code == 404
    assert instructor.get("/control/games/nope/aar").status_code == 404

    # Printed: a cover, then every turn's replay (the screen shows one at a time), on the
    # report's pages with their header and page numbers.
    assert html.count('class="replay-print-turn"') == 3  # turns 1, 2 and 3 as they opened
    assert 'class="print-cover print-only"' in html and "Printed</dt>" in html
    css = instructor.get("/static/app.css").text
    assert "@page report {" in css and 'counter(page) " of " counter(pages)' in css


def test_an_ended_game_can_be_replayed_to_its_end(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
) -> None:
    _, created = app_and_game
    game = created.game_id
    _play_two_turns(instructor, players, game)
    _end_phase(instructor, game)
    html = instructor.get(f"/control/games/{game}/aar").text
    assert "ended after turn 3 of 3" in html and 'href="?turn=end#replay"' in html
    end = instructor.get(f"/control/games/{game}/aar?turn=end").text
    assert "When the game ended" in end


def test_a_new_game_has_a_review_before_any_turn_resolved(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    page = instructor.get(f"/control/games/{created.game_id}/aar")
    assert page.status_code == 200
    assert "No coalition existed in this game." in page.text
    assert "No turn has been resolved yet." in page.text
    assert "At the start of turn 1" in page.text


def test_the_comparison_lists_every_syndicate_and_home_links_to_it(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    token = csrf_of(instructor.get("/control").text)
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
    home = instructor.get("/control").text
    compare = re.search(r'href="(/control/exercises/\w+/compare)"', home)
    assert compare is not None
    game_ids = re.findall(r'href="/control/games/(\w+)/aar"', home)
    assert len(set(game_ids)) == 3  # the two syndicates and the fixture's game
    _end_phase(instructor, game_ids[0])  # syndicate 2 (newest first) plays a turn

    page = instructor.get(compare.group(1))
    assert page.status_code == 200, page.text
    html = page.text
    assert "Syndicates compared" in html and "Spring" in html
    assert "Syndicate 1" in html and "Syndicate 2" in html
    for measure in (
        "Collective score",
        "Arvenia's score",
        "Escalation peak",
        "Operations completed",
        "Mean cohesion",
    ):
        assert measure in html, measure
    assert '<figure class="chart" id="chart-compare-escalation"' in html
    assert html.count('data-series="Syndicate') == 2  # one line per syndicate
    for game_id in game_ids[:2]:
        assert f'href="/control/games/{game_id}/aar"' in html
    assert instructor.get("/control/exercises/nope/compare").status_code == 404


def test_every_review_route_refuses_anonymous_clients_and_players(
    app_and_game: tuple[object, CreatedGame],
    join_seat: JoinSeat,
) -> None:
    app, created = app_and_game
    routes = router_routes(aar.router, game_id="anything", exercise_id="any")
    assert ("GET", "/control/games/anything/aar") in routes
    assert ("GET", "/control/exercises/any/compare") in routes
    assert all(path.startswith("/control") for _, path in routes)
    player: Player = join_seat(app, created, "arvenia")
    anonymous = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    for client in (anonymous, player.client):
        assert_refused(client, [*routes, ("GET", f"/control/games/{created.game_id}/aar")])


def test_control_overrides_and_feedback_are_in_the_timeline(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
) -> None:
    _, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)

    def do(**form: str) -> None:
        html = console_do(instructor, game, token, **form)
        assert "rejected" not in html, html

    do(action="hold", hold="on")
    send_orders(
        players["arvenia"],
        game,
        kind="commit",
        unit_id="arv-1-frigate-sqn",
        operation_id="open-lane",
    )
    do(action="advance")
    do(
        action="override",
        operation_id="open-lane",
        result="failure",
        reason="Mines the rules do not model.",
    )
    do(action="feedback", nation_id="arvenia", text="Sweep for mines first.")
    do(action="release")
    do(action="live_inject", title="Port strike", text="Dockers walk out.", to_lindmark="lindmark")

    html = instructor.get(f"/control/games/{game}/aar").text
    timeline = html.split('id="timeline"', 1)[1].split('id="replay"', 1)[0]
    assert "Control adjudicated Operation Open Lane a failure: Mines the rules do not model." in (
        timeline
    )
    assert "control adjudicated it a failure: Mines the rules do not model." in timeline
    assert "Control&#39;s feedback to Arvenia: Sweep for mines first." in timeline
    assert "Port strike: Dockers walk out. (written by control) (only to Lindmark)" in timeline
    turn_two = timeline.split('id="turn-2-heading"', 1)[1]
    assert "Port strike" in turn_two and "Sweep for mines" not in turn_two
