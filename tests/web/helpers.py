"""Helpers of the web tests: players and their seats, the instructor's sign-in, forms sent
as the pages send them. Plain functions; the fixtures that use them are in conftest.py."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from app.services.games import CreatedGame
from tests.conftest import SCENARIOS_DIR
from tests.servers import take_seat

PASSWORD = "correct horse battery"
"""The password of the instructor accounts the web tests create."""

SCENARIO_FILE = SCENARIOS_DIR / "meridian-strait.yaml"


@dataclass
class Player:
    nation_id: str
    client: TestClient
    csrf: str

    def at(self, game_id: str, suffix: str = "") -> str:
        """This seat's address in a game: page, orders, websocket."""
        return f"/games/{game_id}/nations/{self.nation_id}{suffix}"

    def api(self, game_id: str, suffix: str) -> str:
        return f"/api/games/{game_id}/nations/{self.nation_id}{suffix}"


JoinSeat = Callable[[object, CreatedGame, str], Player]
"""The `join_seat` fixture: `join_seat(app, created, nation_id)` seats a new client."""


@contextlib.contextmanager
def joined(app: object, created: CreatedGame, nation_id: str) -> Iterator[Player]:
    """A new client (its app started) holding `nation_id`'s seat, closed on leaving."""
    with TestClient(app) as client:  # type: ignore[arg-type]
        token = next(s.token for s in created.seats if s.nation_id == nation_id)
        page = take_seat(client, f"/join/{token}")
        assert page.status_code == 200, page.text
        match = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
        assert match is not None
        yield Player(nation_id, client, match.group(1))


def csrf_of(html: str) -> str:
    """The CSRF token of a page's forms."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, html
    return match.group(1)


def sign_in(client: TestClient, email: str = "ada@college.example") -> str:
    """Sign `client` in; the CSRF token of its control pages."""
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token, "next": ""}
    )
    assert response.status_code == 303 and response.headers["location"] == "/control"
    return csrf_of(client.get("/control").text)


def router_routes(router: APIRouter, **placeholders: str) -> list[tuple[str, str]]:
    """Every (method, path) of `router` but HEAD, with its path parameters filled in from
    `placeholders` (`game_id="anything"` fills `{game_id}`)."""
    routes = []
    for route in router.routes:
        path, methods = getattr(route, "path", ""), getattr(route, "methods", None)
        for name, value in placeholders.items():
            path = path.replace("{" + name + "}", value)
        routes.extend((method, path) for method in sorted(methods or ()) if method != "HEAD")
    return routes


def assert_refused(
    client: TestClient,
    routes: list[tuple[str, str]],
    *,
    csrf: str = "",
    api_codes: frozenset[str] = frozenset({"login_required"}),
) -> None:
    """`client` is no signed-in instructor: every page sends it to sign-in, every other
    request is refused, and a JSON client gets a 403 whose code is one of `api_codes`."""
    client.follow_redirects = False
    for method, path in routes:
        response = client.request(method, path, headers={"X-CSRF-Token": csrf})
        if method == "GET":
            assert response.status_code == 303, (method, path, response.status_code)
            assert response.headers["location"].startswith("/login?next=")
        else:
            assert response.status_code == 403, (method, path, response.status_code)
        api = client.request(method, path, headers={"Accept": "application/json"})
        assert api.status_code == 403 and api.json()["code"] in api_codes, (method, path)


def private_strings(nation_id: str) -> list[str]:
    """Everything about a nation that only it (and control) may see."""
    from app.scenarios.loader import load_scenario

    nation = load_scenario(SCENARIO_FILE).nation(nation_id)
    assert nation is not None
    return [nation.secret_objective, *(u.name for u in nation.units), *(u.id for u in nation.units)]


def send_orders(player: Player, game_id: str, **form: str) -> str:
    """The orders form `form`, sent from the seat's page; the fragment it answers."""
    response = player.client.post(
        player.at(game_id, "/orders"),
        data=form,
        headers={"X-CSRF-Token": player.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 200
    return response.text


def receive_until(socket: WebSocketTestSession, needle: str, limit: int = 10) -> list[str]:
    messages = []
    for _ in range(limit):
        messages.append(socket.receive_text())
        if needle in messages[-1]:
            return messages
    raise AssertionError(f"{needle!r} not received in {limit} messages")


def post_talks(player: Player, game_id: str, suffix: str, **form: Any) -> httpx.Response:
    """A negotiation form (`/talks{suffix}`), sent from the seat's page."""
    response = player.client.post(
        player.at(game_id, f"/talks{suffix}"),
        data=form,
        headers={"X-CSRF-Token": player.csrf, "HX-Request": "true"},
    )
    assert response.status_code == 200, response.text
    return response


def open_channel(player: Player, game_id: str, *members: str) -> str:
    response = post_talks(player, game_id, "/channels", members=list(members))
    match = re.search(r'id="channel-cursor" hidden data-channel="([^"]+)"', response.text)
    assert match is not None, response.text
    return match.group(1)


def say(player: Player, game_id: str, channel_id: str, text: str) -> httpx.Response:
    return post_talks(player, game_id, "/messages", channel_id=channel_id, text=text)


def form_fields(page: str, form_id: str) -> dict[str, str]:
    """The hidden fields of one form of a page: what pressing its button sends."""
    form = re.search(rf'<form id="{form_id}"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None, page
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form[1]))


def console_moment(client: TestClient, game_id: str) -> dict[str, str]:
    """The turn and phase the console shows, as its forms about them send it."""
    page = client.get(f"/control/games/{game_id}").text
    turn = re.search(r'<input type="hidden" name="turn" value="(\d+)">', page)
    phase = re.search(r'<input type="hidden" name="phase" value="(\w+)">', page)
    return {"turn": turn[1], "phase": phase[1]} if turn and phase else {}


def console_do(client: TestClient, game_id: str, token: str, **form: str) -> str:
    """Control's console form `form`, sent as from the console as it is now (with the
    turn and phase the console shows, unless `form` names them)."""
    response = client.post(
        f"/control/games/{game_id}/do",
        data=form if "turn" in form else {**console_moment(client, game_id), **form},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert response.status_code == 200, response.text
    return response.text
