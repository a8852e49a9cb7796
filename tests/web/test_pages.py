"""The nation's pages over HTTP: joining, hidden information, orders, bad input."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from app.services.games import CreatedGame
from tests.servers import take_seat
from tests.web.helpers import JoinSeat, Player, private_strings


def test_healthz_reports_the_database(players: dict[str, Player]) -> None:
    body = players["arvenia"].client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_each_seat_sees_its_own_private_data_and_nothing_of_the_others(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    for mine, other in (("arvenia", "lindmark"), ("lindmark", "arvenia")):
        page = players[mine].client.get(players[mine].at(created.game_id)).text
        for text in private_strings(mine):
            assert str(escape(text)) in page, text
        for text in private_strings(other) + private_strings("cardosa"):
            assert text not in page and str(escape(text)) not in page, f"{mine} sees {text!r}"
        api = players[mine].client.get(players[mine].api(created.game_id, "/view")).text
        for text in private_strings(other):
            assert text not in api


def test_without_a_seat_the_game_is_forbidden(app_and_game: tuple[object, CreatedGame]) -> None:
    app, created = app_and_game
    with TestClient(app) as anonymous:  # type: ignore[arg-type]
        page = anonymous.get(f"/games/{created.game_id}/nations/arvenia")
        assert page.status_code == 403
        assert "join link" in page.text
        assert (
            anonymous.get(f"/api/games/{created.game_id}/nations/arvenia/view").status_code == 403
        )
        assert anonymous.get("/join/forged-token").status_code == 404


def test_a_seat_in_one_game_gives_nothing_in_another(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    app, _ = app_and_game
    other = app.state.container.games.create_game("meridian-strait", seed=9)  # type: ignore[attr-defined]
    assert players["arvenia"].client.get(players["arvenia"].at(other.game_id)).status_code == 403


def test_commit_answers_with_an_acknowledgement(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    player = players["arvenia"]
    response = player.client.post(
        player.at(created.game_id, "/orders"),
        data={"kind": "commit", "unit_id": "arv-1-frigate-sqn", "operation_id": "open-lane"},
        headers={"X-CSRF-Token": player.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Committed to Operation Open Lane: 1st Frigate Squadron." in response.text
    # Panels come through the websocket in sequence order, never with the response.
    assert 'id="situation"' not in response.text
    view = player.client.get(player.api(created.game_id, "/view")).json()
    assert "arv-1-frigate-sqn" in view["operations"][0]["my_units"]


def test_several_units_commit_at_once_and_each_refusal_says_why(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    player = players["lindmark"]  # caveat no-combat: its units go to Saltmarsh Relief only
    page = player.client.get(player.at(created.game_id)).text
    form = page[page.index('id="commit-form-saltmarsh-relief"') :]
    form = form[: form.index("</form>")]
    assert form.count('type="checkbox"') >= 2 and "checked" not in form  # none preselected
    response = player.client.post(
        player.at(created.game_id, "/orders"),
        data={
            "kind": "commit",
            "operation_id": "saltmarsh-relief",
            "unit_id": ["lin-field-hospital", "lin-engineer-coy", "nobody's-unit"],
        },
        headers={"X-CSRF-Token": player.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 200
    answer = html.unescape(response.text)
    assert (
        "Committed to Saltmarsh Relief: Role 2 Field Hospital, "
        "Water and Shelter Engineer Company." in answer
    ), answer
    assert re.search(r'class="rejected">nobody\'s-unit not committed: \S', answer), answer
    view = player.client.get(player.api(created.game_id, "/view")).json()
    relief = next(o for o in view["operations"] if o["id"] == "saltmarsh-relief")
    assert set(relief["my_units"]) == {"lin-field-hospital", "lin-engineer-coy"}
    # Committed again: each is refused with the rules' reason, none is lost silently.
    again = player.client.post(
        player.at(created.game_id, "/orders"),
        data={
            "kind": "commit",
            "operation_id": "saltmarsh-relief",
            "unit_id": ["lin-field-hospital", "lin-engineer-coy"],
        },
        headers={"X-CSRF-Token": player.csrf, "HX-Request": "true"},
    )
    assert html.unescape(again.text).count(" not committed: ") == 2, again.text
    assert "Committed to" not in again.text
    # Nothing chosen: a clear answer, nothing applied.
    empty = player.client.post(
        player.at(created.game_id, "/orders"),
        data={"kind": "commit", "operation_id": "saltmarsh-relief"},
        headers={"X-CSRF-Token": player.csrf, "HX-Request": "true"},
    )
    assert empty.status_code == 200 and "Choose a unit to commit." in empty.text


def test_the_api_commits_a_batch_in_order_and_reports_each(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    player = players["lindmark"]
    url = player.api(created.game_id, "/actions/batch")
    commit = {"kind": "commit", "operation_id": "saltmarsh-relief"}
    response = player.client.post(
        url,
        json={
            "actions": [
                {**commit, "unit_id": "lin-field-hospital"},
                {**commit, "unit_id": "lin-engineer-coy", "operation_id": "open-lane"},
                {**commit, "unit_id": "lin-medevac-flight"},
            ]
        },
    )
    assert response.status_code == 200, response.text
    first, refused, third = response.json()["results"]
    assert first["accepted"] and third["accepted"] and third["seq"] > first["seq"]
    assert refused["accepted"] is False and refused["code"] == "caveat"
    assert "no-combat" in refused["message"]
    view = player.client.get(player.api(created.game_id, "/view")).json()
    relief = next(o for o in view["operations"] if o["id"] == "saltmarsh-relief")
    assert set(relief["my_units"]) == {"lin-field-hospital", "lin-medevac-flight"}
    for bad, status in (({"actions": []}, 422), ({"actions": [1]}, 422), ([], 422)):
        answer = player.client.post(url, json=bad)
        assert answer.status_code == status and answer.json()["code"] == "malformed", bad
    too_many = player.client.post(url, json={"actions": [commit] * 65})
    assert too_many.status_code == 422 and too_many.json()["code"] == "too_many"
    document = player.client.get("/openapi.json").json()
    route = document["paths"]["/api/games/{game_id}/nations/{nation_id}/actions/batch"]["post"]
    items = route["requestBody"]["content"]["application/json"]["schema"]["properties"]
    single = document["paths"]["/api/games/{game_id}/nations/{nation_id}/actions"]["post"]
    assert (
        items["actions"]["items"]
        == (single["requestBody"]["content"]["application/json"]["schema"])
    )


def test_a_rejected_order_says_why_in_place(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    player = players["lindmark"]  # caveat no-combat
    response = player.client.post(
        player.at(created.game_id, "/orders"),
        data={"kind": "commit", "unit_id": "lin-field-hospital", "operation_id": "open-lane"},
        headers={"X-CSRF-Token": player.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "rejected" in response.text
    assert "no-combat" in response.text


def test_orders_without_the_csrf_token_are_refused(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    response = players["arvenia"].client.post(
        players["arvenia"].at(created.game_id, "/orders"), data={"kind": "ready", "ready": "true"}
    )
    assert response.status_code == 403
    assert (
        players["arvenia"]
        .client.get(players["arvenia"].api(created.game_id, "/view"))
        .json()["nations"][0]["ready"]
        is False
    )


@pytest.mark.parametrize(
    ("body", "headers", "status", "code"),
    [
        ("{not json", {"content-type": "application/json"}, 400, "malformed"),
        ("[1, 2]", {"content-type": "application/json"}, 422, "malformed"),
        ('{"kind": "nuke"}', {"content-type": "application/json"}, 422, "unknown_action"),
        (
            '{"kind": "commit", "unit_id": 5}',
            {"content-type": "application/json"},
            422,
            "malformed",
        ),
        (
            '{"kind": "ready", "ready": "perhaps"}',
            {"content-type": "application/json"},
            422,
            "malformed",
        ),
        ("kind=ready", {"content-type": "text/plain"}, 415, "unsupported_media_type"),
    ],
)
def test_bad_api_input_gets_a_structured_error_never_a_500(
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
    body: str,
    headers: dict[str, str],
    status: int,
    code: str,
) -> None:
    _, created = app_and_game
    response = players["arvenia"].client.post(
        players["arvenia"].api(created.game_id, "/actions"), content=body, headers=headers
    )
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_api_action_is_accepted_and_numbered(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    response = players["arvenia"].client.post(
        players["arvenia"].api(created.game_id, "/actions"), json={"kind": "ready", "ready": True}
    )
    assert response.status_code == 200
    assert response.json() == {"accepted": True, "seq": 4}  # created, 2 joins, this


@pytest.mark.parametrize(
    "path",
    [
        "/games/nope",
        "/games/nope/nations/arvenia",
        "/api/games/nope/nations/arvenia/view",
        "/nowhere",
        "/games/%00%ff/nations/x/ws",
        "/join/",
    ],
)
def test_unknown_addresses_are_4xx_not_500(players: dict[str, Player], path: str) -> None:
    response = players["arvenia"].client.get(path)
    assert 400 <= response.status_code < 500


def test_the_page_offers_only_legal_units_and_says_why_an_operation_is_closed(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    page = players["lindmark"].client.get(players["lindmark"].at(created.game_id)).text
    # Lindmark's no-combat caveat: no commit form for the hard operations, and the reason.
    assert 'id="commit-form-open-lane"' not in page
    assert 'id="commit-form-saltmarsh-relief"' in page
    assert str(escape("Lindmark's national caveat 'no-combat' forbids")) in page


def test_one_browser_holding_two_seats_acts_for_the_seat_of_each_page(
    app_and_game: tuple[object, CreatedGame],
    join_seat: JoinSeat,
) -> None:
    # An instructor trying the game opens two join links in one browser: each page must
    # keep acting for its own nation, not for the seat joined last.
    app, created = app_and_game
    arvenia = join_seat(app, created, "arvenia")
    lindmark_token = next(s.token for s in created.seats if s.nation_id == "lindmark")
    assert take_seat(arvenia.client, f"/join/{lindmark_token}").status_code == 200
    lindmark = Player("lindmark", arvenia.client, arvenia.csrf)

    arvenia_page = arvenia.client.get(arvenia.at(created.game_id)).text
    assert (
        "Arvenia" in arvenia_page and str(escape("Lindmark's national caveat")) not in arvenia_page
    )
    response = arvenia.client.post(
        arvenia.at(created.game_id, "/orders"),
        data={"kind": "ready", "ready": "true"},
        headers={"X-CSRF-Token": arvenia.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 200
    view = arvenia.client.get(lindmark.api(created.game_id, "/view")).json()
    ready = {n["id"]: n["ready"] for n in view["nations"]}
    assert ready == {"arvenia": True, "cardosa": False, "lindmark": False}
    # The bare game address no longer guesses which seat is meant: it lists them.
    chooser = arvenia.client.get(f"/games/{created.game_id}")
    assert chooser.status_code == 200
    assert arvenia.at(created.game_id) in chooser.text
    assert lindmark.at(created.game_id) in chooser.text


def test_a_seat_not_held_by_this_browser_is_forbidden(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    client = players["arvenia"].client
    assert client.get(f"/games/{created.game_id}/nations/lindmark").status_code == 403
    response = client.post(
        f"/games/{created.game_id}/nations/lindmark/orders",
        data={"kind": "ready", "ready": "true"},
        headers={"X-CSRF-Token": players["arvenia"].csrf},
    )
    assert response.status_code == 403
    assert "do not hold this seat" in response.text
    assert client.get(f"/api/games/{created.game_id}/nations/lindmark/view").status_code == 403
    view = players["lindmark"].client.get(players["lindmark"].api(created.game_id, "/view"))
    assert not next(n for n in view.json()["nations"] if n["id"] == "lindmark")["ready"]


def test_api_docs_are_served_without_a_cdn(players: dict[str, Player]) -> None:
    client = players["arvenia"].client
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "https://" not in page.text
    for asset in re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text):
        assert client.get(asset).status_code == 200, asset
    schema = client.get("/openapi.json").json()
    assert "/api/games/{game_id}/nations/{nation_id}/actions" in schema["paths"]


def test_the_api_documents_each_actions_body(players: dict[str, Player]) -> None:
    from dataclasses import MISSING, fields
    from typing import get_args

    from app.rules.action_types import Action

    document = players["arvenia"].client.get("/openapi.json").json()
    route = document["paths"]["/api/games/{game_id}/nations/{nation_id}/actions"]["post"]
    body = route["requestBody"]["content"]["application/json"]["schema"]
    mapping = body["discriminator"]["mapping"]
    assert body["discriminator"]["propertyName"] == "kind"
    assert len(body["oneOf"]) == len(get_args(Action))
    for action in get_args(Action):
        kind = action.kind  # the dataclass's default: the action's one name
        name = mapping[kind].rsplit("/", 1)[1]
        schema = document["components"]["schemas"][name]
        assert schema["properties"]["kind"]["const"] == kind
        needed = {
            f.name for f in fields(action) if f.default is MISSING and f.default_factory is MISSING
        }
        assert set(schema["required"]) == needed | {"kind"}, kind
        assert "turn" in schema["properties"]


def test_an_observer_link_shows_the_public_view_read_only(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    from app.services.access import observer_token

    app, created = app_and_game
    container = app.state.container  # type: ignore[attr-defined]
    token = observer_token(container.settings.resolved_secret_key(), created.game_id)
    with TestClient(app) as watcher:  # type: ignore[arg-type]
        assert watcher.get(f"/games/{created.game_id}/observe").status_code == 403
        assert watcher.get(f"/observe/{created.game_id}/forged").status_code == 403
        page = watcher.get(f"/observe/{created.game_id}/{token}")
        assert page.status_code == 200, page.text
        assert "Observer" in page.text
        for nation in ("arvenia", "cardosa", "lindmark"):
            for text in private_strings(nation):
                assert text not in page.text and str(escape(text)) not in page.text
        assert "hx-post" not in page.text  # nothing to act with
        with watcher.websocket_connect(f"/games/{created.game_id}/observe/ws") as socket:
            snapshot = socket.receive_text()
            assert 'id="operations"' in snapshot and 'id="negotiation"' not in snapshot
            players["lindmark"].client.post(
                players["lindmark"].at(created.game_id, "/orders"),
                data={"kind": "ready", "ready": "true"},
                headers={"X-CSRF-Token": players["lindmark"].csrf, "HX-Request": "true"},
            )
            seen = ""
            while "Lindmark is ready." not in seen:
                seen += socket.receive_text()
        # A seat's session does not make its holder an observer of another game's seats.
        assert watcher.get(f"/games/{created.game_id}/nations/arvenia").status_code == 403


def test_the_console_carries_the_scenario_briefing_rendered_from_markdown(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    page = players["arvenia"].client.get(players["arvenia"].at(created.game_id)).text
    assert 'id="view-briefing"' in page and 'id="tab-briefing"' in page
    briefing = page.split('id="view-briefing"', 1)[1]
    assert "<p>" in briefing and "Meridian" in briefing
