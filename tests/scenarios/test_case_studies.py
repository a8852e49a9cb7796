"""The case studies of issue 15 part 7: Operation Provide Comfort (1991) and the Vietnam War
coalition (1965-73), the seeds' own example of a coalition that failed from divergent
interests. What the history needs from the scenario data, checked on the shipped files."""

from __future__ import annotations

from functools import cache

from app.scenarios.loader import load_scenario
from app.scenarios.schema import Scenario
from tests.scenarios.helpers import SCENARIOS_DIR

NEW_CASE_STUDIES = ("provide-comfort-1991", "vietnam-1965")


@cache
def shipped(scenario_id: str) -> Scenario:
    return load_scenario(SCENARIOS_DIR / f"{scenario_id}.yaml")


def test_their_strategies_steer_no_bot_to_an_operation() -> None:
    # History has to come from the data (objectives, relations, coalition, events) and
    # the personalities, not from focus lists (issue 15 part 6).
    for scenario_id in NEW_CASE_STUDIES:
        scenario = shipped(scenario_id)
        operations = {o.id for o in scenario.operations}
        for strategy in scenario.strategies:
            said = strategy.model_dump_json()
            named = [o for o in operations if f'"{o}"' in said]
            assert named == [], (strategy.id, named)


def test_provide_comfort_has_a_host_no_chapter_vii_and_a_humanitarian_partner() -> None:
    scenario = shipped("provide-comfort-1991")
    # Turkey hosts the bases and the border camps; northern Iraq has no host at the table.
    hosts = {r.id: r.host for r in scenario.map.regions}
    assert hosts["incirlik"] == hosts["border-camps"] == "turkey"
    assert hosts["zakho"] is None and hosts["dahuk"] is None
    # Resolution 688 authorised no force: the coalition starts without a mandate and the
    # council cannot give one.
    coalition = scenario.coalition("provide-comfort")
    assert coalition is not None and coalition.mandate == "none"
    council = next(a for a in scenario.actors if a.kind == "un")
    assert council.mandate is not None and council.mandate.vetoed_by
    assert "unhcr" in {a.id for a in scenario.actors if a.kind == "ngo"}
    # The safe haven, the return and the handover, with the escalation contained.
    assert scenario.historical_outcome is not None
    checks = {(c.kind, c.target) for c in scenario.historical_outcome.checks}
    assert {
        ("operation_succeeds", "security-zone"),
        ("operation_succeeds", "return-home"),
        ("operation_succeeds", "handover"),
        ("escalation_at_most", ""),
    } <= checks
    # Force protects (defensive) and the road to Mosul is a red line.
    zone = scenario.operation("security-zone")
    assert zone is not None and zone.power == "hard" and zone.posture == "defensive"
    iraq = next(a for a in scenario.actors if a.kind == "adversary")
    assert iraq.reaction is not None
    assert any("march-on-mosul" in line.operations for line in iraq.reaction.red_lines)


def test_vietnam_history_dissolves_a_divided_coalition() -> None:
    scenario = shipped("vietnam-1965")
    assert scenario.historical_outcome is not None
    assert ("coalition_dissolved", "free-world") in {
        (c.kind, c.target) for c in scenario.historical_outcome.checks
    }
    coalition = scenario.coalition("free-world")
    assert coalition is not None and coalition.command == "parallel"
    assert len(coalition.members) == len(scenario.nations) == 7
    # Divergent interests: the allies are less aligned with one another than with the
    # United States, the reason each of them came.
    with_usa = [r.alignment for r in scenario.relations if "usa" in r.between]
    among_allies = [r.alignment for r in scenario.relations if "usa" not in r.between]
    assert sum(among_allies) / len(among_allies) < sum(with_usa) / len(with_usa) - 10
    historical = scenario.strategy("historical")
    alternative = scenario.strategy("combined-command")
    assert historical is not None and alternative is not None
    assert historical.command == "parallel" and alternative.command == "integrated"
    assert {"hawk", "free_rider"} <= {p.personality for p in historical.nations.values()}
    assert all(alternative.personality(n.id) == "cooperative" for n in scenario.nations)
