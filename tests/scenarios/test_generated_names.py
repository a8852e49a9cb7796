"""The names the code writes into a game (a default plenary, a government that replaced a
fallen one, the red-cell bot's words) are stored in English like every rule's words and
read in the reader's language; a name's article follows the reader's language in the
middle of a sentence."""

from __future__ import annotations

from dataclasses import replace

from app.bots.simulate import opening_state
from app.i18n import use_language
from app.rules.events import EventKind
from app.rules.outcomes import Event
from app.rules.wording.base import elide, mid_sentence
from app.rules.wording.changes import RED_CELL_DEFAULT_WORDS, leader_said, red_cell_said
from app.scenarios.build import PLENARY, PUBLIC_CHANNEL_ID
from app.scenarios.loader import parse_scenario
from app.scenarios.texts import ScenarioTexts
from app.services.scenarios import NEW_SCENARIO
from tests.conftest import SCENARIOS_DIR


def test_a_default_plenary_and_a_new_government_are_named_in_the_readers_language() -> None:
    scenario = parse_scenario(NEW_SCENARIO)  # no channels, and no French texts
    state = opening_state(scenario, seed=1)
    north = state.nation("north")
    assert north is not None
    fallen = replace(north, leader="new government (2)", leadership_changes=1)
    state = state.replace_nation(fallen)
    plenary = state.channel(PUBLIC_CHANNEL_ID)
    assert plenary is not None and plenary.name == PLENARY == "Plenary"  # as stored
    texts = ScenarioTexts(scenario)
    french, english = texts.state_in(state, "fr"), texts.state_in(state, "en")
    assert french.channel(PUBLIC_CHANNEL_ID).name == "Plénière"  # type: ignore[union-attr]
    assert french.nation("north").leader == "nouveau gouvernement (2)"  # type: ignore[union-attr]
    assert english.channel(PUBLIC_CHANNEL_ID).name == "Plenary"  # type: ignore[union-attr]
    assert english.nation("north").leader == "new government (2)"  # type: ignore[union-attr]


def test_a_scenarios_own_leader_and_channel_names_are_left_to_its_translation() -> None:
    text = (SCENARIOS_DIR / "meridian-strait.yaml").read_text(encoding="utf-8")
    scenario = parse_scenario(text)
    state = opening_state(scenario, seed=1)
    french = ScenarioTexts(scenario).state_in(state, "fr")
    arvenia = french.nation("arvenia")
    assert arvenia is not None and "new government" not in arvenia.leader
    assert all(c.name != "Plénière" or c.id == PUBLIC_CHANNEL_ID for c in french.channels)


def test_the_red_cell_bots_words_are_translated_and_a_persons_are_not() -> None:
    with use_language("fr"):
        said = {move: red_cell_said(words) for move, words in RED_CELL_DEFAULT_WORDS.items()}
        assert said["signal"] == "Tout nouveau pas de la coalition appellera une réponse."
        assert said["accept_terms"] == "Nous acceptons les conditions de la coalition."
        assert red_cell_said("We will not move.") == "We will not move."  # a student's
        assert leader_said("Celia Varn") == "Celia Varn"
    assert red_cell_said(RED_CELL_DEFAULT_WORDS["signal"]) == RED_CELL_DEFAULT_WORDS["signal"]


def test_a_names_article_in_the_middle_of_a_french_sentence() -> None:
    assert mid_sentence("Arvenia and The Fenwick Isles") == "Arvenia and the Fenwick Isles"
    with use_language("fr"):
        assert mid_sentence("Arvénie et Les Îles Fenwick") == "Arvénie et les Îles Fenwick"
        assert mid_sentence("L'Alliance") == "l'Alliance"
        assert mid_sentence("Lindmark") == "Lindmark"
        # "de les" and "à le" contract before a name, never before a pronoun's verb.
        assert elide("signé de les Îles Fenwick") == "signé des Îles Fenwick"
        assert elide("adressé à le Directoire") == "adressé au Directoire"
        assert elide("afin de le faire") == "afin de le faire"
        assert elide("le soutien de Arvénie") == "le soutien d'Arvénie"
    assert elide("signé de les Îles") == "signé de les Îles"  # English contracts nothing


def test_a_resolved_turn_names_the_adversary_in_the_readers_language() -> None:
    text = (SCENARIOS_DIR / "meridian-strait.yaml").read_text(encoding="utf-8")
    texts = ScenarioTexts(parse_scenario(text))
    report = {"name": "Teskari Directorate", "moves": ["probe"], "pressure": 1.5, "ended": False}
    resolved = Event(EventKind.TURN_RESOLVED, None, {"turn": 1, "adversary": report})
    french = texts.event_in(resolved, "fr")
    assert french.data["adversary"]["name"] == "Directoire teskari"
    assert french.data["adversary"]["moves"] == ["probe"] and french.data["turn"] == 1
    assert texts.event_in(resolved, "en").data["adversary"]["name"] == "Teskari Directorate"
