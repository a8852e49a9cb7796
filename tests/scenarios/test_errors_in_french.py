"""A scenario's errors in the author's language: the same file, line, column and field in
every language, the problem said in French when French is spoken (the editor's request,
or the command line's locale), with the ids and field names as the file spells them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.cli import main
from app.i18n import use_language
from app.scenarios.loader import ScenarioError, ScenarioInvalid, parse_scenario
from app.services.scenarios import NEW_SCENARIO

# Words of English sentences that no French message has.
ENGLISH = re.compile(
    r"\b(the|is|of|and|to|not|must|has|there|with|this|should|unknown|missing|duplicate|"
    r"invalid|needs|field|got|at|be|are|in|for|or|a|an)\b"
)


def _english_in(message: str) -> list[str]:
    """English words of `message` outside what it quotes and the YAML's own names."""
    prose = re.sub(r"'[^']*'|\"[^\"]*\"|\S*[_.\[\]<>|]\S*", " ", message)
    prose = re.sub(r"\b(a|à)\b(?= \d|$)", " ", prose)  # "à 1" in French, never "a 1"
    return [w for w in ENGLISH.findall(prose) if w != "a"]  # French "a" (has) is French


# Broken texts, each with a different family of mistakes: the schema's types, ranges,
# missing and unknown fields; the cross-checks' references, duplicates and values; the
# translations' ids; YAML's syntax and indentation.
BROKEN = {
    "schema": NEW_SCENARIO.replace("turns: 4", "turns: many")
    .replace("strength: 3", "strength: 99")
    .replace("budget: 80", "budgett: 80")
    .replace("power: hard", "power: loud")
    .replace("    units:\n      - {id: south-med", "    unitz:\n      - {id: south-med"),
    "references": NEW_SCENARIO.replace("region: coast\n", "region: coastt\n")
    .replace("id: south\n", "id: north\n")
    .replace("adjacent: [coast]", "adjacent: [capital, coast, coast]")
    .replace("start: 2", "start: 12")
    + (
        "events:\n"
        "  - id: storm\n"
        "    name: Storm\n"
        "    text: A storm.\n"
        "    trigger: {kind: turn, value: 9}\n"
        "    effects: [{kind: support, target: nowhere, value: 0}, {kind: trust, target: north}]\n"
        "coalitions:\n"
        "  - id: pact\n"
        "    name: Pact\n"
        "    lead: south\n"
        "    members: [north, north]\n"
        "translations:\n"
        "  fr:\n"
        "    nations:\n"
        "      westland: {name: Ouestland}\n"
        "      north: {units: {ghost: {name: Fantôme}}}\n"
    ),
    "yaml": NEW_SCENARIO.replace("    budget: 100\n", "    budget: 100\n      extra: 1\n"),
    "duplicate key": NEW_SCENARIO.replace("turns: 4\n", "turns: 4\nturns: 5\n"),
}


def _errors(text: str, language: str) -> list[ScenarioError]:
    with use_language(language), pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(text, "broken.yaml")
    return caught.value.errors


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_every_error_is_at_the_same_place_and_said_in_french(name: str) -> None:
    english, french = _errors(BROKEN[name], "en"), _errors(BROKEN[name], "fr")
    place = [(e.file, e.line, e.column, e.field, e.place) for e in english]
    assert place == [(e.file, e.line, e.column, e.field, e.place) for e in french]
    assert len(english) >= 1
    for said_in_english, said_in_french in zip(english, french, strict=True):
        assert said_in_french.message != said_in_english.message, said_in_english
        assert not _english_in(said_in_french.message), said_in_french.message


def test_the_french_words_of_the_checks() -> None:
    french = {e.place: e.message for e in _errors(BROKEN["references"], "fr")}
    assert french["operations[secure-coast].region"] == (
        "région 'coastt' introuvable ; régions du scénario : capital, coast"
    )
    assert (
        french["nations[2].id"] == "doublon : identifiant de nation 'north' (déjà en nations[1].id)"
    )
    assert french["escalation.start"] == "start (12) ne doit pas dépasser max (10)"
    assert french["events[storm].effects[1].target"].startswith(
        "nation 'nowhere' introuvable dans la cible d'un effet 'support'"
    )
    assert french["events[storm].effects[1].value"] == (
        "la valeur d'un effet 'support' doit être la variation qu'il produit, pas 0"
    )
    assert french["translations.fr.nations.westland"].startswith("nation 'westland' introuvable")
    schema = {e.place: e.message for e in _errors(BROKEN["schema"], "fr")}
    assert schema["turns"] == "La valeur doit être un nombre entier (reçu : 'many')"
    assert (
        schema["nations[south].budgett"]
        == "champ inconnu : 'budgett' (vouliez-vous dire 'budget' ?)"
    )


def test_the_command_line_says_a_files_errors_in_its_locale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN["references"], encoding="utf-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert main(["scenario", "validate", str(broken)]) == 1
    said = capsys.readouterr().err
    assert "région 'coastt' introuvable" in said and "unknown region" not in said
    with pytest.raises(SystemExit):
        main(["scenario", "validate", "--help"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("usage : entente scenario validate")
    assert "afficher cette aide et quitter" in help_text
    assert "fichiers ou dossiers (par défaut : scenarios/)" in help_text
