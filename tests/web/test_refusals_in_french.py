"""The refusals a class meets, in French once French is chosen: a wrong join code or link,
an address that names nothing, the JSON API's refusals (the same `code` in both languages,
the `message` in the reader's), and a scenario's errors in the library (same lines and
fields, the problems in French). English stays the default (the other tests read it)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from app.services.games import CreatedGame
from app.services.scenarios import NEW_SCENARIO
from tests.web.helpers import Player, csrf_of

# Words of English sentences, never in the French ones (ids and field names aside).
ENGLISH = re.compile(
    r"\b(the|is|of|and|to|not|must|has|there|with|this|your|you|should|unknown|missing|"
    r"duplicate|invalid|needs|field|got)\b"
)


def _english_in(message: str) -> list[str]:
    """The English words of `message`, leaving out what it quotes and the YAML's field
    names (``home_region``, ``nations[1].units``), which stay as the file spells them."""
    prose = re.sub(r"'[^']*'|\"[^\"]*\"|\S*[_.\[\]]\S*", " ", message)
    return ENGLISH.findall(prose)


def _language(client: TestClient, language: str) -> None:
    assert client.get(f"/language?lang={language}&next=/").status_code in (200, 303)


def _form_error(page: str) -> str:
    found = re.search(r'class="form-error"[^>]*>(.*?)</', page, re.S)
    assert found is not None, page
    return html.unescape(found[1]).strip()


def test_a_wrong_join_code_and_link_are_refused_in_french(
    app_and_game: tuple[object, CreatedGame],
) -> None:
    app, _ = app_and_game
    with TestClient(app, follow_redirects=False) as client:  # type: ignore[arg-type]
        said: dict[str, list[str]] = {}
        for language in ("en", "fr"):
            _language(client, language)
            token = csrf_of(client.get("/").text)
            answers = [
                client.post("/join", data={"code": c, "csrf_token": token})
                for c in ("A1", "K7QM-3XPA")
            ]
            assert [a.status_code for a in answers] == [400, 400]
            link = client.get("/join/not-a-link")
            nowhere = client.get("/no/such/page")
            assert (link.status_code, nowhere.status_code) == (404, 404)
            said[language] = [_form_error(a.text) for a in answers] + [
                html.unescape(link.text),
                html.unescape(nowhere.text),
            ]
    english, french = said["en"], said["fr"]
    assert (
        "A join code has 8 letters and digits" in english[0]
        and "never contain 0, O, 1" in english[0]
    )
    assert french[0].startswith("Un code d'accès compte 8 lettres et chiffres, par exemple")
    assert "ne contiennent jamais 0, O, 1, I ni L" in french[0]
    assert french[1].startswith("Aucun siège n'a le code d'accès K7QM-3XPA.")
    assert "Ce lien d'accès n'est pas valide." in french[2] and "This join link" not in french[2]
    assert "Il n'y a rien à cette adresse." in french[3] and "There is nothing" not in french[3]
    assert not _english_in(french[0] + french[1])


def test_the_api_keeps_its_codes_and_answers_in_the_readers_language(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    _, created = app_and_game
    arvenia = players["arvenia"]
    game = created.game_id
    headers = {"X-CSRF-Token": arvenia.csrf}
    requests = [
        (
            "post",
            arvenia.api(game, "/actions"),
            {"kind": "commit", "unit_id": "nope", "operation_id": "x"},
        ),
        ("post", arvenia.api(game, "/actions"), {"kind": "no-such-kind"}),
        ("post", arvenia.api(game, "/estimates"), {"runs": 0}),  # the request's own check
        ("post", arvenia.api(game, "/estimates"), {"horizon": "forever"}),  # the bots'
        ("get", f"/api/games/{game}/no-such-thing", None),
    ]
    answers: dict[str, list[dict[str, str]]] = {}
    for language in ("en", "fr"):
        _language(arvenia.client, language)
        answers[language] = []
        for method, address, body in requests:
            response = arvenia.client.request(method, address, json=body, headers=headers)
            assert 400 <= response.status_code < 500, response.text
            answers[language].append(response.json())
    codes = [a["code"] for a in answers["en"]]
    assert codes == [a["code"] for a in answers["fr"]]  # the codes never change
    assert codes == [
        "unknown_unit",
        "unknown_action",
        "invalid_request",
        "bad_estimate",
        "http_error",
    ]
    for english, french in zip(answers["en"], answers["fr"], strict=True):
        assert french["message"] != english["message"], english
        assert not _english_in(french["message"]), french
    by_code = {a["code"]: a["message"] for a in answers["fr"]}
    assert by_code["invalid_request"] == (
        "Requête invalide : body.runs : La valeur doit être supérieure ou égale à 1"
    )
    assert by_code["bad_estimate"] == "L'horizon doit être l'un de : turn, game."


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("route", ["upload", "check"])
def test_a_scenarios_errors_are_listed_in_french_at_the_same_lines_and_fields(
    instructor: TestClient, route: str
) -> None:
    broken = (
        NEW_SCENARIO.replace("turns: 4", "turns: many")
        .replace("strength: 3", "strength: 99")
        .replace("region: coast", "region: coastt")
        .replace("id: south\n", "id: north\n")
    )
    shown: dict[str, str] = {}
    for language in ("en", "fr"):
        _language(instructor, language)
        token = csrf_of(instructor.get("/control/scenarios/new").text)
        if route == "upload":
            response = instructor.post(
                "/control/scenarios/upload",
                files={"file": ("broken.yaml", broken.encode())},
                data={"csrf_token": token},
            )
            assert response.status_code == 400
        else:
            response = instructor.post(
                "/control/scenarios/check",
                data={"csrf_token": token, "source": broken},
                headers={"HX-Request": "true"},
            )
            assert response.status_code == 200
        shown[language] = html.unescape(response.text)
    english, french = shown["en"], shown["fr"]
    fields = re.compile(r'<code class="field">([^<]*)</code>')
    assert fields.findall(english) == fields.findall(french)  # the same places
    assert len(fields.findall(french)) == 4
    for line in (_line_of(broken, "turns: many"), _line_of(broken, "region: coastt")):
        assert f"line {line}:" in english and f"ligne {line}:" in french
    assert "duplicate nation id 'north' (already used at nations[1].id)" in english
    assert "doublon : identifiant de nation 'north' (déjà en nations[1].id)" in french
    assert "région 'coastt' introuvable ; régions du scénario :" in french
    assert "La valeur doit être un nombre entier" in french
    problems = re.findall(r'<code class="field">[^<]*</code>\s*(.*?)</li>', french, re.S)
    assert len(problems) == 4
    for problem in problems:
        assert not _english_in(re.sub(r"<[^>]+>", " ", problem)), problem
