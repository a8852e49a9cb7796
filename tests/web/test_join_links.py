"""A join link asks before it seats: opening it (a GET, which any other site can make a
browser do) shows what it offers; only its form's POST, with the session's CSRF token,
takes the seat."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.services.games import CreatedGame
from tests.servers import take_seat


def _token(created: CreatedGame, nation_id: str) -> str:
    return next(s.token for s in created.seats if s.nation_id == nation_id)


def _joined(app: object, game_id: str) -> list[str]:
    games = app.state.container.games  # type: ignore[attr-defined]
    return [e.event.actor for e in games.events_after(game_id, 0) if e.event.kind == "seat_joined"]


@pytest.fixture
def browser(app_and_game: tuple[object, CreatedGame]) -> Iterator[TestClient]:
    with TestClient(app_and_game[0], follow_redirects=False) as client:  # type: ignore[arg-type]
        yield client


def test_opening_a_join_link_shows_the_seat_and_seats_nobody(
    app_and_game: tuple[object, CreatedGame], browser: TestClient
) -> None:
    app, created = app_and_game
    link = f"/join/{_token(created, 'arvenia')}"
    # What a page of another site makes a browser do: a plain cross-site GET.
    page = browser.get(
        link, headers={"Sec-Fetch-Site": "cross-site", "Referer": "https://x.example/"}
    )
    assert page.status_code == 200
    assert "You are about to take the seat of <strong>Arvenia</strong> in" in page.text
    assert f"<strong>{created.name}</strong>" in page.text
    assert f'<form class="panel form-card join-seat" method="post" action="{link}">' in page.text
    assert _joined(app, created.game_id) == []
    assert browser.get(f"/games/{created.game_id}/nations/arvenia").status_code == 403

    seated = take_seat(browser, link)
    assert seated.status_code == 303
    assert seated.headers["location"] == f"/games/{created.game_id}/nations/arvenia"
    assert browser.get(seated.headers["location"]).status_code == 200
    assert _joined(app, created.game_id) == ["arvenia"]


def test_taking_a_seat_without_the_sessions_csrf_token_is_refused(
    app_and_game: tuple[object, CreatedGame], browser: TestClient
) -> None:
    app, created = app_and_game
    link = f"/join/{_token(created, 'arvenia')}"
    # A cross-site form post: the SameSite session cookie stays home, so no token matches.
    assert browser.post(link).status_code == 403
    assert browser.post(link, data={"csrf_token": "guessed"}).status_code == 403
    # A browser with a session, but the form of another page (a wrong token).
    page = browser.get(link)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    refused = browser.post(link, data={"csrf_token": token.group(1) + "x"})
    assert refused.status_code == 403 and "another site" in refused.text
    assert _joined(app, created.game_id) == []
    assert browser.get(f"/games/{created.game_id}/nations/arvenia").status_code == 403


def test_an_invalid_link_says_so_on_its_page_and_on_its_button(browser: TestClient) -> None:
    page = browser.get("/join/forged-token")
    assert page.status_code == 404
    assert "This join link is not valid. Ask control for a new one." in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/").text)
    assert token is not None
    pressed = browser.post("/join/forged-token", data={"csrf_token": token.group(1)})
    assert pressed.status_code == 404 and "This join link is not valid" in pressed.text
