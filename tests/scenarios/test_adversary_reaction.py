"""The adversary's reaction table is scenario data, validated like the rest: a malformed
value names its file, line and field."""

from __future__ import annotations

from app import rules
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario, parse_scenario
from tests.scenarios.helpers import SCENARIOS_DIR, errors_of, line, only_error, scenario_text

ACTORS = """\
actors:
  - id: foe
    name: The Foe
    kind: adversary
    reaction:
      offensive: 0.4
      defensive: 0.1
      result: {success: 0.5, partial: 1.0, failure: 1.5}
      probe: 0.5
      drift: 1.0
      miscalculation_chance: 0.1
      backs_down_at: 1
      red_lines:
        - {id: line-a, name: Op A is a red line, operations: [op-a], pressure: 1.5, level: 4}
"""


def test_a_reaction_table_parses_and_builds_into_the_state() -> None:
    scenario = parse_scenario(scenario_text(ACTORS), "test.yaml")
    state, _ = opening_state(scenario, seed=1, now=0.0)
    adversary = state.adversary()
    assert adversary is not None and adversary.reaction is not None
    reaction = adversary.reaction
    assert (reaction.offensive, reaction.defensive, reaction.probe) == (0.4, 0.1, 0.5)
    assert reaction.result == {"success": 0.5, "partial": 1.0, "failure": 1.5}
    assert reaction.backs_down_at == 1
    assert reaction.red_lines == (
        rules.state.RedLine("line-a", "Op A is a red line", ("op-a",), 1.5, 4),
    )
    # The state keeps the table through its JSON.
    assert rules.state_from_dict(rules.state_to_dict(state)).adversary() == adversary


def test_every_shipped_scenario_has_an_adversary_that_reacts() -> None:
    for path in sorted(SCENARIOS_DIR.glob("*.yaml")):
        state, _ = opening_state(load_scenario(path), seed=1, now=0.0)
        adversary = state.adversary()
        assert adversary is not None and adversary.reaction is not None, path.name


def test_a_red_line_naming_an_unknown_operation_names_its_line_and_field() -> None:
    text = scenario_text(ACTORS.replace("operations: [op-a]", "operations: [op-z]"))
    error = only_error(text)
    assert error.field == "actors[0].reaction.red_lines[0].operations[0]"
    assert error.line == 14 and "op-z" in line(text, 14)
    assert "unknown operation 'op-z'" in error.message
    assert str(error).startswith("test.yaml:14:")


def test_only_the_adversary_has_a_reaction_table() -> None:
    text = scenario_text(ACTORS.replace("kind: adversary", "kind: ngo"))
    error = only_error(text)
    assert error.field == "actors[0].reaction"
    assert error.line == 5
    assert "only the adversary reacts" in error.message


def test_a_negative_rate_or_a_rung_above_the_ladder_is_rejected() -> None:
    text = scenario_text(ACTORS.replace("offensive: 0.4", "offensive: -1"))
    error = only_error(text)
    assert error.field == "actors[0].reaction.offensive" and error.line == 6
    text = scenario_text(ACTORS.replace("backs_down_at: 1", "backs_down_at: 9"))
    error = only_error(text)
    assert error.field == "actors[0].reaction.backs_down_at" and error.line == 12
    assert "max (5)" in error.message
    text = scenario_text(ACTORS.replace("level: 4}", "level: 6}"))
    (error,) = errors_of(text)
    assert error.field == "actors[0].reaction.red_lines[0].level" and error.line == 14


def test_an_unknown_field_in_the_table_is_reported() -> None:
    text = scenario_text(ACTORS.replace("drift: 1.0", "drfit: 1.0"))
    error = only_error(text)
    assert error.field.startswith("actors[0].reaction") and error.line == 10
