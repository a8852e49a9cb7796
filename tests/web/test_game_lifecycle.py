"""Control's console for a game that is over: download it whole, archive it off the control
home's main list (and back), delete it for good once its name is typed."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from httpx import Response

from app.services.games import CreatedGame
from app.services.transfer import TransferService
from tests.web.helpers import Player, console_do, csrf_of

HTMX = {"HX-Request": "true"}


def _main_list_and_archive(client: TestClient) -> tuple[str, str]:
    """The control home split in two: its main list of games, and the "Archived" list."""
    page = client.get("/control")
    assert page.status_code == 200
    main, _, archived = page.text.partition('class="archived-games"')
    return main, archived


def _post(client: TestClient, game_id: str, what: str, token: str, **form: str) -> Response:
    """A console form posted by htmx (which swaps only 2xx answers)."""
    response: Response = client.post(
        f"/control/games/{game_id}/{what}", data=form, headers={"X-CSRF-Token": token, **HTMX}
    )
    return response


def test_the_console_downloads_the_whole_game_as_an_export_document(
    instructor: TestClient,
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, created = app_and_game
    console = instructor.get(f"/control/games/{created.game_id}").text
    assert f'href="/control/games/{created.game_id}/download"' in console
    assert "to archive it or move it to another server: <code>entente import</code>" in console
    response = instructor.get(f"/control/games/{created.game_id}/download")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    filename = f"entente-the-meridian-strait-crisis-{created.game_id[:8]}.json"
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    document = json.loads(response.text)
    assert document["format"] == "entente-game" and document["game"]["id"] == created.game_id
    # It is what `entente import` reads: a copy imports next to the original.
    database = app.state.container.database  # type: ignore[attr-defined]
    copy = TransferService(database).import_json(response.content, new_id=True)
    assert copy.name == created.name and copy.game_id != created.game_id
    missing = instructor.get("/control/games/nope/download")
    assert missing.status_code == 404


def test_an_ended_game_is_archived_off_the_main_list_and_back(
    instructor: TestClient,
    app_and_game: tuple[object, CreatedGame],
) -> None:
    _, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    link = f'href="/control/games/{game}"'
    running = _post(instructor, game, "archive", token)
    assert running.status_code == 200  # htmx swaps the console with the refusal at its top
    assert 'class="control-message rejected"' in running.text
    assert "End the exercise first: only an ended game can be archived." in running.text
    plain = instructor.post(f"/control/games/{game}/archive", data={"csrf_token": token})
    assert plain.status_code == 422 and "End the exercise first" in plain.text
    assert "<html" in plain.text  # the whole console page without htmx
    console = instructor.get(f"/control/games/{game}").text
    assert "/archive" not in console and "Delete this game" not in console

    console_do(instructor, game, token, action="end_exercise")
    # The answer sits next to the button; the console itself follows live (read it).
    ended = instructor.get(f"/control/games/{game}").text
    assert "Archive</button>" in ended and "Delete this game" in ended
    archived = _post(instructor, game, "archive", token)
    assert archived.status_code == 200
    assert "Archived: the control home lists it under" in archived.text
    assert "Unarchive</button>" in instructor.get(f"/control/games/{game}").text
    main, archive = _main_list_and_archive(instructor)
    assert link not in main and link in archive
    assert "Every exercise is archived." in main
    assert f'action="/control/games/{game}/unarchive"' in archive

    # The home's Unarchive button is a plain form: back to the home page.
    back = instructor.post(f"/control/games/{game}/unarchive", data={"csrf_token": token})
    assert back.status_code == 303 and back.headers["location"] == "/control"
    main, archive = _main_list_and_archive(instructor)
    assert link in main and not archive
    # Without the CSRF token nothing happens.
    forged = instructor.post(f"/control/games/{game}/archive")
    assert forged.status_code == 403
    assert link in _main_list_and_archive(instructor)[0]


def test_a_game_is_deleted_once_ended_and_its_name_typed(
    instructor: TestClient,
    players: dict[str, Player],
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, created = app_and_game
    game = created.game_id
    container = app.state.container  # type: ignore[attr-defined]
    other = container.games.create_game("meridian-strait", seed=9, name="Another course")
    token = csrf_of(instructor.get("/control").text)
    refused = _post(instructor, game, "delete", token, confirm_name=created.name)
    assert "End the exercise first: only an ended game can be deleted." in refused.text

    console_do(instructor, game, token, action="end_exercise")
    ended = instructor.get(f"/control/games/{game}").text
    assert 'name="confirm_name"' in ended
    assert f"To confirm, type its name: <strong>{created.name}</strong>" in ended
    assert f'href="/control/games/{game}/download" download>Download the whole game' in ended
    wrong = _post(instructor, game, "delete", token, confirm_name="Meridian")
    assert wrong.status_code == 200 and 'class="control-message rejected"' in wrong.text
    assert "That is not the name of this game" in wrong.text
    plain = instructor.post(
        f"/control/games/{game}/delete", data={"confirm_name": "", "csrf_token": token}
    )
    assert plain.status_code == 422 and "Type the game&#39;s name" in plain.text
    assert instructor.get(f"/control/games/{game}").status_code == 200  # still there

    deleted = _post(instructor, game, "delete", token, confirm_name=f" {created.name} ")
    assert deleted.status_code == 200 and deleted.headers["hx-redirect"] == "/control"
    main, archive = _main_list_and_archive(instructor)
    assert f"/control/games/{game}" not in main + archive
    assert f"/control/games/{other.game_id}" in main
    assert instructor.get(f"/control/games/{game}").status_code == 404
    again = instructor.post(
        f"/control/games/{game}/delete",
        data={"confirm_name": created.name, "csrf_token": token},
        headers={"Accept": "application/json"},
    )
    assert again.status_code == 404 and again.json()["code"] == "not_found"
    # Its players' pages are gone too, with a clear answer rather than an error.
    arvenia = players["arvenia"]
    assert arvenia.client.get(arvenia.at(game)).status_code == 404
    assert re.search(r"Not found", arvenia.client.get(arvenia.at(game)).text)
