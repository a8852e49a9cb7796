"""Follow-on scenarios (app/scenarios/follow_on.py): a played game carried forward into a
valid scenario that starts where the game stood."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from app.bots.personalities import PERSONALITIES, make_bot
from app.bots.simulate import StrategyPlan, play_game
from app.rules import resolve_turn
from app.scenarios.build import opening_state
from app.scenarios.follow_on import follow_on
from app.scenarios.loader import parse_scenario
from tests.conftest import SCENARIOS_DIR

SCENARIOS = sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_a_played_game_becomes_a_valid_follow_on_scenario(scenario_id: str) -> None:
    source = (SCENARIOS_DIR / f"{scenario_id}.yaml").read_text()
    original = parse_scenario(source, scenario_id)
    state, _ = opening_state(original, seed=5, now=0.0)
    played = play_game(state, {n.id: make_bot("hawk") for n in state.nations}, seed=5)

    text = follow_on(source, played, game_name="Course 3, syndicate 1")
    scenario = parse_scenario(text, "follow-on")  # raises, naming line and field, if invalid
    assert scenario.id == f"{original.id}-follow-on" and scenario.version == 1
    assert scenario.escalation.start == min(played.escalation.level, scenario.escalation.max)
    assert "Where Course 3, syndicate 1 left off" in scenario.briefing
    for nation in scenario.nations:
        now = played.nation(nation.id)
        assert now is not None
        assert nation.budget == max(0, now.budget)
        assert nation.domestic_support == max(0, min(100, round(now.domestic_support)))
    assert not {e.id for e in scenario.events} & set(played.fired)
    active = {c.id for c in played.coalitions if c.active}
    assert {c.id for c in scenario.coalitions} == active
    # The follow-on plays: its opening state builds.
    opening_state(scenario, seed=1, now=0.0)


@pytest.mark.parametrize("scenario_id", SCENARIOS)
def test_every_scenario_played_by_every_kind_of_bot_gives_a_valid_follow_on(
    scenario_id: str,
) -> None:
    """Each personality plays the whole game, and the nations' profiles play it half way
    (a follow-on is also opened from a running game): each follow-on validates."""
    source = (SCENARIOS_DIR / f"{scenario_id}.yaml").read_text()
    original = parse_scenario(source, scenario_id)
    state, _ = opening_state(original, seed=3, now=0.0)
    played = [
        play_game(state, {n.id: make_bot(p) for n in state.nations}, seed=3) for p in PERSONALITIES
    ]
    halfway = dataclasses.replace(state, turns=max(1, state.turns // 2))
    stopped = play_game(halfway, StrategyPlan.from_profiles(state).bots(state), seed=4)
    played.append(dataclasses.replace(stopped, turns=state.turns))
    for final in played:
        text = follow_on(source, final, game_name="O'Brien's syndicate")
        scenario = parse_scenario(text, "follow-on")
        opening_state(scenario, seed=1, now=0.0)


def test_an_operation_two_coalitions_took_on_stays_with_the_first() -> None:
    source = (SCENARIOS_DIR / "northern-reach.yaml").read_text()
    state, _ = opening_state(parse_scenario(source), seed=2, now=0.0)
    operation = state.operations[0].id
    first, *others = state.coalitions or ()
    assert first is not None
    nations = [n.id for n in state.nations]
    second = dataclasses.replace(
        first, id="second", name="Second", lead=nations[-1], members=(nations[-1],)
    )
    state = dataclasses.replace(
        state,
        coalitions=(
            dataclasses.replace(first, operations=(operation,)),
            *others,
            dataclasses.replace(second, operations=(operation,)),
        ),
    )
    scenario = parse_scenario(follow_on(source, state, game_name="G"), "follow-on")
    holders = [c.id for c in scenario.coalitions if operation in c.operations]
    assert holders == [first.id]


def test_the_briefing_stays_a_readable_block_of_text() -> None:
    source = (SCENARIOS_DIR / "meridian-strait.yaml").read_text()
    state, _ = opening_state(parse_scenario(source), seed=2, now=0.0)
    text = follow_on(source, state, game_name="O'Brien's syndicate")
    block = text[text.index("\nbriefing: |\n") :]
    block = block[: block.index("\nturns:")]
    assert "O''Brien" not in block and "O'Brien's syndicate left off" in block
    briefing = yaml.safe_load(text)["briefing"]
    original = yaml.safe_load(source)["briefing"]
    assert briefing.startswith(original.split("\n")[0])


def test_trust_carries_over_as_the_mean_of_both_directions() -> None:
    source = (SCENARIOS_DIR / "meridian-strait.yaml").read_text()
    state, _ = opening_state(parse_scenario(source), seed=2, now=0.0)
    relations = tuple(
        dataclasses.replace(r, trust=90 if r.nation == "arvenia" else 30)
        if {r.nation, r.other} == {"arvenia", "lindmark"}
        else r
        for r in state.relations
    )
    state, _ = resolve_turn(dataclasses.replace(state, relations=relations), 0.0)
    scenario = parse_scenario(follow_on(source, state, game_name="G"))
    pair = next(r for r in scenario.relations if set(r.between) == {"arvenia", "lindmark"})
    expected = round(
        (state.relation("arvenia", "lindmark").trust + state.relation("lindmark", "arvenia").trust)  # type: ignore[union-attr]
        / 2
    )
    assert pair.trust == expected
