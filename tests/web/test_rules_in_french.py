"""The rules' words reach a French reader in French: a refused action through the JSON API
(same code, French message) and the feed's line for a signed agreement, while an English
reader of the same game reads them in English."""

from __future__ import annotations

import re
from html import unescape

import httpx

from app.i18n import use_language
from app.services.games import CreatedGame
from app.web.rendering import change_line_label, subject_label
from tests.web.helpers import Player

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def _act(
    player: Player, game_id: str, action: dict[str, object], headers: dict[str, str]
) -> httpx.Response:
    return player.client.post(
        player.api(game_id, "/actions"),
        json=action,
        headers={"X-CSRF-Token": player.csrf, **headers},
    )


def test_a_refused_action_comes_back_in_french_with_the_same_code(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    game = app_and_game[1].game_id
    arvenia = players["arvenia"]
    sign = {"kind": "sign", "agreement_id": "no-such-deal"}
    french = _act(arvenia, game, sign, FRENCH)
    english = _act(arvenia, game, sign, ENGLISH)
    assert french.status_code == english.status_code == 422
    assert french.json()["code"] == english.json()["code"]
    assert english.json()["message"] == "There is no proposal 'no-such-deal' to you."
    assert french.json()["message"] == "Aucune proposition 'no-such-deal' ne vous est adressée."
    # A message of the API itself, not the rules': French too, its code unchanged.
    raw = arvenia.client.post(
        arvenia.api(game, "/actions"),
        content=b"{not json",
        headers={"X-CSRF-Token": arvenia.csrf, "Content-Type": "application/json", **FRENCH},
    )
    assert raw.status_code == 400
    assert raw.json() == {"code": "malformed", "message": "Le corps n'est pas du JSON valide."}


def test_a_french_players_feed_says_the_agreement_was_signed_in_french(
    players: dict[str, Player], app_and_game: tuple[object, CreatedGame]
) -> None:
    game = app_and_game[1].game_id
    arvenia, lindmark = players["arvenia"], players["lindmark"]
    statement = {
        "kind": "propose",
        "agreement": "joint_statement",
        "parties": ["arvenia", "lindmark"],
        "terms": {"text": "The Strait stays open."},
    }
    assert _act(arvenia, game, statement, ENGLISH).status_code == 200
    view = lindmark.client.get(lindmark.api(game, "/view")).json()
    (deal,) = [a["id"] for a in view["agreements"] if a["status"] == "open"]
    assert _act(lindmark, game, {"kind": "sign", "agreement_id": deal}, FRENCH).status_code == 200

    french = unescape(arvenia.client.get(arvenia.at(game), headers=FRENCH).text)
    english = unescape(arvenia.client.get(arvenia.at(game), headers=ENGLISH).text)
    # The names are the scenario's own in French ("Arvénie" where it has one).
    nation = r"[\w\u00c0-\u017f]+"
    signed = rf"Signature\u00a0: déclaration commune entre {nation} et {nation}\."
    proposed = rf"{nation} propose une déclaration commune \({nation} et {nation}\)\."
    assert re.search(signed, french) and re.search(proposed, french)
    assert "Signed: joint statement between Arvenia and Lindmark." not in french
    assert "Signed: joint statement between Arvenia and Lindmark." in english


def test_what_a_change_moved_is_named_in_french() -> None:
    names = {"arvenia": "Arvenia", "cardosa": "Cardosa", "lindmark": "Lindmark"}
    trust = [f"trust:{a}>{b}" for a in names for b in names if a != b]
    with use_language("fr"):
        assert subject_label("support:arvenia", names, {}) == "soutien intérieur (Arvenia)"
        assert change_line_label({"kind": "trust", "subjects": trust}, names, {}) == (
            "confiance mutuelle entre Arvenia, Cardosa et Lindmark"
        )
    assert change_line_label({"kind": "trust", "subjects": trust}, names, {}) == (
        "trust among Arvenia, Cardosa and Lindmark"
    )
