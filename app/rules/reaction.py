"""Scenario data the rules read for the non-player actors: the adversary's reaction table
(docs/rules/adversary.md), read to choose its moves (`app.rules.resolution.adversary`),
and a council's mandate terms (docs/rules/legitimacy.md), read to answer a coalition that
asks it for a mandate (`app.rules.mandates`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class RedLine:
    """What the adversary has promised to answer: hard power at any of `operations`."""

    id: str
    name: str
    operations: tuple[str, ...]
    pressure: float  # escalation pressure when the line is first crossed
    level: int | None = None  # or the rung the adversary climbs to at least, if higher


@dataclass(frozen=True)
class Reaction:
    """How the adversary answers the coalition (docs/rules/adversary.md): the scenario's
    reaction table. Pressures are in rungs of the escalation ladder (1.0 = one rung)."""

    # Per unit of force size (strength / difficulty, capped) in offensive or defensive hard power.
    offensive: float = 0.3
    defensive: float = 0.1
    # How the result scales the answer: a failure emboldens, a success may cow (below 1,
    # or below 0: the adversary gives ground) or enrage (above 1).
    result: dict[str, float] = field(
        default_factory=lambda: {"success": 1.0, "partial": 1.0, "failure": 1.0}
    )
    relief: float = 1.0  # scales how far soft power that works calms the crisis
    # The relief when a coalition deters as one (doubled for a defensive posture).
    deterrence: float = 0.5
    probe: float = 0.0  # per sign of weakness: soft power only, divided, nobody deterring
    divided_below: int = 50  # a coalition under this cohesion looks divided
    drift: float = 0.0  # when no operation is attempted at all
    momentum: float = 0.0  # every turn: a crisis that grows by itself until relieved
    miscalculation_chance: float = 0.0  # per turn, rolled on the turn's seeded generator
    miscalculation: float = 1.0  # the pressure a miscalculation adds
    # The crisis ends when deterrence or coercion works and the level is at or below this.
    backs_down_at: int | None = None
    red_lines: tuple[RedLine, ...] = ()


@dataclass(frozen=True)
class MandateTerms:
    """When a council (a `un` actor) grants a coalition that asks it a mandate
    (docs/rules/legitimacy.md)."""

    grants: Literal["un", "regional"] = "un"  # "regional" for a regional organisation
    attitude_at_least: int = 60  # its attitude to the coalition effort must be this high
    members_at_least: int = 2  # a coalition of one is no coalition to bless
    # A permanent member that vetoes any mandate (its name), or "" for none.
    vetoed_by: str = ""
