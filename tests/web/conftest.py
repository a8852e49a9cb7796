from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from app.config import Settings
from app.services.games import CreatedGame
from app.web.app import create_app
from tests.conftest import SCENARIOS_DIR, Clock
from tests.servers import take_seat


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


@pytest.fixture
def web_clock() -> Clock:
    return Clock()


@pytest.fixture
def app_and_game(settings: Settings, web_clock: Clock) -> Iterator[tuple[object, CreatedGame]]:
    app = create_app(settings, clock=web_clock)
    container = app.state.container
    container.scenarios.sync_directory(SCENARIOS_DIR)
    created = container.games.create_game("meridian-strait", seed=5)
    yield app, created
    container.database.dispose()


def join(app: object, created: CreatedGame, nation_id: str) -> Player:
    client = TestClient(app)  # type: ignore[arg-type]
    client.__enter__()
    token = next(s.token for s in created.seats if s.nation_id == nation_id)
    page = take_seat(client, f"/join/{token}")
    assert page.status_code == 200, page.text
    match = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert match is not None
    return Player(nation_id, client, match.group(1))


PASSWORD = "correct horse battery"
"""The password of the instructor accounts the web tests create."""


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match is not None, html
    return match.group(1)


def _sign_in(client: TestClient, email: str = "ada@college.example") -> str:
    """Sign `client` in; the CSRF token of its control pages."""
    token = _csrf(client.get("/login").text)
    response = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token, "next": ""}
    )
    assert response.status_code == 303 and response.headers["location"] == "/control"
    return _csrf(client.get("/control").text)


@pytest.fixture
def instructor(app_and_game: tuple[object, CreatedGame]) -> Iterator[TestClient]:
    """A client signed in as the instructor Ada (redirects are not followed)."""
    app, _ = app_and_game
    app.state.container.accounts.create("ada@college.example", "Ada Lovelace", PASSWORD)  # type: ignore[attr-defined]
    with TestClient(app, follow_redirects=False) as client:  # type: ignore[arg-type]
        _sign_in(client)
        yield client


@pytest.fixture
def players(app_and_game: tuple[object, CreatedGame]) -> Iterator[dict[str, Player]]:
    app, created = app_and_game
    joined = {n: join(app, created, n) for n in ("arvenia", "lindmark")}
    yield joined
    for player in joined.values():
        player.client.__exit__(None, None, None)


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
