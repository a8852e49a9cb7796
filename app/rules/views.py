"""What each viewer may see: the one place that decides fog of war.

A nation sees its own forces, budget, secret objective and orders in full; of other
nations it sees only public facts (name, public objective, support, how many units they
have committed — not where — and whether they are ready). Control sees everything.
Observers see what every nation may see.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from app.rules.actions import Event
from app.rules.state import GameState, Nation, Outcome

Role = Literal["nation", "control", "observer"]


@dataclass(frozen=True)
class Viewer:
    role: Role
    nation_id: str | None = None

    @classmethod
    def of_nation(cls, nation_id: str) -> Viewer:
        return cls("nation", nation_id)

    @classmethod
    def control(cls) -> Viewer:
        return cls("control")

    @classmethod
    def observer(cls) -> Viewer:
        return cls("observer")

    def sees_privately(self, nation_id: str | None) -> bool:
        return self.role == "control" or (self.role == "nation" and self.nation_id == nation_id)

    @property
    def key(self) -> str:
        """A stable key: viewers with equal keys see exactly the same thing."""
        return f"{self.role}:{self.nation_id or ''}"


def _private_nation(state: GameState, nation: Nation) -> dict[str, Any]:
    commitments = {c.unit_id: c.operation_id for c in state.commitments_of(nation.id)}
    cost = state.committed_cost(nation)
    return {
        "id": nation.id,
        "name": nation.name,
        "budget": nation.budget,
        "committed_cost": cost,
        "budget_left": nation.budget - cost,
        "domestic_support": nation.domestic_support,
        "interoperability": nation.interoperability,
        "caveats": list(nation.caveats),
        "public_objective": nation.public_objective,
        "secret_objective": nation.secret_objective,
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "capability": u.capability,
                "strength": u.strength,
                "cost": u.cost,
                "operation_id": commitments.get(u.id),
            }
            for u in nation.units
        ],
    }


def _public_nation(state: GameState, nation: Nation) -> dict[str, Any]:
    return {
        "id": nation.id,
        "name": nation.name,
        "controller": nation.controller,
        "domestic_support": nation.domestic_support,
        "public_objective": nation.public_objective,
        "committed_units": len(state.commitments_of(nation.id)),
        "ready": nation.id in state.ready,
    }


def _outcome(state: GameState, outcome: Outcome, viewer: Viewer) -> dict[str, Any]:
    """After adjudication, who contributed how much strength is public (burden sharing is
    argued over in the open); which units a nation sent, and its cost, stay its own."""
    data: dict[str, Any] = asdict(outcome)
    operation = state.operation(outcome.operation_id)
    data["operation_name"] = operation.name if operation else outcome.operation_id
    for contribution in data["contributions"]:
        nation = state.nation(contribution["nation_id"])
        contribution["nation_name"] = nation.name if nation else contribution["nation_id"]
        if not viewer.sees_privately(contribution["nation_id"]):
            del contribution["unit_ids"], contribution["cost"]
    return data


def view(state: GameState, viewer: Viewer) -> dict[str, Any]:
    """The whole game as `viewer` may see it, as plain JSON-ready data."""
    mine = state.nation(viewer.nation_id) if viewer.role == "nation" and viewer.nation_id else None
    my_units = {c.unit_id for c in state.commitments_of(mine.id)} if mine else set()
    operations = []
    for op in state.operations:
        entry: dict[str, Any] = {
            "id": op.id,
            "name": op.name,
            "region": op.region,
            "power": op.power,
            "difficulty": op.difficulty,
            "requirements": dict(op.requirements),
            "description": op.description,
        }
        if mine is not None:
            entry["my_units"] = [
                c.unit_id
                for c in state.commitments
                if c.operation_id == op.id and c.unit_id in my_units
            ]
        if viewer.role == "control":
            entry["commitments"] = [
                {"nation_id": c.nation_id, "unit_id": c.unit_id}
                for c in state.commitments
                if c.operation_id == op.id
            ]
        operations.append(entry)
    last_turn = max((o.turn for o in state.outcomes), default=None)
    result: dict[str, Any] = {
        "viewer": {"role": viewer.role, "nation_id": viewer.nation_id},
        "turn": state.turn,
        "turns": state.turns,
        "phase": state.phase.value,
        "deadline": state.deadline,
        "escalation": {
            "level": state.escalation.level,
            "max": state.escalation.max,
            "threshold": state.escalation.threshold,
        },
        "regions": [{"id": r.id, "name": r.name, "x": r.x, "y": r.y} for r in state.regions],
        "operations": operations,
        "nations": [_public_nation(state, n) for n in state.nations],
        "me": _private_nation(state, mine) if mine else None,
        "last_results": (
            {
                "turn": last_turn,
                "outcomes": [_outcome(state, o, viewer) for o in state.outcomes_of_turn(last_turn)],
            }
            if last_turn is not None
            else None
        ),
    }
    if viewer.role == "control":
        result["private"] = {n.id: _private_nation(state, n) for n in state.nations}
    return result


def _name(state: GameState, nation_id: str | None) -> str:
    nation = state.nation(nation_id) if nation_id else None
    return nation.name if nation else str(nation_id)


def view_event(state: GameState, event: Event, viewer: Viewer) -> dict[str, Any] | None:
    """The part of `event` that `viewer` may see, with a line of text, or None."""
    data = event.data
    who = _name(state, event.actor)
    if event.kind in {"unit_committed", "unit_withdrawn"}:
        if viewer.sees_privately(event.actor):
            nation = state.nation(event.actor or "")
            unit = nation.unit(data["unit_id"]) if nation else None
            op = state.operation(data["operation_id"])
            verb = "committed" if event.kind == "unit_committed" else "withdrew"
            prep = "to" if event.kind == "unit_committed" else "from"
            text = (
                f"{who} {verb} {unit.name if unit else data['unit_id']} {prep} "
                f"{op.name if op else data['operation_id']}."
            )
            return {"kind": event.kind, "nation_id": event.actor, "text": text, **data}
        return {
            "kind": "orders_changed",
            "nation_id": event.actor,
            "committed_units": data["committed_units"],
            "text": f"{who} changed its orders ({_units(data['committed_units'])} committed).",
        }
    if event.kind == "ready_changed":
        state_word = "is ready" if data["ready"] else "is no longer ready"
        return {
            "kind": event.kind,
            "nation_id": event.actor,
            "ready": data["ready"],
            "text": f"{who} {state_word}.",
        }
    if event.kind == "seat_joined":
        return {
            "kind": event.kind,
            "nation_id": event.actor,
            "text": f"A player has taken the seat of {who}.",
        }
    if event.kind == "turn_resolved":
        support = data["support"]
        visible_support = (
            support
            if viewer.role == "control"
            else {k: v for k, v in support.items() if k == viewer.nation_id}
        )
        results = ", ".join(
            f"{_op_name(state, o['operation_id'])}: {o['result'].replace('_', ' ')}"
            for o in data["outcomes"]
        )
        return {
            "kind": event.kind,
            "turn": data["turn"],
            "escalation": data["escalation"],
            "support": visible_support,
            "text": f"Turn {data['turn']} resolved. {results}. Escalation "
            f"{data['escalation']['from']} → {data['escalation']['to']}.",
        }
    if event.kind == "game_created":
        return {"kind": event.kind, "text": "The exercise has been set up."}
    return None


def _units(count: int) -> str:
    return f"{count} unit" if count == 1 else f"{count} units"


def _op_name(state: GameState, operation_id: str) -> str:
    op = state.operation(operation_id)
    return op.name if op else operation_id
