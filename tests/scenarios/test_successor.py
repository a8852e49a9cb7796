"""A nation's successor (issue 15, part 3): who takes office if support brings the
government down, validated field by field with the line of each error, and built into
the opening state."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario, parse_scenario
from tests.scenarios.helpers import HEAD, MAP, OPERATIONS, SCENARIOS_DIR, errors_of, line

RED = """\
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
    successor:
"""
BLUE = """\
  - id: blue
    name: Blue
    budget: 8
    domestic_support: 60
    interoperability: std
    public_objective: Help.
    secret_objective: Be thanked.
    units:
      - {id: blue-1, name: Blue One, capability: medical, strength: 2, cost: 1}
coalitions:
  - {id: pact, name: The Pact, lead: blue, members: [red, blue]}
  - {id: other, name: The Other, lead: blue, members: [blue]}
"""


def _text(successor: str) -> str:
    return RED + successor + BLUE + HEAD + MAP + OPERATIONS


def test_a_successor_is_built_into_the_opening_state() -> None:
    scenario = parse_scenario(
        _text(
            "      leader: Premier Ada Voss\n"
            "      profile: cautious\n"
            "      caveats: [no-combat]\n"
            "      withdraw: [pact]\n"
            "      brief: Bring them home.\n"
            "      objectives:\n"
            "        - {id: out, text: Stay out., kind: outside_coalitions, points: 10}\n"
        ),
        "test.yaml",
    )
    state = opening_state(scenario, seed=1, now=0.0)[0]
    red = state.nation("red")
    assert red is not None and red.successor is not None
    assert red.successor.leader == "Premier Ada Voss"
    assert red.successor.caveats == ("no-combat",) and red.successor.withdraw == ("pact",)
    assert red.successor.objectives is not None
    assert [o.kind for o in red.successor.objectives] == ["outside_coalitions"]
    # Left out, a successor keeps the nation's objectives (None) and brief ("").
    kept = parse_scenario(_text("      withdraw: ['*']\n"), "test.yaml")
    successor = opening_state(kept, seed=1, now=0.0)[0].nation("red").successor  # type: ignore[union-attr]
    assert successor is not None and successor.objectives is None and successor.brief == ""


@pytest.mark.parametrize(
    ("successor", "field", "message"),
    [
        (
            "      withdraw: [nowhere]\n",
            "nations[0].successor.withdraw[0]",
            "unknown coalition 'nowhere'",
        ),
        (
            "      withdraw: [other]\n",
            "nations[0].successor.withdraw[0]",
            "'red' is not a member of coalition 'other' at the start",
        ),
        (
            "      caveats: [home-region-only]\n",
            "nations[0].successor.caveats[0]",
            "needs the nation's home_region",
        ),
        ("      caveats: [no-swimming]\n", "nations[0].successor.caveats[0]", "no-combat"),
        ("      profile: grumpy\n", "nations[0].successor.profile", "cautious"),
        ("      mood: grumpy\n", "nations[0].successor.mood", "unknown field 'mood'"),
        (
            "      objectives:\n"
            "        - {id: op, text: Win., kind: operation_succeeds, target: op-z}\n",
            "nations[0].successor.objectives[0].target",
            "op-z",
        ),
    ],
)
def test_a_bad_successor_gets_a_clear_error_at_its_line(
    successor: str, field: str, message: str
) -> None:
    text = _text(successor)
    [error] = errors_of(text)
    assert error.field == field, error
    assert message in error.message, error
    # The line of the offending field: the successor's last line is the one it names.
    assert error.line == 11 + len(successor.splitlines()), error
    assert line(text, error.line) == successor.splitlines()[-1]


@pytest.mark.parametrize(
    "path",
    [SCENARIOS_DIR / f"{name}.yaml" for name in ("gulf-1990", "meridian-strait", "northern-reach")],
    ids=lambda p: Path(p).stem,
)
def test_shipped_scenarios_name_successors(path: Path) -> None:
    scenario = load_scenario(path)
    successors = [n for n in scenario.nations if n.successor is not None]
    assert successors, path.stem
    for nation in successors:
        assert nation.successor is not None and nation.successor.brief, nation.id
