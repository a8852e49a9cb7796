"""The staff estimate's pages and API: a seat asks, follows the progress to the result,
compares a what-if; only its own estimates; control reads them all and can turn them off."""

from __future__ import annotations

import re
import time

from fastapi.testclient import TestClient

from app.services.games import CreatedGame
from tests.web.helpers import Player, private_strings, send_orders

Players = dict[str, Player]


def _wait_done(player: Player, game_id: str, estimate_id: int) -> dict[str, object]:
    """Poll the API until the worker pool has finished (waits for the state, bounded)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        body = player.client.get(player.api(game_id, f"/estimates/{estimate_id}")).json()
        if body["status"] != "running":
            return body
        time.sleep(0.1)
    raise AssertionError("the estimate never finished")


def _post(player: Player, game_id: str, **form: str) -> str:
    response = player.client.post(
        player.at(game_id, "/estimates"),
        data=form,
        headers={"X-CSRF-Token": player.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 200
    return response.text


def test_a_seat_asks_for_an_estimate_and_reads_it(
    app_and_game: tuple[object, CreatedGame], players: Players
) -> None:
    _, created = app_and_game
    game_id, arvenia = created.game_id, players["arvenia"]
    send_orders(
        arvenia, game_id, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane"
    )
    page = arvenia.client.get(arvenia.at(game_id, "/estimates"))
    assert page.status_code == 200 and "Estimate my current orders" in page.text
    fragment = _post(arvenia, game_id, runs="100", horizon="turn", others="cooperative")
    found = re.search(r'hx-get="[^"]*/estimates/(\d+)"', fragment)
    assert found, fragment
    estimate_id = int(found.group(1))
    body = _wait_done(arvenia, game_id, estimate_id)
    assert body["status"] == "done" and body["kind"] == "current"
    current = body["current"]
    assert isinstance(current, dict) and current["runs"] == 100
    lane = next(o for o in current["operations"] if o["operation_id"] == "open-lane")
    assert lane["mine"] and lane["success"]["n"] == 100
    shown = arvenia.client.get(arvenia.at(game_id, f"/estimates/{estimate_id}")).text
    assert "Open Lane" in shown or "open-lane" in shown
    assert "95% interval" in shown


def test_a_what_if_is_compared_with_the_current_orders(
    app_and_game: tuple[object, CreatedGame], players: Players
) -> None:
    _, created = app_and_game
    game_id, arvenia = created.game_id, players["arvenia"]
    send_orders(
        arvenia, game_id, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane"
    )
    fragment = _post(
        arvenia, game_id, what_if="1", runs="100", **{"unit:arv-air-wing": "open-lane"}
    )
    estimate_id = int(re.search(r"/estimates/(\d+)", fragment).group(1))  # type: ignore[union-attr]
    body = _wait_done(arvenia, game_id, estimate_id)
    assert body["kind"] == "what-if" and body["current"] and body["draft"]
    html = arvenia.client.get(arvenia.at(game_id, f"/estimates/{estimate_id}")).text
    assert "Draft: success" in html and "points" in html
    # Nothing was committed by the what-if.
    view = arvenia.client.get(arvenia.api(game_id, "/view")).json()
    air_wing = next(u for u in view["me"]["units"] if u["id"] == "arv-air-wing")
    assert air_wing["operation_id"] is None


def test_an_estimate_is_its_nations_alone(
    app_and_game: tuple[object, CreatedGame], players: Players, instructor: TestClient
) -> None:
    _, created = app_and_game
    game_id, arvenia, lindmark = created.game_id, players["arvenia"], players["lindmark"]
    send_orders(
        arvenia, game_id, kind="commit", unit_id="arv-1-frigate-sqn", operation_id="open-lane"
    )
    fragment = _post(arvenia, game_id, runs="100")
    estimate_id = int(re.search(r"/estimates/(\d+)", fragment).group(1))  # type: ignore[union-attr]
    _wait_done(arvenia, game_id, estimate_id)
    # Another seat cannot read it, by its own address or the owner's.
    own_path = lindmark.at(game_id, f"/estimates/{estimate_id}")
    assert lindmark.client.get(own_path).status_code == 404
    assert lindmark.client.get(arvenia.at(game_id, f"/estimates/{estimate_id}")).status_code == 403
    # Its page never shows another nation's secrets.
    lindmark_page = lindmark.client.get(lindmark.at(game_id, "/estimates")).text
    for secret in private_strings("arvenia"):
        assert secret not in lindmark_page
    # Control reads every estimate, and can turn them off.
    listing = instructor.get(f"/control/games/{game_id}/estimates").text
    assert "Arvenia" in listing and "current orders" in listing
    review = instructor.get(f"/control/games/{game_id}/aar").text
    assert "Staff estimates" in review and "T1 · Arvenia" in review
    token = re.search(r'"X-CSRF-Token": "([^"]+)"', listing).group(1)  # type: ignore[union-attr]
    off = instructor.post(
        f"/control/games/{game_id}/estimates/allowed",
        data={"allowed": "no", "csrf_token": token},
    )
    assert off.status_code == 303
    refused = _post(arvenia, game_id, runs="100")
    assert "turned staff estimates off" in refused


def test_bad_estimate_requests_are_refused_with_a_reason(
    app_and_game: tuple[object, CreatedGame], players: Players
) -> None:
    _, created = app_and_game
    game_id, arvenia = created.game_id, players["arvenia"]
    assert "runs must be between" in _post(arvenia, game_id, runs="0")
    assert "runs must be between" in _post(arvenia, game_id, runs="many")
    assert "horizon must be one of" in _post(arvenia, game_id, horizon="forever")
    api = arvenia.client.post(arvenia.api(game_id, "/estimates"), json={"runs": 100000})
    assert api.status_code == 422
