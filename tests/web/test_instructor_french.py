"""What an instructor sees, in French: the control home, the live console and its answers,
the after-action review with its printed cover, the syndicates compared, the scenario
library and editor, and the refusals of the services, once the instructor has chosen
French with the language switch. English stays the default (the other tests read it)."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

from babel.dates import format_datetime
from fastapi.testclient import TestClient

from app.services.games import CreatedGame
from tests.web.helpers import console_do, csrf_of, form_fields


def _in_french(client: TestClient) -> None:
    response = client.get("/language?lang=fr&next=/control")
    assert response.status_code == 303


def _page(client: TestClient, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert '<html lang="fr">' in response.text
    return html.unescape(response.text)  # the page's text, as it reads


def test_the_control_home_console_and_its_answers_are_in_french(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    english = instructor.get(f"/control/games/{game}").text
    assert "Operations and orders" in english  # before the switch: the default

    _in_french(instructor)
    home = _page(instructor, "/control")
    assert "Préparer un exercice" in home and "Bibliothèque de scénarios" in home
    assert "Brouillard de la guerre" in home and "Set up an exercise" not in home

    console = _page(instructor, f"/control/games/{game}")
    for french in (
        "Opérations et ordres",  # a live panel
        "Tour 1 sur",  # the status bar
        "Suspendre",  # the clock's buttons
        "Rédiger un inject",
        "Derniers événements",
        "Fiche d'accès",
        "Code d'accès",  # the seats
    ):
        assert french in console, french
    for english_text in ("Operations and orders", "Write an inject", "End the phase now"):
        assert english_text not in console, english_text

    # A console form's answer, and a refusal of the rules' layer above it, in French too.
    token = csrf_of(console)
    end = form_fields(console, "end-phase")
    answer = html.unescape(console_do(instructor, game, token, **end))
    assert "Phase d'ordres close." in answer
    sheet = _page(instructor, f"/control/games/{game}/sheet")
    assert "Remettez aux joueurs de chaque nation" in sheet and "Observateurs" in sheet


def test_a_service_refusal_reaches_the_instructor_in_french(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _in_french(instructor)
    home = _page(instructor, "/control")
    scenario = re.search(r'<option value="([^"]+)"', home)
    assert scenario is not None
    refused = instructor.post(
        "/control/exercises",
        data={"csrf_token": csrf_of(home), "scenario_id": scenario[1], "syndicates": "0"},
    )
    assert refused.status_code == 400, refused.text
    assert "Choisissez entre 1 et" in refused.text and "groupes" in refused.text
    assert '<html lang="fr">' in refused.text


def test_the_review_its_printed_cover_and_its_charts_are_in_french(
    instructor: TestClient, app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    game = created.game_id
    _in_french(instructor)
    review = _page(instructor, f"/control/games/{game}/aar")
    for french in ("Retour d'expérience (RETEX)", "Synthèse", "Bilans", "Chronologie"):
        assert french in review, french
    # The printed cover: what, which game, and the day in French ("6 décembre 2026").
    cover = review.split('class="print-cover print-only"', 1)[1].split("</dl>", 1)[0]
    today = format_datetime(datetime.now(UTC), "d MMMM y", locale="fr")
    assert "Entente · Retour d'expérience (RETEX)" in cover
    assert "Imprimé le</dt>" in cover and today in cover
    # The charts: titles, axes and their data tables' headings.
    assert "Niveau sur l'échelle" in review and "Début du tour" in review
    assert "Tableau de données" in review and "Data table" not in review
    assert "Level on the ladder" not in review and "Start of turn" not in review


def test_the_scenario_library_and_editor_are_in_french(instructor: TestClient) -> None:
    _in_french(instructor)
    library = _page(instructor, "/control/scenarios")
    assert "Téléverser un scénario" in library and "Nouveau scénario" in library
    editor = _page(instructor, "/control/scenarios/new")
    assert "Vérifier par simulation" in editor and "Aide sur le champ" in editor
    # static/library.js's words come translated in a JSON block (no inline script runs).
    block = re.search(r'<script type="application/json" id="library-words">(.*?)</script>', editor)
    assert block is not None
    words = json.loads(html.unescape(block[1]))
    assert words["Added to the text."] == "Ajouté au texte."
    assert words["Line %(line)s, column %(column)s"] == "Ligne %(line)s, colonne %(column)s"
    reference = _page(instructor, "/scenarios/reference")
    assert "Référence des champs de scénario" in reference


def test_the_printed_reports_margins_have_a_french_named_page(instructor: TestClient) -> None:
    css = instructor.get("/static/app.css").text
    assert "@page report-fr {" in css and 'counter(page) " sur " counter(pages)' in css
    assert 'html[lang="fr"] .aar { page: report-fr; }' in css
