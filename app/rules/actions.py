"""Player actions: `apply` validates and applies one, `legal_actions` lists the valid ones.

Both share the same checks (`_check`), so the UI, the bots and the property tests can
never disagree about what is legal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from app.rules.state import Commitment, GameState, Nation, Phase


@dataclass(frozen=True)
class CommitUnit:
    unit_id: str
    operation_id: str
    kind: Literal["commit"] = "commit"


@dataclass(frozen=True)
class WithdrawUnit:
    unit_id: str
    kind: Literal["withdraw"] = "withdraw"


@dataclass(frozen=True)
class SetReady:
    ready: bool
    kind: Literal["ready"] = "ready"


Action = CommitUnit | WithdrawUnit | SetReady


@dataclass(frozen=True)
class Rejection:
    """A refused action: a stable machine code and a message for the player."""

    code: str
    message: str


@dataclass(frozen=True)
class Event:
    """Something that happened, with full detail; `views.view_event` redacts it per viewer."""

    kind: str
    actor: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Accepted:
    state: GameState
    events: tuple[Event, ...]


# How HTML forms spell booleans.
_FORM_BOOLEANS = {
    "true": True,
    "1": True,
    "yes": True,
    "on": True,
    "false": False,
    "0": False,
    "no": False,
    "off": False,
}


def parse_action(data: Any) -> Action | Rejection:
    """Build an action from untrusted input (a form or JSON body)."""
    if not isinstance(data, dict):
        return Rejection("malformed", "An action must be an object with a 'kind'.")
    kind = data.get("kind")
    if kind == "commit":
        unit_id, operation_id = data.get("unit_id"), data.get("operation_id")
        if not isinstance(unit_id, str) or not unit_id:
            return Rejection("malformed", "Choose a unit to commit.")
        if not isinstance(operation_id, str) or not operation_id:
            return Rejection("malformed", "Choose an operation to commit the unit to.")
        return CommitUnit(unit_id=unit_id, operation_id=operation_id)
    if kind == "withdraw":
        unit_id = data.get("unit_id")
        if not isinstance(unit_id, str) or not unit_id:
            return Rejection("malformed", "Choose a unit to withdraw.")
        return WithdrawUnit(unit_id=unit_id)
    if kind == "ready":
        ready = data.get("ready")
        if isinstance(ready, str):
            ready = _FORM_BOOLEANS.get(ready.strip().lower())
        if not isinstance(ready, bool):
            return Rejection("malformed", "'ready' must be true or false.")
        return SetReady(ready=ready)
    return Rejection("unknown_action", f"Unknown action kind {kind!r}.")


def _check(state: GameState, nation: Nation, action: Action) -> Rejection | None:
    if state.phase is not Phase.ORDERS:
        return Rejection("wrong_phase", f"Orders are closed during the {state.phase.value} phase.")
    if isinstance(action, SetReady):
        return None
    unit = nation.unit(action.unit_id)
    if unit is None:
        return Rejection("unknown_unit", f"{nation.name} has no unit {action.unit_id!r}.")
    current = state.commitment(unit.id)
    if isinstance(action, WithdrawUnit):
        if current is None:
            return Rejection("not_committed", f"{unit.name} is not committed to any operation.")
        return None
    operation = state.operation(action.operation_id)
    if operation is None:
        return Rejection("unknown_operation", f"There is no operation {action.operation_id!r}.")
    if current is not None:
        held = state.operation(current.operation_id)
        where = held.name if held else current.operation_id
        return Rejection(
            "already_committed", f"{unit.name} is already committed to {where}; withdraw it first."
        )
    if operation.power == "hard" and "no-combat" in nation.caveats:
        return Rejection(
            "caveat",
            f"{nation.name}'s national caveat 'no-combat' forbids committing forces to "
            f"{operation.name}, a hard-power operation.",
        )
    cost = state.committed_cost(nation) + unit.cost
    if cost > nation.budget:
        return Rejection(
            "over_budget",
            f"Committing {unit.name} would bring this turn's cost to {cost}, "
            f"over {nation.name}'s budget of {nation.budget}.",
        )
    return None


def apply(state: GameState, actor: str, action: Action) -> Accepted | Rejection:
    """Apply `action` by nation `actor`; never raises for a bad action."""
    nation = state.nation(actor)
    if nation is None:
        return Rejection("unknown_nation", f"There is no nation {actor!r} in this game.")
    rejection = _check(state, nation, action)
    if rejection is not None:
        return rejection
    if isinstance(action, SetReady):
        ready = state.ready | {actor} if action.ready else state.ready - {actor}
        if ready == state.ready:
            return Accepted(state, ())
        return Accepted(
            replace(state, ready=ready),
            (Event("ready_changed", actor, {"nation_id": actor, "ready": action.ready}),),
        )
    # Changing orders withdraws a "ready" so nobody is resolved on orders they are still editing.
    ready = state.ready - {actor}
    if isinstance(action, WithdrawUnit):
        current = state.commitment(action.unit_id)
        assert current is not None  # checked above
        kind, operation_id = "unit_withdrawn", current.operation_id
        commitments = tuple(c for c in state.commitments if c.unit_id != action.unit_id)
    else:
        kind, operation_id = "unit_committed", action.operation_id
        commitments = (*state.commitments, Commitment(action.unit_id, actor, operation_id))
    new_state = replace(state, commitments=commitments, ready=ready)
    data = {
        "nation_id": actor,
        "unit_id": action.unit_id,
        "operation_id": operation_id,
        "committed_units": len(new_state.commitments_of(actor)),
        "was_ready": actor in state.ready,
    }
    return Accepted(new_state, (Event(kind, actor, data),))


def join_seat(state: GameState, nation_id: str) -> Accepted | Rejection:
    """A human takes the seat of `nation_id` (the first join link use announces it)."""
    nation = state.nation(nation_id)
    if nation is None:
        return Rejection("unknown_nation", f"There is no nation {nation_id!r} in this game.")
    if nation.controller == "human":
        return Accepted(state, ())
    return Accepted(
        state.replace_nation(replace(nation, controller="human")),
        (Event("seat_joined", nation_id, {"nation_id": nation_id}),),
    )


def legal_actions(state: GameState, actor: str) -> list[Action]:
    """Every action `actor` may take now, in a stable order."""
    nation = state.nation(actor)
    if nation is None or state.phase is not Phase.ORDERS:
        return []
    # Setting "ready" to its current value is accepted as a harmless no-op (a double click).
    candidates: list[Action] = [SetReady(True), SetReady(False)]
    for unit in nation.units:
        candidates.append(WithdrawUnit(unit.id))
        candidates.extend(CommitUnit(unit.id, op.id) for op in state.operations)
    return [a for a in candidates if _check(state, nation, a) is None]
