"""Joining with a typed code on the home page: the seat as its link gives it, a clear
message (and the code as typed) for a wrong one, CSRF, and guessing paused per client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.services.games import JOIN_CODE_ATTEMPTS, CreatedGame
from tests.servers import take_seat
from tests.web.helpers import csrf_of

Client = tuple[TestClient, str]  # a browser and its CSRF token


@pytest.fixture
def visitor(app_and_game: tuple[object, CreatedGame]) -> Iterator[Client]:
    """A browser on the home page, holding no seat."""
    app, _ = app_and_game
    with TestClient(app, follow_redirects=False) as client:  # type: ignore[arg-type]
        home = client.get("/")
        assert home.status_code == 200
        yield client, csrf_of(home.text)


def _code(created: CreatedGame, nation_id: str) -> str:
    return next(s.code for s in created.seats if s.nation_id == nation_id)


def _joined(app: object, game_id: str) -> list[str]:
    games = app.state.container.games  # type: ignore[attr-defined]
    return [e.event.actor for e in games.events_after(game_id, 0) if e.event.kind == "seat_joined"]


def test_the_home_page_offers_a_labelled_code_form_with_its_csrf_token(visitor: Client) -> None:
    client, token = visitor
    home = client.get("/").text
    assert "Join with a code" in home
    assert 'action="/join"' in home and f'value="{token}"' in home
    assert '<label for="join-code">' in home and 'id="join-code"' in home and 'name="code"' in home


def test_a_typed_code_takes_the_seat_like_its_link(
    visitor: Client, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    client, token = visitor
    code = _code(created, "lindmark")
    typed = f" {code[:4].lower()} - {code[4:].lower()}"  # case, spaces and hyphen do not matter
    response = client.post("/join", data={"code": typed, "csrf_token": token})
    assert response.status_code == 303
    assert response.headers["location"] == f"/games/{created.game_id}/nations/lindmark"
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "Lindmark" in page.text
    assert _joined(app, created.game_id) == ["lindmark"]
    # The seat is this browser's: the home page lists it, and its orders are accepted.
    assert f'href="/games/{created.game_id}/nations/lindmark"' in client.get("/").text
    ready = client.post(
        f"/api/games/{created.game_id}/nations/lindmark/actions",
        json={"kind": "ready", "ready": True},
    )
    assert ready.status_code == 200
    # ...and only that seat.
    assert client.get(f"/games/{created.game_id}/nations/arvenia").status_code == 403


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("ABCD-EFGH", "No seat has the join code ABCD-EFGH"),
        ("k7qm", "A join code has 8 letters and digits"),
        ("K7QM-3X0A", "never contain 0, O, 1, I or L"),
        ("", "Type the join code control gave you"),
        ("x" * 5000, "A join code has 8 letters and digits"),
        ("<b>ABCD-EFGH</b>", "A join code has 8 letters and digits"),
    ],
)
def test_a_wrong_code_shows_the_form_again_with_why_and_what_was_typed(
    visitor: Client, app_and_game: tuple[object, CreatedGame], typed: str, says: str
) -> None:
    app, created = app_and_game
    client, token = visitor
    response = client.post("/join", data={"code": typed, "csrf_token": token})
    assert response.status_code == 400
    assert says in response.text
    assert 'role="alert"' in response.text and 'aria-invalid="true"' in response.text
    if typed and len(typed) < 100:
        kept = typed.replace("<", "&lt;").replace(">", "&gt;")
        assert f'value="{kept}"' in response.text  # nothing typed is lost (and it is escaped)
    assert "<b>ABCD" not in response.text
    assert _joined(app, created.game_id) == []
    assert "Join with a code" in response.text  # the whole home page, not an error page


def test_the_code_form_needs_the_csrf_token(
    visitor: Client, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    client, _ = visitor
    code = _code(created, "arvenia")
    for form in ({"code": code}, {"code": code, "csrf_token": "forged"}):
        response = client.post("/join", data=form)
        assert response.status_code == 403 and "form expired" in response.text
    assert _joined(app, created.game_id) == []
    with TestClient(app, follow_redirects=False) as stranger:  # type: ignore[arg-type]
        # A cross-site form post carries no session and so no token.
        assert stranger.post("/join", data={"code": code}).status_code == 403


def test_guessing_codes_is_paused_for_that_client(
    visitor: Client, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, created = app_and_game
    client, token = visitor
    code = _code(created, "arvenia")
    wrong = "ABCDEFGH" if code != "ABCDEFGH" else "HGFEDCBA"
    for _ in range(JOIN_CODE_ATTEMPTS):
        response = client.post("/join", data={"code": wrong, "csrf_token": token})
        assert response.status_code == 400
    paused = client.post("/join", data={"code": code, "csrf_token": token})
    assert paused.status_code == 429
    assert "Too many wrong join codes" in paused.text and "try again in" in paused.text
    assert _joined(app, created.game_id) == []  # even the right code waits
    # The link still works: it is not guessable, so it is not throttled.
    token_link = next(s.token for s in created.seats if s.nation_id == "arvenia")
    assert take_seat(client, f"/join/{token_link}").status_code == 303
