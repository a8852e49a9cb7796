"""A game read in two languages at once: each player's page, fragments and feed take the
scenario's texts in that player's language, and hide in French what they hide in English;
control sets an exercise's language, which a player who has chosen none gets on joining."""

from __future__ import annotations

import dataclasses
from html import unescape
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from app import rules
from app.i18n import use_language
from app.rules.reasons import because
from app.rules.records import Change
from app.rules.wording.changes import ChangeReason
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario
from app.scenarios.models import Scenario
from app.scenarios.texts import ScenarioTexts, translated
from app.services.game_results import LoggedEvent, Snapshot
from app.services.games import CreatedGame
from app.web.rendering import PageRenderer, make_templates
from tests.scenarios.helpers import HEAD, scenario_text
from tests.servers import take_seat
from tests.web.helpers import SCENARIO_FILE, Player, console_do, csrf_of, receive_until

FRENCH = translated(load_scenario(Path(SCENARIO_FILE)), "fr")
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _in_french(player: Player, game_id: str) -> None:
    player.client.get("/language", params={"lang": "fr", "next": player.at(game_id)})


def _private_in_french(nation_id: str) -> list[str]:
    """What only that nation (and control) may read, as a French reader reads it."""
    nation = FRENCH.nation(nation_id)
    assert nation is not None
    secrets = [o.text for o in nation.objectives if o.secret]
    return [nation.secret_objective, *secrets, *(u.name for u in nation.units)]


def test_a_french_and_an_english_player_read_the_same_game_each_in_their_language(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    _in_french(arvenia, game)
    french, english = (
        arvenia.client.get(arvenia.at(game)).text,
        lindmark.client.get(lindmark.at(game)).text,
    )
    for text in (
        "Il y a six semaines, le <strong>Directoire teskari</strong>",  # the briefing
        "Arvénie",
        "Cardose",
        "Opération Voie libre",
        "Passes de Méridien",
        "Zone d&#39;inspection proclamée",  # the escalation ladder's rung
        "1re escadre de frégates",  # its own units
        "Votre ministère des Finances",  # its own secret objective
    ):
        assert text in french, text
    assert "Operation Open Lane" not in french and "Six weeks ago" not in french
    for text in ("Six weeks ago", "Operation Open Lane", "Meridian Narrows", "Arvenia"):
        assert text in english, text
    assert "Opération Voie libre" not in english and "Arvénie" not in english
    # The others' secrets stay hidden in French as in English.
    for other in ("cardosa", "lindmark"):
        for secret in _private_in_french(other):
            assert secret not in french, secret


def test_the_live_fragments_and_a_scripted_inject_reach_each_player_in_their_language(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame], instructor: TestClient
) -> None:
    _, created = app_and_game
    game = created.game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    _in_french(arvenia, game)
    token = csrf_of(instructor.get("/control").text)
    received: dict[str, list[str]] = {}
    with (
        arvenia.client.websocket_connect(arvenia.at(game, "/ws")) as a_socket,
        lindmark.client.websocket_connect(lindmark.at(game, "/ws")) as l_socket,
    ):
        received["arvenia"] = [a_socket.receive_text()]
        received["lindmark"] = [l_socket.receive_text()]
        assert "Opération Voie libre" in received["arvenia"][0]
        assert "Operation Open Lane" in received["lindmark"][0]
        assert "Opération Voie libre" not in received["lindmark"][0]
        assert "Inject fired." in console_do(
            instructor, game, token, action="fire", event_id="coastal-missiles"
        )
        received["arvenia"] += receive_until(a_socket, "Missiles sur la côte")
        received["lindmark"] += receive_until(l_socket, "Missiles on the coast")
        assert "Teskar déploie des batteries de missiles antinavires" in received["arvenia"][-1]
        assert "Missiles sur la côte" not in "".join(received["lindmark"])
    # The page's feed, read afterwards, says it in French too.
    assert "Missiles sur la côte" in arvenia.client.get(arvenia.at(game)).text
    french = "\n".join(received["arvenia"])
    for other in ("cardosa", "lindmark"):
        for secret in _private_in_french(other):
            assert secret not in french, secret


def _exercise(instructor: TestClient, language: str) -> tuple[int, str]:
    token = csrf_of(instructor.get("/control").text)
    created = instructor.post(
        "/control/exercises",
        data={
            "scenario_id": "meridian-strait",
            "syndicates": "1",
            "language": language,
            "csrf_token": token,
        },
    )
    location = created.headers.get("location", "")
    return created.status_code, location.split("/")[3] if location else created.text


def test_control_sets_an_exercise_s_language_and_a_player_s_own_choice_wins(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, _ = app_and_game
    home = instructor.get("/control").text
    assert '<select id="language" name="language">' in home
    status, game_id = _exercise(instructor, "fr")
    assert status == 303
    links = {s.nation_id: s.token for s in app.state.container.games.seat_links(game_id)}  # type: ignore[attr-defined]
    with TestClient(app) as newcomer, TestClient(app) as chooser:  # type: ignore[arg-type]
        invitation = newcomer.get(f"/join/{links['arvenia']}").text
        assert "<strong>Arvénie</strong>" in invitation  # the join page is in French already
        assert "La crise du détroit de Méridien" in invitation
        page = newcomer.get(take_seat(newcomer, f"/join/{links['arvenia']}").url)
        assert page.status_code == 200
        assert '<html lang="fr"' in page.text and "Opération Voie libre" in page.text
        chooser.get("/language", params={"lang": "en"})
        page = take_seat(chooser, f"/join/{links['cardosa']}")
        assert page.status_code == 200
        assert "Operation Open Lane" in page.text and "Opération Voie libre" not in page.text
    status, answer = _exercise(instructor, "xx")
    assert status == 400 and "Choose a language from the list." in answer


def test_the_library_shows_a_scenario_in_the_reader_s_language_and_what_it_lacks(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    english = instructor.get("/control/scenarios/meridian-strait/versions/1").text
    assert "The Meridian Strait crisis" in english and "every text translated" in english
    app, _ = app_and_game
    app.state.container.scenarios.save_source(scenario_text(HEAD, "head"))  # type: ignore[attr-defined]
    english_only = instructor.get("/control/scenarios/tiny/versions/1").text
    assert "Written in English only" in english_only
    instructor.get("/language", params={"lang": "fr"})
    french = instructor.get("/control/scenarios/meridian-strait/versions/1").text
    assert "Opération Voie libre" in french and "tous les textes sont traduits" in french
    # Its title, and what its objectives and events check or do, in French too.
    assert "<h1>La crise du détroit de Méridien</h1>" in french
    assert "— no hard power, 10 pts" in english and "no hard power" not in french
    assert "— aucun emploi de la force, 10 pts" in french


def test_the_review_and_the_console_read_in_the_instructor_s_language(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    review = f"/control/games/{game}/aar"
    pages = (review, f"/control/games/{game}", f"/control/games/{game}/sheet", "/control")
    for english in (instructor.get(page).text for page in pages):
        assert "Arvenia" in english and "Arvénie" not in english
        assert "The Meridian Strait crisis" in english
    instructor.get("/language", params={"lang": "fr"})
    french = instructor.get(review).text
    assert "Arvénie" in french and "La crise du détroit de Méridien" in french
    console = instructor.get(f"/control/games/{game}").text
    assert "Missiles sur la côte" in console  # the events control may fire, in French
    # The game was named after its scenario (stored in English): every page that names it,
    # the printed review's cover and the join sheet's seats included, names it in French.
    cover = french.split('class="print-cover print-only"', 1)[1].split("</dl>", 1)[0]
    assert "La crise du détroit de Méridien" in cover
    for page in pages:
        text = unescape(instructor.get(page).text)
        assert "La crise du détroit de Méridien" in text, page
        assert "Arvénie" in text and "Cardose" in text, page
        for english_name in ("The Meridian Strait crisis", "Arvenia", "Cardosa"):
            assert english_name not in text, (page, english_name)


def test_a_syndicate_s_name_reads_in_french_and_a_name_control_typed_stays_its_own(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    app, _ = app_and_game
    instructor.get("/language", params={"lang": "fr"})
    made = []
    for name in ("", "Spring course"):
        created = instructor.post(
            "/control/exercises",
            data={
                "scenario_id": "meridian-strait",
                "syndicates": "2",
                "name": name,
                "csrf_token": csrf_of(instructor.get("/control").text),
            },
        )
        assert created.status_code == 303
        made.append(created.headers["location"].split("/")[3])
    scenario_named, typed = (
        unescape(instructor.get(f"/control/games/{g}/sheet").text) for g in made
    )
    assert "La crise du détroit de Méridien — groupe 1" in scenario_named
    assert "La crise du détroit de Méridien — groupe 2" in scenario_named
    assert "Spring course — groupe 1" in typed and "Spring course — groupe 2" in typed
    home = unescape(instructor.get("/control").text)
    for text in (scenario_named, typed, home):
        assert "— syndicate" not in text and "The Meridian Strait crisis" not in text
    # The stored name is the rules' English; a branch of a syndicate reads in French too.
    games = app.state.container.games  # type: ignore[attr-defined]
    stored = games.snapshot(made[0]).name
    assert stored == "The Meridian Strait crisis — syndicate 1"
    texts = games.scenario_texts(made[0])
    assert texts.title(f"{stored} — branch from turn 2", "fr") == (
        "La crise du détroit de Méridien — groupe 1 — variante à partir du tour 2"
    )
    assert texts.title(f"{stored} — branch from turn 2", "en") == f"{stored} — branch from turn 2"


def test_a_seat_s_debrief_reads_in_the_player_s_language(
    instructor: TestClient, players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    console_do(instructor, game, csrf_of(instructor.get("/control").text), action="end_exercise")
    arvenia = players["arvenia"]
    _in_french(arvenia, game)
    debrief = unescape(arvenia.client.get(arvenia.at(game, "/debrief")).text)
    assert '<html lang="fr">' in debrief
    assert "La crise du détroit de Méridien" in debrief and "Arvénie" in debrief
    for english in ("The Meridian Strait crisis", "Arvenia", "Operation Open Lane"):
        assert english not in debrief, english


# -- texts the game made of its scenario's, on a French page -----------------------------


def _page_in(
    language: str, scenario: Scenario, state: rules.GameState, nation_id: str, events: Any = ()
) -> str:
    """Everything ``nation_id``'s page shows (live panels and feed), read in ``language``."""
    renderer = PageRenderer(make_templates(), texts=lambda _game: ScenarioTexts(scenario))
    logged = [LoggedEvent(i + 1, state.turn, e) for i, e in enumerate(events)]
    with use_language(language):
        fragments = renderer.full(
            Snapshot("g", scenario.title, len(logged) + 1, state),
            logged,
            rules.Viewer.of_nation(nation_id),
        )
    return unescape("\n".join(f.html for f in fragments))


def test_a_new_government_s_leader_brief_and_objectives_read_in_french() -> None:
    scenario = load_scenario(SCENARIOS / "northern-reach.yaml")
    state, _ = opening_state(scenario, seed=1, now=0.0)
    belmont = state.nation("belmont")
    assert belmont is not None
    state = state.replace_nation(dataclasses.replace(belmont, domestic_support=10))
    state, events = rules.resolve_turn(state, 10.0)
    french = _page_in("fr", scenario, state, "belmont", events)
    for text in (
        "Un nouveau gouvernement prend ses fonctions",  # the feed's line
        "La chancelière Mara Quill",
        "Les électeurs du Belmont ont sanctionné une guerre",  # its brief
        "Faire sortir le Belmont de toutes les coalitions.",  # its objectives
    ):
        assert text in french, text
    for text in (
        "Chancellor Mara Quill",
        "Belmont's voters",
        "Bring Belmont out of every",
        "Varkan Federation",  # the adversary, in the turn's report
    ):
        assert text not in french, text
    english = _page_in("en", scenario, state, "belmont", events)
    assert "Chancellor Mara Quill" in english and "Belmont's voters punished" in english
    assert "Varkan Federation probes the coalition" in english  # the turn's report


def test_what_changed_so_far_names_its_causes_and_the_standard_in_french() -> None:
    scenario = load_scenario(SCENARIOS / "unasur.yaml")
    state, _ = opening_state(scenario, seed=1, now=0.0)  # turn 1's events have fired
    french = _page_in("fr", scenario, state, "argentina")
    for text in (
        "Pas de secrétaire général",
        "L'Assemblée constituante et le Groupe de Lima",
        "Escalade",
        "Norme occidentale",
    ):
        assert text in french, text
    for text in (
        "No Secretary General",
        "The Constituent Assembly",
        "Escalation",
        "western-standard",
        "Western standard",
    ):
        assert text not in french, text
    english = _page_in("en", scenario, state, "argentina")
    assert "No Secretary General" in english and "Western standard" in english
    assert "western-standard" not in english


def test_a_nation_s_caveats_and_a_crossed_threshold_s_rung_read_in_french() -> None:
    scenario = load_scenario(Path(SCENARIO_FILE))
    state, _ = opening_state(scenario, seed=1, now=0.0)
    # The rules store the rung's name as the file writes it, in English.
    crossed = Change(
        "escalation",
        0.0001,
        because(ChangeReason.THRESHOLD_CROSSED, rung="Militia offensive in Halvene", level=7),
    )
    state = dataclasses.replace(state, pending_changes=(*state.pending_changes, crossed))
    french = _page_in("fr", scenario, state, "lindmark")
    assert "pas d'opérations de combat" in french
    assert "la crise franchit son seuil (Offensive des milices en Halvène)" in french
    for text in ("no-combat", "no combat", "Militia offensive in Halvene"):
        assert text not in french, text
    english = _page_in("en", scenario, state, "lindmark")
    assert "no combat operations" in english
    assert "the crisis crosses its threshold (Militia offensive in Halvene)" in english
    # The game's history keeps the scenario's own words.
    assert state.pending_changes[-1].reason.params["rung"] == "Militia offensive in Halvene"


def test_control_deletes_a_game_by_the_name_its_console_shows_in_french(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    token = csrf_of(instructor.get("/control").text)
    console_do(instructor, game, token, action="end_exercise")
    instructor.get("/language", params={"lang": "fr"})
    console = unescape(instructor.get(f"/control/games/{game}").text)
    assert "<strong>La crise du détroit de Méridien</strong>" in console
    deleted = instructor.post(
        f"/control/games/{game}/delete",
        data={"confirm_name": "La crise du détroit de Méridien"},
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert deleted.status_code == 200 and deleted.headers["hx-redirect"] == "/control"
    assert instructor.get(f"/control/games/{game}").status_code == 404
