"""Follow-on scenarios (app/scenarios/follow_on.py): a played game carried forward into a
valid scenario that starts where the game stood."""

from __future__ import annotations

import dataclasses

import pytest

from app.bots.personalities import make_bot
from app.bots.simulate import play_game
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
