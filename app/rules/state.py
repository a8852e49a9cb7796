"""The immutable game state of Entente.

Every value is a frozen dataclass of tuples so a state can be shared, compared and
serialised without copying; rules functions return new states instead of mutating.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Literal

from pydantic import TypeAdapter

Capability = Literal[
    "land", "air", "maritime", "lift", "isr", "special_forces", "medical", "engineers", "cyber"
]
Power = Literal["hard", "soft"]
Controller = Literal["vacant", "human", "bot"]
Result = Literal["success", "partial", "failure", "not_attempted"]


class Phase(StrEnum):
    """The phases of a turn (DESIGN.md section 2); the walking skeleton plays ORDERS only."""

    INTELLIGENCE = "intelligence"
    NEGOTIATION = "negotiation"
    ORDERS = "orders"
    ADJUDICATION = "adjudication"
    REVIEW = "review"
    ENDED = "ended"


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    capability: Capability
    strength: int
    cost: int


@dataclass(frozen=True)
class Nation:
    id: str
    name: str
    budget: int
    domestic_support: int
    interoperability: str
    caveats: tuple[str, ...]
    public_objective: str
    secret_objective: str
    units: tuple[Unit, ...]
    controller: Controller = "vacant"

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    x: int
    y: int


@dataclass(frozen=True)
class Operation:
    id: str
    name: str
    region: str
    power: Power
    difficulty: int
    requirements: tuple[tuple[Capability, int], ...]
    description: str


@dataclass(frozen=True)
class Escalation:
    level: int
    max: int
    threshold: int


@dataclass(frozen=True)
class Factor:
    """One named multiplier or term of a computed number, with the reason in words."""

    name: str
    value: float
    detail: str


@dataclass(frozen=True)
class Contribution:
    nation_id: str
    unit_ids: tuple[str, ...]
    strength: int
    cost: int


@dataclass(frozen=True)
class Outcome:
    """The explained result of one operation in one turn."""

    turn: int
    operation_id: str
    result: Result
    effectiveness: float
    probability_success: float
    probability_partial: float
    roll: float | None
    factors: tuple[Factor, ...]
    contributions: tuple[Contribution, ...]
    escalation_change: int
    summary: str


@dataclass(frozen=True)
class Commitment:
    unit_id: str
    nation_id: str
    operation_id: str


@dataclass(frozen=True)
class GameState:
    seed: int
    turn: int
    turns: int
    phase: Phase
    # Epoch seconds; the service passes the current time in, the rules never read a clock.
    deadline: float | None
    orders_seconds: int
    regions: tuple[Region, ...]
    nations: tuple[Nation, ...]
    operations: tuple[Operation, ...]
    escalation: Escalation
    commitments: tuple[Commitment, ...] = ()
    ready: frozenset[str] = field(default_factory=frozenset)
    outcomes: tuple[Outcome, ...] = ()

    def nation(self, nation_id: str) -> Nation | None:
        return next((n for n in self.nations if n.id == nation_id), None)

    def operation(self, operation_id: str) -> Operation | None:
        return next((o for o in self.operations if o.id == operation_id), None)

    def commitment(self, unit_id: str) -> Commitment | None:
        return next((c for c in self.commitments if c.unit_id == unit_id), None)

    def commitments_of(self, nation_id: str) -> tuple[Commitment, ...]:
        return tuple(c for c in self.commitments if c.nation_id == nation_id)

    def committed_cost(self, nation: Nation) -> int:
        committed = {c.unit_id for c in self.commitments_of(nation.id)}
        return sum(u.cost for u in nation.units if u.id in committed)

    def human_seats(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nations if n.controller == "human")

    def player_seats(self) -> tuple[str, ...]:
        """Seats a person plays or may still take: every seat a bot does not hold."""
        return tuple(n.id for n in self.nations if n.controller != "bot")

    def replace_nation(self, nation: Nation) -> GameState:
        return replace(
            self, nations=tuple(nation if n.id == nation.id else n for n in self.nations)
        )

    def outcomes_of_turn(self, turn: int) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.turn == turn)


_STATE_ADAPTER: TypeAdapter[GameState] = TypeAdapter(GameState)


def state_to_dict(state: GameState) -> dict[str, Any]:
    """A JSON-ready dict; `state_from_dict` restores an equal state."""
    data: dict[str, Any] = _STATE_ADAPTER.dump_python(state, mode="json")
    data["ready"] = sorted(data["ready"])  # sets have no stable JSON order
    return data


def state_from_dict(data: dict[str, Any]) -> GameState:
    return _STATE_ADAPTER.validate_python(data)
