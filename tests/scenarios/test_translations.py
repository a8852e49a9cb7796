"""Scenarios in several languages: the ``translations`` section, its errors, and the texts
of a scenario, a game's state and its feed in the reader's language (app/scenarios/texts.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import get_args

import pytest

from app import i18n, rules
from app.rules.outcomes import Event
from app.rules.state import Agreement, Coalition
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario, parse_scenario
from app.scenarios.models import TranslationLanguage
from app.scenarios.texts import ScenarioTexts, translated, untranslated
from tests.scenarios.helpers import SCENARIOS_DIR, errors_of, line, only_error, scenario_text

MERIDIAN = SCENARIOS_DIR / "meridian-strait.yaml"
# Every shipped scenario is in both languages: a new one must be translated to ship.
BILINGUAL = sorted(path.stem for path in SCENARIOS_DIR.glob("*.yaml"))


def test_a_scenario_may_be_translated_into_every_language_of_the_interface_but_its_own() -> None:
    assert set(get_args(TranslationLanguage)) == set(i18n.LANGUAGES) - {i18n.DEFAULT_LANGUAGE}


@pytest.mark.parametrize("scenario_id", BILINGUAL)
def test_the_bilingual_scenarios_leave_no_text_untranslated(scenario_id: str) -> None:
    scenario = load_scenario(SCENARIOS_DIR / f"{scenario_id}.yaml")
    assert untranslated(scenario, "fr") == []
    # A scenario without a translation says what it lacks rather than pretending.
    english_only = scenario.model_copy(update={"translations": {}})
    assert "title" in untranslated(english_only, "fr")


def test_a_translation_overlays_texts_by_id_and_changes_nothing_the_rules_read() -> None:
    scenario = load_scenario(MERIDIAN)
    french = translated(scenario, "fr")
    arvenia, french_arvenia = scenario.nation("arvenia"), french.nation("arvenia")
    assert arvenia is not None and french_arvenia is not None
    assert (french.title, french_arvenia.name) == ("La crise du détroit de Méridien", "Arvénie")
    assert french_arvenia.units[0].name == "1re escadre de frégates"
    assert french.escalation.ladder[-1] == "Guerre ouverte"
    assert translated(scenario, "en") is scenario
    # Everything but the texts is the same: the rules play the same game in any language.
    strip = {"translations", "title", "summary", "briefing"}
    assert french.model_dump(exclude=strip)["turns"] == scenario.turns
    assert [n.budget for n in french.nations] == [n.budget for n in scenario.nations]
    assert [o.requirements for o in french.operations] == [
        o.requirements for o in scenario.operations
    ]


def test_a_game_s_name_reads_in_the_reader_s_language_unless_control_gave_it_one() -> None:
    texts = ScenarioTexts(load_scenario(MERIDIAN))
    french = "La crise du détroit de Méridien"
    assert texts.title("The Meridian Strait crisis", "fr") == french
    # The words the code adds to a name (a syndicate's number, a branch's turn) too.
    syndicate = "The Meridian Strait crisis — syndicate 3"
    assert texts.title(syndicate, "fr") == f"{french} — groupe 3"
    assert texts.title(f"{syndicate} — branch from turn 2", "fr") == (
        f"{french} — groupe 3 — variante à partir du tour 2"
    )
    assert texts.title("Spring course — syndicate 1", "fr") == "Spring course — groupe 1"
    assert texts.title("Spring course", "fr") == "Spring course"
    for name in (syndicate, "Spring course — branch from turn 2"):
        assert texts.title(name, "en") == name
    assert texts.nation_name("arvenia", "Arvenia", "fr") == "Arvénie"
    assert texts.nation_name("arvenia", "Free Arvenia", "fr") == "Free Arvenia"


def test_a_coalition_named_after_its_lead_by_the_code_reads_in_the_reader_s_language() -> None:
    scenario = load_scenario(MERIDIAN)
    state, _ = opening_state(scenario, seed=1, now=0.0)
    founded = [
        Coalition(
            id=f"c{i}",
            name=name,
            lead="arvenia",
            members=("arvenia", "lindmark"),
            command="integrated",
            mandate="none",
            cohesion=60,
        )
        for i, name in enumerate(("Arvenia-led coalition", "Strait Group"))
    ]
    proposal = Agreement(
        id="a1",
        kind="coalition_membership",
        proposer="lindmark",
        parties=("lindmark", "cardosa"),
        terms={"lead": "lindmark", "name": "Lindmark-led coalition"},
        turn=1,
    )
    state = dataclasses.replace(
        state, coalitions=(*state.coalitions, *founded), agreements=(proposal,)
    )
    french = ScenarioTexts(scenario).state_in(state, "fr")
    assert [c.name for c in french.coalitions[-2:]] == [
        "Coalition (chef de file : Arvénie)",
        "Strait Group",  # a name the players chose stays theirs
    ]
    assert french.agreements[0].terms["name"] == "Coalition (chef de file : Lindmark)"
    assert ScenarioTexts(scenario).state_in(state, "en") == state
    # The statement a bot proposes for its coalition, in the state and in the log.
    texts = ScenarioTexts(scenario)
    statement = "The members of Arvenia-led coalition stand together."
    said = "Coalition (chef de file : Arvénie) : ses membres font front commun."
    assert texts.said_by_code(statement, "fr") == said
    assert texts.said_by_code("The members of Strait Group stand together.", "fr") == (
        "Strait Group : ses membres font front commun."
    )
    assert texts.said_by_code("We stand together.", "fr") is None  # the players' own words
    signed = Event(
        rules.EventKind.AGREEMENT_SIGNED,
        "arvenia",
        {"kind": "joint_statement", "terms": {"text": statement}},
    )
    assert texts.event_in(signed, "fr").data["terms"] == {"text": said}


def test_the_state_takes_the_translation_of_what_it_still_holds_as_the_file_wrote_it() -> None:
    scenario = load_scenario(MERIDIAN)
    state, _ = opening_state(scenario, seed=1, now=0.0)
    texts = ScenarioTexts(scenario)
    french = texts.state_in(state, "fr")
    assert [n.name for n in french.nations] == ["Arvénie", "Cardose", "Lindmark"]
    assert french.operation("open-lane").name == "Opération Voie libre"  # type: ignore[union-attr]
    assert french.actor("teskar").name == "Directoire teskari"  # type: ignore[union-attr]
    assert french.escalation.ladder[3] == "Zone d'inspection proclamée"
    # The rules' numbers are untouched, and English stays the state itself.
    assert [n.budget for n in french.nations] == [n.budget for n in state.nations]
    assert texts.state_in(state, "en") is state
    # A name the game changed (a new government) is the game's, in every language.
    cardosa = state.nation("cardosa")
    assert cardosa is not None
    changed = state.replace_nation(dataclasses.replace(cardosa, leader="new government (2)"))
    assert texts.state_in(changed, "fr").nation("cardosa").leader == "new government (2)"  # type: ignore[union-attr]
    assert texts.state_in(changed, "fr").nation("arvenia").leader == (  # type: ignore[union-attr]
        "La Première ministre Celia Varn"
    )


def test_a_scripted_inject_in_the_log_reads_in_the_reader_s_language() -> None:
    scenario = load_scenario(MERIDIAN)
    state, _ = opening_state(scenario, seed=1, now=0.0)
    texts = ScenarioTexts(scenario)
    scripted = next(e for e in state.events if e.id == "coastal-missiles")
    fired = Event(
        rules.EventKind.INJECT,
        None,
        {
            "event_id": scripted.id,
            "name": scripted.name,
            "text": scripted.text,
            "public": True,
            "audience": [],
            "briefs": {},
        },
    )
    french = texts.event_in(fired, "fr")
    assert french.data["name"] == "Missiles sur la côte"
    assert french.data["text"].startswith("Teskar déploie des batteries")
    # Control's own inject has no translation: it is shown as control wrote it.
    own = Event(rules.EventKind.INJECT, None, {**fired.data, "event_id": "", "name": "Grève"})
    assert texts.event_in(own, "fr").data["name"] == "Grève"


# -- errors ------------------------------------------------------------------------------


def test_a_translation_of_an_unknown_nation_is_an_error_at_its_line() -> None:
    text = scenario_text(
        "translations:\n  fr:\n    nations:\n      red: {name: Rouge}\n      gren: {name: Vert}\n"
    )
    error = only_error(text)
    assert (error.line, error.field) == (5, "translations.fr.nations.gren")
    assert "unknown nation 'gren'" in error.message and "green" not in error.message
    assert line(text, error.line).strip().startswith("gren:")


def test_a_translation_of_another_nation_s_unit_is_an_error() -> None:
    text = scenario_text(
        "translations:\n  fr:\n    nations:\n      red:\n        units:\n"
        "          blue-1: {name: Bleu un}\n"
    )
    error = only_error(text)
    assert (error.line, error.field) == (6, "translations.fr.nations.red.units.blue-1")
    assert "unknown unit 'blue-1' of nation 'red'" in error.message


def test_an_unknown_field_in_a_translation_is_named_with_a_suggestion() -> None:
    text = scenario_text("translations:\n  fr:\n    operations:\n      op-a: {nmae: Op. A}\n")
    error = only_error(text)
    assert error.line == 4 and error.field == "translations.fr.operations.op-a.nmae"
    assert "unknown field 'nmae'" in error.message and "'name'" in error.message


def test_a_language_the_interface_does_not_speak_is_an_error() -> None:
    text = scenario_text("translations:\n  de:\n    title: Kleine Krise\n")
    error = only_error(text)
    assert error.line == 2 and "invalid key 'de'" in error.message and "'fr'" in error.message


def test_a_ladder_of_the_wrong_length_and_a_missing_outcome_are_errors() -> None:
    text = scenario_text(
        "translations:\n  fr:\n    ladder: [Calme, Tension]\n"
        "    historical_outcome: {summary: Rien.}\n"
    )
    errors = errors_of(text)
    assert [(e.line, e.field) for e in errors] == [
        (3, "translations.fr.ladder"),
        (4, "translations.fr.historical_outcome"),
    ]
    assert "names no rungs" in errors[0].message
    assert "has no historical_outcome" in errors[1].message


def test_a_valid_partial_translation_loads() -> None:
    text = scenario_text(
        "translations:\n  fr:\n    title: Petite crise\n    regions: {alpha: {name: Alpha-F}}\n"
    )
    scenario = parse_scenario(text)
    assert translated(scenario, "fr").title == "Petite crise"
    assert "summary" in untranslated(scenario, "fr")


# -- what the game made of the scenario's texts ------------------------------------------

NORTHERN_REACH = SCENARIOS_DIR / "northern-reach.yaml"
UNASUR = SCENARIOS_DIR / "unasur.yaml"


def _fallen(scenario_file: Path, nation_id: str) -> tuple[rules.GameState, tuple[Event, ...]]:
    """The game after its first turn, in which ``nation_id``'s government fell."""
    state, _ = opening_state(load_scenario(scenario_file), seed=1, now=0.0)
    nation = state.nation(nation_id)
    assert nation is not None and nation.successor is not None
    state = state.replace_nation(dataclasses.replace(nation, domestic_support=10))
    return rules.resolve_turn(state, 10.0)


def test_a_successor_government_reads_in_the_reader_s_language() -> None:
    state, events = _fallen(NORTHERN_REACH, "belmont")
    texts = ScenarioTexts(load_scenario(NORTHERN_REACH))
    english, french = state.nation("belmont"), texts.state_in(state, "fr").nation("belmont")
    assert english is not None and french is not None
    assert english.leader == "Chancellor Mara Quill"  # the rules' state keeps the file's
    assert french.leader == "La chancelière Mara Quill"
    assert french.secret_objective.startswith("Les électeurs du Belmont ont sanctionné")
    assert [o.text for o in french.objectives] == [
        "Terminer avec un budget d'au moins 60.",
        "Faire sortir le Belmont de toutes les coalitions.",
    ]
    (fall,) = [e for e in events if e.kind == rules.EventKind.LEADERSHIP_CHANGE]
    said = texts.event_in(fall, "fr").data
    assert said["leader"] == "La chancelière Mara Quill"
    assert said["brief"].startswith("Les électeurs du Belmont ont sanctionné")
    assert texts.event_in(fall, "en") is fall


def test_a_default_government_s_name_and_brief_read_in_the_reader_s_language() -> None:
    # UNASUR names no successor for Colombia: the rules write its government's words.
    state, _ = opening_state(load_scenario(UNASUR), seed=1, now=0.0)
    nation = state.nation("colombia")
    assert nation is not None and nation.successor is None
    state = state.replace_nation(dataclasses.replace(nation, domestic_support=10))
    _, events = rules.resolve_turn(state, 10.0)
    (fall,) = [e for e in events if e.kind == rules.EventKind.LEADERSHIP_CHANGE]
    assert fall.data["brief"].startswith("A new government takes office in Colombia after")
    said = ScenarioTexts(load_scenario(UNASUR)).event_in(fall, "fr").data
    assert said["brief"].startswith("Colombie : un nouveau gouvernement prend ses fonctions")
    assert "Il promet de maîtriser les coûts" in said["brief"]
    assert said["leader"] == "nouveau gouvernement (2)"
    assert fall.data["leader"] == "new government (2)"  # the log keeps the rules' words


def test_what_a_scripted_event_changed_is_explained_by_its_name_in_the_reader_s_language() -> None:
    scenario = load_scenario(UNASUR)
    state, _ = opening_state(scenario, seed=1, now=0.0)  # turn 1's events have fired
    french = ScenarioTexts(scenario).state_in(state, "fr")
    reasons = {c.reason.params.get("text") for c in french.pending_changes}
    assert {"Pas de secrétaire général", "L'Assemblée constituante et le Groupe de Lima"} <= (
        reasons
    )
    assert "No Secretary General" not in reasons
    # The game's history keeps the scenario's own words.
    stored = {c.reason.params.get("text") for c in state.pending_changes}
    assert "No Secretary General" in stored and "Pas de secrétaire général" not in stored


def test_an_interoperability_standard_reads_by_its_name_in_each_language() -> None:
    scenario = load_scenario(UNASUR)
    state, _ = opening_state(scenario, seed=1, now=0.0)
    texts = ScenarioTexts(scenario)
    assert state.standard_name("western-standard") == "Western standard"
    assert texts.state_in(state, "fr").standard_name("western-standard") == "Norme occidentale"
    assert translated(scenario, "fr").standard_name("russian-equipped") == (
        "Matériel d'origine russe"
    )
    # A game stored before standards had names takes them from its scenario in French,
    # and a tag no scenario names reads as words.
    older = dataclasses.replace(state, standards={})
    assert texts.state_in(older, "fr").standard_name("western-standard") == "Norme occidentale"
    assert older.standard_name("western-standard") == "western standard"


def test_a_translation_missing_a_successor_s_texts_or_a_standard_s_name_says_so() -> None:
    scenario = load_scenario(NORTHERN_REACH)
    french = scenario.translations["fr"]
    belmont = french.nations["belmont"].model_copy(update={"successor": None})
    partial = french.model_copy(
        update={"standards": {}, "nations": {**french.nations, "belmont": belmont}}
    )
    lacking = untranslated(scenario.model_copy(update={"translations": {"fr": partial}}), "fr")
    assert {
        "standards.concord-standard",
        "nations.belmont.successor.leader",
        "nations.belmont.successor.brief",
        "nations.belmont.successor.objectives.out.text",
    } <= set(lacking)
    assert not any(path.startswith("nations.drevany.successor") for path in lacking)


def test_a_successor_s_texts_for_a_nation_without_one_and_an_unknown_standard_are_errors() -> None:
    text = scenario_text(
        "standards: {stf: The standard}\n"
        "translations:\n  fr:\n    standards: {sdt: La norme}\n    nations:\n      red:\n"
        "        successor: {leader: Le nouveau chef}\n"
    )
    errors = errors_of(text)
    assert [(e.line, e.field) for e in errors] == [
        (1, "standards.stf"),
        (4, "translations.fr.standards.sdt"),
        (7, "translations.fr.nations.red.successor"),
    ]
    assert "unknown interoperability standard 'stf'" in errors[0].message
    assert "known interoperability standards: std" in errors[0].message
    assert "nation 'red' has no successor" in errors[2].message
