"""The adversary's moves: how it answers what the coalition did this turn, read from the
scenario's reaction table (`Reaction` on the adversary actor; docs/rules/adversary.md).

Each move is data (`AdversaryMove`: a kind, its pressure on the ladder, its reason with the
factors as parameters). When a red cell plays the adversary (app/rules/red_cell.py), its
chosen move replaces the table's probe and backing down; `escalate` applies whichever
moves it is given.
"""

from __future__ import annotations

import random

from app.rules import red_cell
from app.rules.reasons import because
from app.rules.resolution.tuning import (
    DEFENSIVE_FACTOR,
    FORCE_RATIO_CAP,
    HARD_POWER_PRESSURE,
    MIXED_POSTURE_LEVERAGE,
    SOFT_POWER_RELIEF,
)
from app.rules.state import AdversaryMove, GameState, Operation, Outcome, Reaction, Result
from app.rules.wording.changes import ChangeReason


def reaction_of(state: GameState) -> Reaction | None:
    adversary = state.adversary()
    return adversary.reaction if adversary else None


def operation_pressure(
    state: GameState, operation: Operation, result: Result, strength: int
) -> float:
    """The escalation pressure of one attempted operation: relief that works lowers it;
    hard power raises it by the strength committed, the posture and the result, as the
    adversary's reaction table says (a flat rate when the scenario gives no table)."""
    reaction = reaction_of(state)
    if operation.power != "hard":
        return SOFT_POWER_RELIEF.get(result, 0.0) * (reaction.relief if reaction else 1.0)
    defensive = operation.posture == "defensive"
    if reaction is None:
        return HARD_POWER_PRESSURE * (DEFENSIVE_FACTOR if defensive else 1.0)
    rate = reaction.defensive if defensive else reaction.offensive
    return round(rate * force_size(operation, strength) * reaction.result.get(result, 1.0), 3)


def force_size(operation: Operation, strength: int) -> float:
    """How big the force looks to the adversary: the strength committed against the
    operation's difficulty, capped as the force ratio is (a token force is small, a
    massive one no bigger than twice what the task needs)."""
    return round(min(FORCE_RATIO_CAP, strength / max(1, operation.difficulty)), 3)


def _attempted(state: GameState, outcomes: tuple[Outcome, ...]) -> list[tuple[Outcome, Operation]]:
    return [
        (o, op)
        for o in outcomes
        if o.result != "not_attempted" and (op := state.operation(o.operation_id)) is not None
    ]


def _weakness(
    state: GameState, outcomes: tuple[Outcome, ...], reaction: Reaction
) -> tuple[bool, bool]:
    """Whether the coalition looks weak (soft power only this turn) and divided (no active
    coalition at `divided_below` cohesion or more)."""
    attempted = _attempted(state, outcomes)
    soft_only = bool(attempted) and all(op.power != "hard" for _, op in attempted)
    divided = not any(c.active and c.cohesion >= reaction.divided_below for c in state.coalitions)
    return soft_only, divided


def adversary_moves(
    state: GameState,
    outcomes: tuple[Outcome, ...],
    deterred: bool,
    pressure: float,
    rng: random.Random,
) -> tuple[AdversaryMove, ...]:
    """What the adversary does this turn, by its reaction table (none without one).

    It answers each hard-power operation (size x posture x result), every red line
    crossed, probes a coalition that looks weak or divided when nothing deters it, drifts
    up when nobody acts, and may miscalculate (one roll on the turn's generator, always
    drawn so the other rolls do not depend on it). `pressure` is what the turn has
    already put on the ladder (relief, civilian harm, deterrence)."""
    reaction = reaction_of(state)
    if reaction is None:
        return ()
    moves: list[AdversaryMove] = []
    attempted = _attempted(state, outcomes)
    hard = [(o, op) for o, op in attempted if op.power == "hard"]
    for outcome, operation in hard:
        strength = sum(c.strength for c in outcome.contributions)
        moves.append(
            AdversaryMove(
                "answer",
                outcome.escalation_change,
                because(
                    ChangeReason.ADVERSARY_ANSWERS,
                    op=operation.id,
                    strength=strength,
                    difficulty=operation.difficulty,
                    size=force_size(operation, strength),
                    posture=operation.posture,
                    result=outcome.result,
                    rate=reaction.defensive
                    if operation.posture == "defensive"
                    else reaction.offensive,
                    scale=reaction.result.get(outcome.result, 1.0),
                ),
            )
        )
    soft_only, divided = _weakness(state, outcomes, reaction)
    # Each sign of weakness invites a probe: words without force, a divided coalition,
    # nobody deterring as one.
    signs = soft_only + divided + (not deterred)
    if red_cell.seated(state) and red_cell.chosen(state):
        # The red cell chooses the initiative (its probe among its moves) instead of the table.
        chosen = red_cell.initiative(
            state,
            {"soft_only": soft_only, "divided": divided, "undeterred": not deterred},
            reaction.probe,
            reaction.divided_below,
        )
        if chosen is not None:
            moves.append(chosen)
    elif reaction.probe and signs:
        moves.append(
            AdversaryMove(
                "probe",
                reaction.probe * signs,
                because(
                    ChangeReason.ADVERSARY_PROBES,
                    soft_only=soft_only,
                    divided=divided,
                    undeterred=not deterred,
                    below=reaction.divided_below,
                ),
            )
        )
    if reaction.drift and not attempted:
        moves.append(AdversaryMove("drift", reaction.drift, because(ChangeReason.NOBODY_ACTS)))
    if reaction.momentum:
        moves.append(
            AdversaryMove("drift", reaction.momentum, because(ChangeReason.CRISIS_MOMENTUM))
        )
    roll = rng.random()
    if roll < reaction.miscalculation_chance:
        moves.append(
            AdversaryMove(
                "miscalculation",
                reaction.miscalculation,
                because(
                    ChangeReason.MISCALCULATION,
                    roll=round(roll, 3),
                    chance=reaction.miscalculation_chance,
                ),
            )
        )
    # Red lines last: a line with a rung (`level`) is answered by climbing at least to it,
    # whatever else moved the ladder this turn.
    reached = (
        state.escalation.level
        + state.escalation.pressure
        + pressure
        + sum(m.pressure for m in moves)
    )
    for line in reaction.red_lines:
        crossed = [op.id for _, op in hard if op.id in line.operations]
        # A red line is answered the first time it is crossed.
        if not crossed or line.id in state.escalation.crossed:
            continue
        answer = line.pressure
        if line.level is not None:
            answer = max(answer, round(line.level - reached, 3))
        reached += answer
        moves.append(
            AdversaryMove(
                "red_line",
                answer,
                because(
                    ChangeReason.RED_LINE_CROSSED,
                    id=line.id,
                    line=line.name,
                    op=crossed[0],
                    level=line.level,
                ),
            )
        )
    return tuple(moves)


def _mixed_posture(state: GameState, outcomes: tuple[Outcome, ...]) -> bool:
    """Whether the coalition ran both tracks this turn: hard power under a mandate (force
    with legitimacy) and soft power that worked (relief, at least in part)."""
    attempted = _attempted(state, outcomes)
    mandated_force = any(
        op.power == "hard"
        and o.coalition_id is not None
        and (c := state.coalition(o.coalition_id)) is not None
        and c.mandate != "none"
        for o, op in attempted
    )
    relief = any(op.power == "soft" and o.result in ("success", "partial") for o, op in attempted)
    return mandated_force and relief


def backs_down(
    state: GameState, outcomes: tuple[Outcome, ...], deterred: bool, level: int
) -> AdversaryMove | None:
    """The adversary ends the crisis when the ladder has come down to its `backs_down_at`
    rung and deterrence or coercion worked this turn (the coalition deterred as one, or
    one of its hard-power operations succeeded), with force in the field this turn and no
    sign of division: it does not back down before words alone, or before nobody. A mixed
    posture (mandated force beside relief that worked) lets it back down
    MIXED_POSTURE_LEVERAGE rungs higher: force it cannot dismiss, and a way out it can take."""
    reaction = reaction_of(state)
    if reaction is None or reaction.backs_down_at is None:
        return None
    mixed = _mixed_posture(state, outcomes)
    at = reaction.backs_down_at + (MIXED_POSTURE_LEVERAGE if mixed else 0)
    if level > at:
        return None
    hard = [o for o, op in _attempted(state, outcomes) if op.power == "hard"]
    if not hard or any(_weakness(state, outcomes, reaction)):
        return None  # words, or nothing at all, do not make it back down
    coerced = [
        o.operation_id
        for o, op in _attempted(state, outcomes)
        if op.power == "hard" and o.result == "success"
    ]
    if not deterred and not coerced:
        return None
    return AdversaryMove(
        "back_down",
        0.0,
        because(
            ChangeReason.ADVERSARY_BACKS_DOWN,
            level=level,
            at=at,
            deterred=deterred,
            ops=coerced,
            mixed=mixed,
        ),
    )
