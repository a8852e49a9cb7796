"""Helpers of the scenario tests: a small valid scenario in sections, and the errors that
parsing a text gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.scenarios.loader import ScenarioError, ScenarioInvalid, parse_scenario

SCENARIOS_DIR = Path(__file__).resolve().parents[2] / "scenarios"

# A valid scenario in four top-level sections. A test writes the section it breaks
# first, inline, so its line numbers count from 1, and appends the other sections.
HEAD = """\
format: 1
id: tiny
version: 1
title: Tiny crisis
summary: A two-nation test scenario.
briefing: |
  A short **briefing**.
turns: 2
orders_seconds: 60
escalation: {start: 1, max: 5, threshold: 3}
"""
MAP = """\
map:
  regions:
    - {id: alpha, name: Alpha, x: 10, y: 20, adjacent: [beta]}
    - {id: beta, name: Beta, x: 30, y: 40, adjacent: [alpha]}
"""
NATIONS = """\
nations:
  - id: red
    name: Red
    budget: 10
    domestic_support: 50
    interoperability: std
    caveats: [no-night-ops]
    public_objective: Keep the peace.
    secret_objective: Keep the port.
    units:
      - {id: red-1, name: Red One, capability: land, strength: 3, cost: 1}
      - {id: red-2, name: Red Two, capability: air, strength: 2, cost: 2}
  - id: blue
    name: Blue
    budget: 8
    domestic_support: 60
    interoperability: std
    public_objective: Help.
    secret_objective: Be thanked.
    units:
      - {id: blue-1, name: Blue One, capability: medical, strength: 2, cost: 1}
"""
OPERATIONS = """\
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
    region: beta
    power: soft
    difficulty: 3
    requirements: {medical: 2}
    description: Run a clinic.
"""
SECTIONS = {"head": HEAD, "map": MAP, "nations": NATIONS, "operations": OPERATIONS}


def scenario_text(first: str, *replaces: str) -> str:
    """``first`` (written inline by the test, so line 1 is its first line) followed by
    every valid section except those it ``replaces``."""
    return first + "".join(text for name, text in SECTIONS.items() if name not in replaces)


def errors_of(text: str, filename: str = "test.yaml") -> list[ScenarioError]:
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(text, filename)
    assert caught.value.errors, "ScenarioInvalid must carry at least one error"
    return caught.value.errors


def only_error(text: str) -> ScenarioError:
    errors = errors_of(text)
    assert len(errors) == 1, "\n".join(map(str, errors))
    return errors[0]


def line(text: str, number: int) -> str:
    return text.splitlines()[number - 1]
