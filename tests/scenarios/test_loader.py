"""Scenario loading and validation: line-numbered, field-named errors (app/scenarios)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.scenarios.loader import (
    ScenarioInvalid,
    load_directory,
    load_scenario,
    parse_scenario,
    validate_paths,
)
from app.scenarios.schema import Scenario
from tests.scenarios.helpers import (
    HEAD,
    MAP,
    NATIONS,
    OPERATIONS,
    SCENARIOS_DIR,
    errors_of,
    line,
    only_error,
    scenario_text,
)

# -- valid input ------------------------------------------------------------------------


def test_shipped_scenarios_validate() -> None:
    files = sorted(SCENARIOS_DIR.glob("*.y*ml"))
    assert files, f"no scenario shipped in {SCENARIOS_DIR}"
    assert validate_paths([SCENARIOS_DIR]) == []
    loaded = load_directory(SCENARIOS_DIR)
    assert [path for path, _ in loaded] == files


def test_meridian_strait_is_the_teaching_scenario_described() -> None:
    scenario = load_scenario(SCENARIOS_DIR / "meridian-strait.yaml")
    assert scenario.id == "meridian-strait"
    assert (scenario.turns, scenario.orders_seconds) == (3, 300)
    assert len(scenario.nations) == 3
    assert len(scenario.operations) == 3
    assert {op.power for op in scenario.operations} == {"hard", "soft"}
    assert 4 <= len(scenario.map.regions) <= 5
    assert all(3 <= len(nation.units) <= 5 for nation in scenario.nations)
    assert all(n.public_objective != n.secret_objective for n in scenario.nations)
    assert len({n.interoperability for n in scenario.nations}) == 2
    assert any(nation.caveats for nation in scenario.nations)
    assert 150 <= len(scenario.briefing.split()) <= 250


def test_valid_text_parses_into_models() -> None:
    scenario = parse_scenario(HEAD + MAP + NATIONS + OPERATIONS)
    assert isinstance(scenario, Scenario)
    assert scenario.escalation.threshold == 3
    assert scenario.map.regions[1].adjacent == ("alpha",)
    assert scenario.nations[0].caveats == ("no-night-ops",)
    assert scenario.nations[1].caveats == ()
    assert scenario.operations[0].requirements == {"land": 2}
    assert scenario.briefing == "A short **briefing**."
    red_two = scenario.nations[0].unit("red-2")
    assert red_two is not None and red_two.capability == "air"
    assert [unit.id for _, unit in scenario.units()] == ["red-1", "red-2", "blue-1"]


# -- field errors -----------------------------------------------------------------------


def test_wrong_type_reports_the_field_path_and_its_line() -> None:
    text = scenario_text(
        """\
nations:
  - id: red
    name: Red
    budget: 10
    domestic_support: 50
    interoperability: std
    public_objective: Keep the peace.
    secret_objective: Keep the port.
    units:
      - {id: red-1, name: Red One, capability: land, strength: 3, cost: 1}
      - id: red-2
        name: Red Two
        capability: air
        strength: three
        cost: 2
  - id: blue
    name: Blue
    budget: 8
    domestic_support: 60
    interoperability: std
    public_objective: Help.
    secret_objective: Be thanked.
    units:
      - {id: blue-1, name: Blue One, capability: medical, strength: 2, cost: 1}
""",
        "nations",
    )
    error = only_error(text)
    assert error.field == "nations[0].units[1].strength"
    assert (error.line, error.column) == (14, 9)
    assert line(text, 14).strip() == "strength: three"
    assert error.file == "test.yaml"
    assert "integer" in error.message and "'three'" in error.message
    # Shown with the ids of the nation and the unit.
    assert str(error) == f"test.yaml:14:9: nations[red].units[red-2].strength: {error.message}"


def test_value_out_of_range_in_a_flow_mapping_points_at_the_key() -> None:
    text = scenario_text(
        """\
escalation: {start: 1, max: 5, threshold: 3}
format: 1
id: tiny
version: 1
title: Tiny crisis
summary: A two-nation test scenario.
briefing: Short.
turns: 51
orders_seconds: 60
""",
        "head",
    )
    error = only_error(text)
    assert (error.field, error.line, error.column) == ("turns", 8, 1)
    assert "less than or equal to 50" in error.message


def test_missing_required_field_reports_the_parent_mapping_line() -> None:
    text = scenario_text(
        """\
nations:
  - id: red
    name: Red
    budget: 10
    domestic_support: 50
    interoperability: std
    public_objective: Keep the peace.
    secret_objective: Keep the port.
    units:
      - {id: red-1, name: Red One, capability: land, strength: 3, cost: 1}
  - id: blue
    name: Blue
    domestic_support: 60
    interoperability: std
    public_objective: Help.
    secret_objective: Be thanked.
    units:
      - {id: blue-1, name: Blue One, capability: medical, strength: 2, cost: 1}
""",
        "nations",
    )
    error = only_error(text)
    assert error.field == "nations[1].budget"
    assert (error.line, error.column) == (11, 5)
    assert line(text, 11) == "  - id: blue"
    assert "missing" in error.message and "budget" in error.message


def test_missing_field_of_a_nested_mapping_points_at_its_key() -> None:
    text = scenario_text(
        """\
format: 1
id: tiny
version: 1
title: Tiny crisis
summary: A two-nation test scenario.
briefing: Short.
turns: 2
orders_seconds: 60
escalation:
  start: 1
  threshold: 3
""",
        "head",
    )
    error = only_error(text)
    assert (error.field, error.line) == ("escalation.max", 9)


def test_unknown_field_is_reported_with_a_suggestion() -> None:
    text = scenario_text(
        """\
map:
  regions:
    - {id: alpha, name: Alpha, x: 10, y: 20, adjacent: [beta]}
    - id: beta
      name: Beta
      x: 30
      y: 40
      adjacents: [alpha]
""",
        "map",
    )
    error = only_error(text)
    assert (error.field, error.line, error.column) == ("map.regions[1].adjacents", 8, 7)
    assert "unknown field" in error.message and "'adjacent'" in error.message


def test_bad_enum_value_and_bad_requirement_key() -> None:
    text = scenario_text(
        """\
operations:
  - id: op-a
    name: Op A
    region: alpha
    power: medium
    difficulty: 4
    requirements: {land: 2, tanks: 1}
    description: Hold the line.
""",
        "operations",
    )
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("operations[0].power", 5),
        ("operations[0].requirements.tanks", 7),
    ]
    assert "'hard'" in errors[0].message and "'medium'" in errors[0].message


# -- cross-reference errors -------------------------------------------------------------


def test_unknown_region_in_an_operation_reports_its_index_and_line() -> None:
    text = scenario_text(
        """\
operations:
  - id: op-a
    name: Op A
    region: alpha
    power: hard
    difficulty: 4
    requirements: {land: 2}
    description: Hold the line.
  - id: op-b
    name: Op B
    region: gamma
    power: soft
    difficulty: 3
    requirements: {medical: 2}
    description: Run a clinic.
""",
        "operations",
    )
    error = only_error(text)
    assert error.field == "operations[1].region"
    assert (error.line, error.column) == (11, 5)
    assert line(text, 11).strip() == "region: gamma"
    assert "'gamma'" in error.message


def test_duplicate_unit_ids_across_nations_are_reported() -> None:
    text = scenario_text(
        """\
nations:
  - id: red
    name: Red
    budget: 10
    domestic_support: 50
    interoperability: std
    public_objective: Keep the peace.
    secret_objective: Keep the port.
    units:
      - {id: red-1, name: Red One, capability: land, strength: 3, cost: 1}
  - id: blue
    name: Blue
    budget: 8
    domestic_support: 60
    interoperability: std
    public_objective: Help.
    secret_objective: Be thanked.
    units:
      - id: red-1
        name: Blue One
        capability: medical
        strength: 2
        cost: 1
""",
        "nations",
    )
    error = only_error(text)
    assert error.field == "nations[1].units[0].id"
    assert (error.line, error.column) == (19, 9)
    assert "duplicate unit id 'red-1'" in error.message
    assert "nations[red].units[red-1].id" in error.message


def test_adjacency_and_escalation_ordering_are_checked() -> None:
    text = scenario_text(
        """\
format: 1
id: tiny
version: 1
title: Tiny crisis
summary: A two-nation test scenario.
briefing: Short.
turns: 2
orders_seconds: 60
escalation: {start: 1, max: 5, threshold: 6}
map:
  regions:
    - {id: alpha, name: Alpha, x: 10, y: 20, adjacent: [beta]}
    - {id: beta, name: Beta, x: 30, y: 40, adjacent: [alpha, delta]}
""",
        "head",
        "map",
    )
    errors = errors_of(text)
    assert [(e.field, e.line) for e in errors] == [
        ("escalation.threshold", 9),
        ("map.regions[1].adjacent[1]", 13),
    ]


# -- YAML-level errors ------------------------------------------------------------------


def test_duplicate_yaml_key_is_reported_at_the_second_key() -> None:
    text = scenario_text(
        """\
nations:
  - id: red
    name: Red
    budget: 10
    domestic_support: 50
    budget: 12
    interoperability: std
    public_objective: Keep the peace.
    secret_objective: Keep the port.
    units:
      - {id: red-1, name: Red One, capability: land, strength: 3, cost: 1}
  - id: blue
    name: Blue
    budget: 8
    domestic_support: 60
    interoperability: std
    public_objective: Help.
    secret_objective: Be thanked.
    units:
      - {id: blue-1, name: Blue One, capability: medical, strength: 2, cost: 1}
""",
        "nations",
    )
    error = only_error(text)
    assert error.field == "nations[0].budget"
    assert (error.line, error.column) == (6, 5)
    assert "duplicate key 'budget'" in error.message and "line 4" in error.message


def test_duplicate_top_level_key() -> None:
    text = HEAD + MAP + NATIONS + OPERATIONS + "turns: 3\n"
    error = only_error(text)
    assert (error.field, error.line) == ("turns", text.count("\n"))


def test_yaml_syntax_error_reports_its_line() -> None:
    text = """\
format: 1
id: tiny
title: [unclosed
summary: fine
"""
    error = only_error(text)
    assert error.field == "(document)"
    assert error.line == 4
    assert error.message.startswith("invalid YAML")


def test_yaml_syntax_error_in_block_mapping() -> None:
    text = """\
format: 1
id: tiny
  version: 1
"""
    error = only_error(text)
    assert (error.field, error.line) == ("(document)", 3)
    assert "mapping values are not allowed" in error.message


@pytest.mark.parametrize(
    ("text", "kind"),
    [("- format: 1\n- id: tiny\n", "a list"), ("just a sentence\n", "a single value")],
)
def test_document_that_is_not_a_mapping(text: str, kind: str) -> None:
    error = only_error(text)
    assert (error.field, error.line, error.column) == ("(document)", 1, 1)
    assert "must be a mapping" in error.message and kind in error.message


def test_empty_document() -> None:
    error = only_error("# nothing but a comment\n")
    assert error.field == "(document)"
    assert "empty" in error.message


def test_unsupported_format_is_reported_alone() -> None:
    error = only_error("id: future\nformat: 2\nwhatever: {}\n")
    assert (error.field, error.line) == ("format", 2)
    assert "unsupported scenario format 2" in error.message


def test_scenario_invalid_lists_errors_one_per_line() -> None:
    text = scenario_text(
        """\
format: 1
id: Not A Slug
version: 0
title: Tiny crisis
summary: A two-nation test scenario.
briefing: Short.
turns: 2
orders_seconds: 60
escalation: {start: 1, max: 5, threshold: 3}
""",
        "head",
    )
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(text, "x.yaml")
    assert str(caught.value).splitlines() == [str(e) for e in caught.value.errors]
    assert [(e.field, e.line) for e in caught.value.errors] == [("id", 2), ("version", 3)]
    assert str(caught.value).startswith("x.yaml:2:1: id: must be a slug")


# -- files and directories --------------------------------------------------------------


def test_load_scenario_reads_a_file_and_names_it_in_errors(tmp_path: Path) -> None:
    good = tmp_path / "tiny.yaml"
    good.write_text(HEAD + MAP + NATIONS + OPERATIONS, encoding="utf-8")
    assert load_scenario(good).id == "tiny"

    bad = tmp_path / "broken.yaml"
    bad.write_text("format: 1\nid: [\n", encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(bad)
    assert all(e.file == str(bad) for e in caught.value.errors)


def test_unreadable_file_is_an_error_on_line_zero(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(missing)
    (error,) = caught.value.errors
    assert (error.file, error.line, error.column) == (str(missing), 0, 0)
    assert error.message.startswith("cannot read file")

    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("title: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScenarioInvalid) as caught:
        load_scenario(latin1)
    assert "UTF-8" in caught.value.errors[0].message
    assert caught.value.errors[0].line == 0


def test_validate_paths_reports_only_the_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a-good.yaml").write_text(HEAD + MAP + NATIONS + OPERATIONS, encoding="utf-8")
    bad = tmp_path / "b-bad.yml"
    bad_text = scenario_text(
        """\
operations:
  - id: op-a
    name: Op A
    region: nowhere
    power: hard
    difficulty: 4
    requirements: {land: 2}
    description: Hold the line.
""",
        "operations",
    )
    bad.write_text(bad_text, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not: [a scenario", encoding="utf-8")

    errors = validate_paths([tmp_path])
    assert [(e.file, e.field, e.line) for e in errors] == [(str(bad), "operations[0].region", 4)]
    assert [path.name for path, _ in load_directory(tmp_path)] == ["a-good.yaml"]


def test_validate_paths_accepts_files_and_flags_a_repeated_scenario(tmp_path: Path) -> None:
    first = tmp_path / "one.yaml"
    second = tmp_path / "two.yaml"
    for path in (first, second):
        path.write_text(HEAD + MAP + NATIONS + OPERATIONS, encoding="utf-8")
    errors = validate_paths([first, second, tmp_path / "absent.yaml"])
    assert [(e.file, e.field, e.line) for e in errors] == [
        (str(second), "id", 2),
        (str(tmp_path / "absent.yaml"), "(document)", 0),
    ]
    assert "already defined" in errors[0].message
