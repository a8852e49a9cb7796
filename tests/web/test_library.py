"""The scenario library of the control pages: listing, preview (Markdown briefing, secret
objectives), upload, the editor's check and save, duplicate, download, and that every
/control/scenarios route is for signed-in instructors only."""

from __future__ import annotations

import html
import re
from typing import get_args

import pytest
from fastapi.testclient import TestClient

from app.services.games import CreatedGame
from app.services.scenarios import MAX_SOURCE_BYTES, NEW_SCENARIO, ScenarioService
from app.web.endpoints import library
from tests.conftest import SCENARIOS_DIR
from tests.web.helpers import JoinSeat, Player, assert_refused, csrf_of, router_routes

MERIDIAN = (SCENARIOS_DIR / "meridian-strait.yaml").read_text(encoding="utf-8")
BROKEN = NEW_SCENARIO.replace("turns: 4", "turns: many").replace("strength: 3", "strength: 99")


def _textarea(page: str) -> str:
    match = re.search(r'<textarea id="source"[^>]*>\n(.*?)</textarea>', page, re.S)
    assert match is not None, page
    return html.unescape(match.group(1))


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture
def scenarios(app_and_game: tuple[object, CreatedGame]) -> ScenarioService:
    service: ScenarioService = app_and_game[0].state.container.scenarios  # type: ignore[attr-defined]
    return service


def _token(client: TestClient) -> str:
    """The session's CSRF token, as the library page's forms carry it."""
    return csrf_of(client.get("/control/scenarios").text)


def test_every_library_route_refuses_anonymous_clients_and_players(
    app_and_game: tuple[object, CreatedGame],
    join_seat: JoinSeat,
) -> None:
    app, created = app_and_game
    routes = router_routes(
        library.router, scenario_id="meridian-strait", version="1", game_id="anything"
    )
    assert len(routes) >= 11  # the walk found the whole router
    assert ("GET", "/control/scenarios") in routes and ("POST", "/control/scenarios/save") in routes
    assert all(path.startswith("/control/scenarios") for _, path in routes)
    player: Player = join_seat(app, created, "arvenia")
    anonymous = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    for client, csrf in ((anonymous, ""), (player.client, player.csrf)):
        assert_refused(client, routes, csrf=csrf)
        # Nothing got through: no text was checked or stored.
        sent = client.post(
            "/control/scenarios/save",
            data={"source": NEW_SCENARIO, "csrf_token": csrf},
            headers={"X-CSRF-Token": csrf},
        )
        assert sent.status_code == 403
    assert "my-scenario" not in {e.scenario_id for e in app.state.container.scenarios.library()}  # type: ignore[attr-defined]


def test_posts_without_the_csrf_token_are_refused(instructor: TestClient) -> None:
    for path in ("/control/scenarios/save", "/control/scenarios/check"):
        response = instructor.post(path, data={"source": NEW_SCENARIO})
        assert response.status_code == 403, path
    upload = instructor.post(
        "/control/scenarios/upload", files={"file": ("mine.yaml", NEW_SCENARIO.encode())}
    )
    assert upload.status_code == 403
    assert "my-scenario" not in instructor.get("/control/scenarios").text


def test_control_home_links_to_the_library(instructor: TestClient) -> None:
    assert 'href="/control/scenarios"' in instructor.get("/control").text


def test_the_library_lists_every_scenario_with_its_versions_and_games(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    page = instructor.get("/control/scenarios")
    assert page.status_code == 200
    for title in ("The Meridian Strait crisis", "Shield of the Northern Reach", "Desert Shield"):
        assert title in page.text
    assert "Arvenia, Cardosa, Lindmark" in page.text
    # The game the fixture started is listed against the version it pinned.
    assert f'href="/control/games/{created.game_id}/sheet"' in page.text
    assert 'href="/control/scenarios/meridian-strait/versions/1"' in page.text
    latest = instructor.get("/control/scenarios/meridian-strait")
    assert latest.status_code == 303
    assert latest.headers["location"] == "/control/scenarios/meridian-strait/versions/1"
    assert instructor.get("/control/scenarios/nothing-here").status_code == 404
    assert instructor.get("/control/scenarios/meridian-strait/versions/7").status_code == 404


def test_the_preview_shows_everything_and_renders_the_briefing_as_safe_markdown(
    instructor: TestClient,
) -> None:
    page = instructor.get("/control/scenarios/meridian-strait/versions/1").text
    assert "<h2>Situation</h2>" in page and "<strong>Teskari Directorate</strong>" in page
    for shown in ("Arvenia", "Port Calder", "Operation Open Lane", "Offensive in Halvene"):
        assert shown in page
    assert "Your finance ministry will not fund a third open-ended deployment" in page  # secret
    assert page.count("tag-secret") >= 3

    hostile = NEW_SCENARIO.replace(
        "What has happened, in **Markdown**. Every player reads this.",
        "Read **this**. <script>alert('briefing')</script> "
        '<img src=x onerror="alert(1)"> [click](javascript:alert(2))\n\n'
        "  | Force | Turns |\n  |---|---|\n  | <b>Navy</b> | 3 |\n\n  ~~withdrawn~~",
    )
    saved = instructor.post(
        "/control/scenarios/save", data={"source": hostile, "csrf_token": _token(instructor)}
    )
    assert saved.status_code == 303
    preview = instructor.get(saved.headers["location"])
    assert preview.status_code == 200 and "Stored as version 1" in preview.text
    briefing = preview.text.split('<div class="briefing">', 1)[1].split("</div>", 1)[0]
    assert "<strong>this</strong>" in briefing
    assert "<script" not in briefing and "<img" not in briefing
    assert "&lt;script&gt;alert('briefing')&lt;/script&gt;" in briefing  # shown as text
    assert 'href="javascript:' not in briefing
    # Tables and strikethrough, with the HTML in a cell escaped like the rest.
    assert "<th>Force</th>" in briefing and "<td>&lt;b&gt;Navy&lt;/b&gt;</td>" in briefing
    assert "<s>withdrawn</s>" in briefing
    assert "<script>alert" not in preview.text  # nor anywhere else (the source is escaped)


def test_a_valid_upload_is_stored_as_a_new_version(
    instructor: TestClient, scenarios: ScenarioService
) -> None:
    text = MERIDIAN.replace("title: The Meridian", "title: The Uploaded Meridian")
    response = instructor.post(
        "/control/scenarios/upload",
        files={"file": ("meridian-strait.yaml", text.encode(), "application/yaml")},
        data={"csrf_token": _token(instructor)},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/control/scenarios/meridian-strait/versions/2?saved=1"
    page = instructor.get(response.headers["location"]).text
    assert "The Uploaded Meridian Strait crisis" in page and "version 2</strong> of 2" in page
    assert scenarios.version_source("meridian-strait", 2)[1] == text

    again = instructor.post(
        "/control/scenarios/upload",
        files={"file": ("copy.yaml", text.encode())},
        data={"csrf_token": _token(instructor)},
    )
    assert again.status_code == 409
    assert "already stored as meridian-strait version 2" in again.text
    assert scenarios.latest_version("meridian-strait").version == 2


def test_an_invalid_upload_shows_every_error_by_line_and_stores_nothing(
    instructor: TestClient, scenarios: ScenarioService
) -> None:
    before = [(e.scenario_id, e.versions) for e in scenarios.library()]
    response = instructor.post(
        "/control/scenarios/upload",
        files={"file": ("../../broken.yaml", BROKEN.encode())},
        data={"csrf_token": _token(instructor)},
    )
    assert response.status_code == 400
    assert "broken.yaml was not stored: The scenario has 2 errors." in response.text
    assert "../" not in response.text.split("was not stored")[0][-40:]
    assert f"line {_line_of(BROKEN, 'turns: many')}:" in response.text
    assert '<code class="field">turns</code>' in response.text
    assert f"line {_line_of(BROKEN, 'strength: 99')}:" in response.text
    assert "nations[north].units[north-inf].strength" in response.text
    assert [(e.scenario_id, e.versions) for e in scenarios.library()] == before

    not_utf8 = instructor.post(
        "/control/scenarios/upload",
        files={"file": ("latin.yaml", "title: Caf\xe9".encode("latin-1"))},
        data={"csrf_token": _token(instructor)},
    )
    assert not_utf8.status_code == 400 and "not valid UTF-8" in not_utf8.text
    empty = instructor.post(
        "/control/scenarios/upload",
        data={"csrf_token": _token(instructor)},
        files={"other": ("x.txt", b"")},
    )
    assert empty.status_code == 400 and "Choose a YAML file first." in empty.text
    assert [(e.scenario_id, e.versions) for e in scenarios.library()] == before


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    instructor: TestClient, scenarios: ScenarioService
) -> None:
    big = (NEW_SCENARIO + "#" * (MAX_SOURCE_BYTES + 100_000)).encode()
    response = instructor.post(
        "/control/scenarios/upload",
        files={"file": ("big.yaml", big)},
        data={"csrf_token": _token(instructor)},
    )
    assert response.status_code == 413 and "at most 512 KB" in response.text
    # Inline, on the library page with its upload form, like every other upload error.
    assert 'id="upload-heading"' in response.text and 'class="form-error"' in response.text
    # Just over the limit but within the request allowance: refused by the service.
    slightly = (NEW_SCENARIO + "#" * MAX_SOURCE_BYTES).encode()
    response = instructor.post(
        "/control/scenarios/upload",
        files={"file": ("slightly.yaml", slightly)},
        data={"csrf_token": _token(instructor)},
    )
    assert response.status_code == 400 and "a scenario may be at most 512 KB" in response.text
    # A body of unknown length (chunked) is not read at all.
    chunked = instructor.post(
        "/control/scenarios/save",
        content=iter([b"source=x"]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert chunked.status_code == 411
    assert "my-scenario" not in {e.scenario_id for e in scenarios.library()}


def test_the_editor_checks_as_you_type_and_saves_new_versions(
    instructor: TestClient, scenarios: ScenarioService
) -> None:
    editor = instructor.get("/control/scenarios/meridian-strait/versions/1/edit")
    assert editor.status_code == 200
    assert 'hx-post="/control/scenarios/check"' in editor.text
    assert 'hx-trigger="keyup changed delay:600ms' in editor.text
    source = _textarea(editor.text)
    assert source == MERIDIAN.replace("version: 1", "version: 2", 1)
    assert "Saving adds <strong>version 2</strong>" in editor.text

    token = _token(instructor)
    check = instructor.post(
        "/control/scenarios/check",
        data={"source": BROKEN, "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert check.status_code == 200 and "2 errors" in check.text
    assert f'data-line="{_line_of(BROKEN, "turns: many")}"' in check.text
    assert "<html" not in check.text  # a fragment, not a page
    valid = instructor.post(
        "/control/scenarios/check",
        data={"source": source, "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert "Valid" in valid.text and "3 nations, 5 regions, 3 operations" in valid.text

    # An invalid save is refused with the errors, and the typed text stays in the editor.
    typed = source.replace("turns: 3", "turns: lots") + "# <b>my notes</b> & more\n"
    refused = instructor.post(
        "/control/scenarios/save", data={"source": typed, "csrf_token": token}
    )
    assert refused.status_code == 400 and "Not saved" in refused.text
    assert f"line {_line_of(typed, 'turns: lots')}:" in refused.text
    assert _textarea(refused.text) == typed
    assert scenarios.latest_version("meridian-strait").version == 1

    saved = instructor.post(
        "/control/scenarios/save",
        data={"source": source.replace("\n", "\r\n"), "csrf_token": token},
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == "/control/scenarios/meridian-strait/versions/2?saved=1"
    # The YAML's own `version:` was not bumped this time: the library still goes up.
    unbumped = source.replace("version: 2", "version: 1", 1).replace("turns: 3", "turns: 4")
    third = instructor.post(
        "/control/scenarios/save", data={"source": unbumped, "csrf_token": token}
    )
    assert third.headers["location"] == "/control/scenarios/meridian-strait/versions/3?saved=1"
    page = instructor.get("/control/scenarios/meridian-strait/versions/3").text
    assert "the file says version 1" in page and "version 3</strong> of 3" in page
    same = instructor.post(
        "/control/scenarios/save", data={"source": unbumped, "csrf_token": token}
    )
    assert same.status_code == 409 and "already stored as meridian-strait version 3" in same.text
    assert scenarios.latest_version("meridian-strait").version == 3
    assert scenarios.version_source("meridian-strait", 2)[1] == source  # \r\n made \n


def test_saving_a_new_id_creates_a_scenario(instructor: TestClient) -> None:
    editor = instructor.get("/control/scenarios/new")
    assert editor.status_code == 200 and "New scenario" in editor.text
    assert "creates a <strong>new scenario</strong>" in editor.text
    saved = instructor.post(
        "/control/scenarios/save",
        data={"source": _textarea(editor.text), "csrf_token": _token(instructor)},
    )
    assert saved.headers["location"] == "/control/scenarios/my-scenario/versions/1?saved=1"
    assert "My scenario" in instructor.get("/control/scenarios").text


def test_duplicate_copies_a_version_under_a_new_id_for_the_instructor_to_save(
    instructor: TestClient, scenarios: ScenarioService
) -> None:
    page = instructor.get("/control/scenarios/meridian-strait/versions/1/duplicate")
    assert page.status_code == 200 and "Nothing is stored until you save it" in page.text
    source = _textarea(page.text)
    assert "\nid: meridian-strait-copy\n" in source
    assert "\ntitle: The Meridian Strait crisis (copy)\n" in source
    assert "creates a <strong>new scenario</strong>" in page.text
    assert "meridian-strait-copy" not in {e.scenario_id for e in scenarios.library()}
    saved = instructor.post(
        "/control/scenarios/save", data={"source": source, "csrf_token": _token(instructor)}
    )
    assert saved.headers["location"] == "/control/scenarios/meridian-strait-copy/versions/1?saved=1"
    assert scenarios.latest_version("meridian-strait").version == 1


def test_download_gives_the_exact_stored_text_as_an_attachment(
    instructor: TestClient, scenarios: ScenarioService
) -> None:
    text = "# ünïcode comment\n" + MERIDIAN.replace("title: The Meridian", "title: Another")
    scenarios.save_source(text)
    for version, expected in ((1, MERIDIAN), (2, text)):
        response = instructor.get(f"/control/scenarios/meridian-strait/versions/{version}/download")
        assert response.status_code == 200
        assert response.content == expected.encode("utf-8")
        assert response.headers["content-disposition"] == (
            f'attachment; filename="meridian-strait-v{version}.yaml"'
        )
        assert response.headers["content-type"].startswith("application/yaml")


def test_the_field_reference_lists_every_field_and_kind_from_the_schema(
    app_and_game: tuple[object, CreatedGame],
) -> None:
    from app.rules.state import ActorKind, EffectKind, ObjectiveKind, TriggerKind
    from app.scenarios.schema import Nation, Operation, Unit

    anonymous = TestClient(app_and_game[0])  # type: ignore[arg-type]
    page = anonymous.get("/scenarios/reference")
    assert page.status_code == 200
    text = html.unescape(page.text)
    for model, pattern in ((Nation, "nations"), (Unit, "nations.units"), (Operation, "operations")):
        section = text.split(f'id="ref-{pattern}"', 1)[1].split("</section>", 1)[0]
        for name in model.model_fields:
            assert f"<code>{name}</code>" in section, (pattern, name)
    for kinds in (ObjectiveKind, TriggerKind, EffectKind, ActorKind):
        for kind in get_args(kinds):
            assert f"<code>{kind}</code>" in text, kind
    # Types, defaults, allowed values and examples from the shipped scenarios.
    units = text.split('id="ref-nations.units"', 1)[1].split("</section>", 1)[0]
    assert "a whole number (at least 1, at most 10)" in units and "<code>maritime</code>" in units
    operations = text.split('id="ref-operations"', 1)[1].split("</section>", 1)[0]
    assert "<code>0.1</code>" in operations  # risk's default


def test_the_field_reference_follows_the_readers_language(
    app_and_game: tuple[object, CreatedGame],
) -> None:
    anonymous = TestClient(app_and_game[0])  # type: ignore[arg-type]
    english = html.unescape(anonymous.get("/scenarios/reference").text)
    page = anonymous.get("/scenarios/reference", headers={"Accept-Language": "fr"})
    assert page.status_code == 200 and '<html lang="fr">' in page.text
    french = html.unescape(page.text)
    samples = {
        # a field's description, a part's (a model's docstring), a title, type phrases
        # built of several messages, a kind table's words
        "unique among all the units of the scenario": "unique parmi toutes les unités du scénario",
        "A force a nation can commit to operations.": (
            "Une force qu'une nation peut engager dans des opérations."
        ),
        "Theatre map": "Carte du théâtre",
        "a whole number (at least 1, at most 10)": "un nombre entier (au moins 1, au plus 10)",
        "a list (at least 1) of a mapping (Unit)": "une liste (au moins 1) de tables (Unité)",
        "a list of an id (lowercase letters, digits and hyphens)": (
            "une liste d'identifiants (lettres minuscules, chiffres et traits d'union)"
        ),
        "a mapping from ids to a mapping (Unit text)": (
            "une table dont les clés sont des identifiants et les valeurs : une table "
            "(Texte d'unité)"
        ),
        "Kinds of trigger": "Types de déclencheur",
        "a share from 0 to 1": "une part de 0 à 1",
    }
    for english_text, french_text in samples.items():
        assert english_text in english, english_text
        assert french_text in french, french_text
        assert english_text not in french, english_text
    # What a file writes stays as written: field names, values, patterns.
    units = french.split('id="ref-nations.units"', 1)[1].split("</section>", 1)[0]
    assert "<code>capability</code>" in units and "<code>maritime</code>" in units


def test_the_part_titles_are_the_models_names_in_english() -> None:
    from app.scenarios import reference

    schema = reference.Scenario.model_json_schema(mode="validation")
    names = {"Scenario", *schema["$defs"]}
    assert set(reference._TITLES) == names
    for name, title in reference._TITLES.items():
        assert title == reference._title(name), name


def test_the_editor_previews_and_simulates_the_unsaved_text_and_stores_nothing(
    instructor: TestClient, scenarios: ScenarioService
) -> None:
    token = _token(instructor)
    editor = instructor.get("/control/scenarios/new").text
    assert 'id="field-reference"' in editor and 'data-guided="nation"' in editor
    text = NEW_SCENARIO.replace("id: my-scenario", "id: unsaved").replace(
        "name: Southland", "name: Veskland"
    )
    preview = instructor.post(
        "/control/scenarios/preview", data={"source": text, "csrf_token": token}
    )
    assert preview.status_code == 200
    assert "Veskland" in preview.text and "Secure the coast" in preview.text
    assert "<h2>Situation</h2>" in preview.text  # the briefing, rendered
    broken = instructor.post(
        "/control/scenarios/preview",
        data={"source": text.replace("turns: 4", "turns: many"), "csrf_token": token},
    )
    assert "Nothing to preview" in broken.text and "turns" in broken.text

    played = instructor.post(
        "/control/scenarios/simulate", data={"source": text, "runs": "2", "csrf_token": token}
    )
    assert played.status_code == 200 and "Played 2 games" in played.text
    assert "Secure the coast" in played.text and "Peak escalation" in played.text
    for runs in ("lots", "-3", ""):  # a bad count plays the default number, never a 500
        response = instructor.post(
            "/control/scenarios/simulate",
            data={
                "source": text.replace("turns: 4", "turns: 1"),
                "runs": runs,
                "csrf_token": token,
            },
        )
        assert response.status_code == 200 and "Played 20 games" in response.text
    refused = instructor.post(
        "/control/scenarios/simulate",
        data={"source": text.replace("turns: 4", "turns: many"), "runs": "2", "csrf_token": token},
    )
    assert "Not played" in refused.text
    assert "unsaved" not in {e.scenario_id for e in scenarios.library()}
