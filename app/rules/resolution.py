"""Turn resolution: a pure, seeded, explained function of the state.

The formulas are deliberately simple in this first core; each factor traces to a claim
of the seed texts (capability match, interoperability, command unity, national caveats,
logistics) and is returned with its reason so a student can argue with it in the AAR.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import replace

from app.rules.actions import Event
from app.rules.state import (
    Contribution,
    Factor,
    GameState,
    Nation,
    Operation,
    Outcome,
    Phase,
    Result,
    Unit,
    state_to_dict,
)

# How much each extra interoperability standard among contributors costs (seed: "compatible
# communication systems, procedures and equipment").
INTEROPERABILITY_PENALTY = 0.15
INTEROPERABILITY_FLOOR = 0.55
# Parallel national command: every extra nation adds friction until coalition structures exist.
COMMAND_PENALTY = 0.05
COMMAND_FLOOR = 0.5
# One unit of lift strength sustains this much other strength beyond a nation's first
# LIFT_FREE strength (which it can move itself).
LIFT_RATIO = 4
LIFT_FREE = 4
SUPPORT_FOR_RESULT: dict[Result, int] = {"success": 3, "partial": 1, "failure": -3}


def phase_should_end(state: GameState, now: float) -> bool:
    """The orders phase ends at its deadline, or early when every seat a person plays or
    may still take is ready: a seat nobody has joined yet keeps the phase open (its player
    may be late), while the deadline bounds the wait."""
    if state.phase is not Phase.ORDERS:
        return False
    if state.deadline is not None and now >= state.deadline:
        return True
    seats = state.player_seats()
    return bool(seats) and all(seat in state.ready for seat in seats)


def _rng(state: GameState) -> random.Random:
    # A private generator per (game seed, turn): replays and tests reproduce every roll.
    return random.Random(f"entente:{state.seed}:{state.turn}")


def _contributions(state: GameState, operation: Operation) -> list[tuple[Nation, list[Unit]]]:
    by_nation: dict[str, list[Unit]] = defaultdict(list)
    for commitment in state.commitments:
        if commitment.operation_id == operation.id:
            nation = state.nation(commitment.nation_id)
            unit = nation.unit(commitment.unit_id) if nation else None
            if unit is not None:
                by_nation[commitment.nation_id].append(unit)
    return [(n, by_nation[n.id]) for n in state.nations if n.id in by_nation]


def _factors(operation: Operation, contributions: list[tuple[Nation, list[Unit]]]) -> list[Factor]:
    units = [u for _, us in contributions for u in us]
    supplied: dict[str, float] = defaultdict(float)
    raw_strength = sum(u.strength for u in units)
    effective_strength = 0.0
    for nation, nation_units in contributions:
        for unit in nation_units:
            strength = float(unit.strength)
            if (
                operation.power == "hard"
                and unit.capability == "land"
                and "no-offensive-ground" in nation.caveats
            ):
                strength /= 2  # the caveat keeps these troops out of offensive tasks
            supplied[unit.capability] += strength
            effective_strength += strength

    required = sum(amount for _, amount in operation.requirements)
    met = sum(min(supplied[cap], amount) for cap, amount in operation.requirements)
    shortfalls = [
        f"{cap} {supplied[cap]:g}/{amount}"
        for cap, amount in operation.requirements
        if supplied[cap] < amount
    ]
    capability = Factor(
        "capability match",
        met / required if required else 1.0,
        "all requirements met"
        if not shortfalls
        else "short of the requirement: " + ", ".join(shortfalls),
    )

    standards = sorted({n.interoperability for n, _ in contributions})
    interoperability = Factor(
        "interoperability",
        max(INTEROPERABILITY_FLOOR, 1 - INTEROPERABILITY_PENALTY * (len(standards) - 1)),
        f"{len(standards)} standard(s) among contributors: {', '.join(standards)}",
    )
    nations = len(contributions)
    command = Factor(
        "command unity",
        max(COMMAND_FLOOR, 1 - COMMAND_PENALTY * (nations - 1)),
        f"{nations} nation(s) under parallel national command",
    )
    caveats = Factor(
        "national caveats",
        effective_strength / raw_strength if raw_strength else 1.0,
        "no caveat restricts the committed forces"
        if effective_strength == raw_strength
        else f"caveats reduce usable strength from {raw_strength} to {effective_strength:g}",
    )
    lift = sum(u.strength for u in units if u.capability == "lift")
    lift_needed = sum(
        math.ceil(
            max(0, sum(u.strength for u in us if u.capability != "lift") - LIFT_FREE) / LIFT_RATIO
        )
        for _, us in contributions
    )
    logistics = Factor(
        "logistics",
        1.0 if lift_needed == 0 else 0.7 + 0.3 * min(1.0, lift / lift_needed),
        "no strategic lift needed"
        if lift_needed == 0
        else f"lift {lift} of {lift_needed} needed to deploy and sustain the force",
    )
    force_ratio = Factor(
        "force ratio",
        min(1.5, raw_strength / operation.difficulty),
        f"committed strength {raw_strength} against difficulty {operation.difficulty}",
    )
    return [capability, interoperability, command, caveats, logistics, force_ratio]


def resolve_operation(state: GameState, operation: Operation, rng: random.Random) -> Outcome:
    contributions = _contributions(state, operation)
    recorded = tuple(
        Contribution(
            n.id, tuple(u.id for u in us), sum(u.strength for u in us), sum(u.cost for u in us)
        )
        for n, us in contributions
    )
    if not contributions:
        return Outcome(
            turn=state.turn,
            operation_id=operation.id,
            result="not_attempted",
            effectiveness=0.0,
            probability_success=0.0,
            probability_partial=0.0,
            roll=None,
            factors=(),
            contributions=(),
            escalation_change=0,
            summary=f"{operation.name}: no forces were committed.",
        )
    factors = _factors(operation, contributions)
    effectiveness = math.prod(f.value for f in factors[:-1])
    score = effectiveness * factors[-1].value
    p_success = min(0.95, max(0.02, 0.9 * score - 0.1))
    p_partial = (1 - p_success) * 0.5
    roll = rng.random()
    result: Result = (
        "success" if roll < p_success else "partial" if roll < p_success + p_partial else "failure"
    )
    # Hard power raises the adversary's escalation pressure; successful soft power lowers it.
    if operation.power == "hard":
        escalation_change = 1
    else:
        escalation_change = -1 if result == "success" else 0
    summary = (
        f"{operation.name}: {result} (roll {roll:.2f} against {p_success:.0%} success, "
        f"{p_partial:.0%} partial; effectiveness {effectiveness:.2f})."
    )
    return Outcome(
        turn=state.turn,
        operation_id=operation.id,
        result=result,
        effectiveness=effectiveness,
        probability_success=p_success,
        probability_partial=p_partial,
        roll=roll,
        factors=tuple(factors),
        contributions=recorded,
        escalation_change=escalation_change,
        summary=summary,
    )


def resolve_turn(state: GameState, now: float) -> tuple[GameState, tuple[Event, ...]]:
    """Resolve the orders of the current turn and open the next one at `now`."""
    rng = _rng(state)
    outcomes = tuple(resolve_operation(state, op, rng) for op in state.operations)

    support_change: dict[str, list[tuple[str, int]]] = defaultdict(list)
    spent: dict[str, int] = defaultdict(int)
    for outcome in outcomes:
        for contribution in outcome.contributions:
            spent[contribution.nation_id] += contribution.cost
            if outcome.result in SUPPORT_FOR_RESULT:
                support_change[contribution.nation_id].append(
                    (
                        f"{outcome.result} of {outcome.operation_id}",
                        SUPPORT_FOR_RESULT[outcome.result],
                    )
                )
    nations = []
    for nation in state.nations:
        if spent[nation.id] >= 20:
            support_change[nation.id].append(("cost of operations", -(spent[nation.id] // 20)))
        delta = sum(v for _, v in support_change[nation.id])
        nations.append(
            replace(
                nation,
                budget=nation.budget - spent[nation.id],
                domestic_support=min(100, max(0, nation.domestic_support + delta)),
            )
        )

    change = sum(o.escalation_change for o in outcomes)
    escalation = replace(
        state.escalation,
        level=min(state.escalation.max, max(0, state.escalation.level + change)),
    )
    last_turn = state.turn >= state.turns
    resolved = replace(
        state,
        turn=state.turn if last_turn else state.turn + 1,
        phase=Phase.ENDED if last_turn else Phase.ORDERS,
        deadline=None if last_turn else now + state.orders_seconds,
        nations=tuple(nations),
        escalation=escalation,
        commitments=(),
        ready=frozenset(),
        outcomes=state.outcomes + outcomes,
    )
    outcome_dicts = state_to_dict(replace(resolved, outcomes=outcomes))["outcomes"]
    event = Event(
        "turn_resolved",
        None,
        {
            "turn": state.turn,
            "outcomes": outcome_dicts,
            "escalation": {"from": state.escalation.level, "to": escalation.level},
            "support": {
                nation_id: [{"reason": r, "change": v} for r, v in changes]
                for nation_id, changes in support_change.items()
            },
            "spent": dict(spent),
            "next_turn": None if last_turn else resolved.turn,
        },
    )
    return resolved, (event,)
