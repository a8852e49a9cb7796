"""Consequences on the ground and the ladder: operations' progress, then escalation."""

from __future__ import annotations

import math
import random
from dataclasses import replace

from app.rules import red_cell
from app.rules.ledger import Ledger
from app.rules.reasons import because
from app.rules.resolution.adversary import adversary_moves, backs_down, reaction_of
from app.rules.resolution.tuning import CIVILIAN_HARM_PRESSURE, DEFENSIVE_FACTOR, UNITED_DETERRENCE
from app.rules.state import AdversaryMove, GameState, Outcome
from app.rules.wording.changes import ChangeReason


def advance_operations(
    state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger
) -> GameState:
    """Operations advance by their results; a long operation needs several successes."""
    for outcome in outcomes:
        operation = state.operation(outcome.operation_id)
        assert operation is not None
        gain = {"success": 1.0, "partial": 0.5}.get(outcome.result, 0.0)
        progress = operation.progress + gain
        status = operation.status
        if progress >= operation.duration:
            status = "completed"
            ledger.add(
                f"operation:{operation.id}",
                1,
                because(ChangeReason.OPERATION_ACCOMPLISHED, op=operation.id),
            )
        elif operation.deadline_turn and state.turn >= operation.deadline_turn:
            status = "failed"
            ledger.add(
                f"operation:{operation.id}",
                -1,
                because(ChangeReason.OPERATION_OUT_OF_TIME, op=operation.id),
            )
        state = state.replace_operation(replace(operation, progress=progress, status=status))
    return state


def _united_deterrence(state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger) -> float:
    """The relief of credible united deterrence (0 when nobody deters): a cohesive
    coalition whose members stand together, in the field (several members in its
    hard-power operations) or in one voice (a joint statement of three or more)."""
    statements = state.signed("joint_statement")
    for coalition in state.coalitions:
        if not coalition.active or coalition.cohesion < 60:
            continue
        in_field = {
            c.nation_id
            for o in outcomes
            if o.coalition_id == coalition.id
            and (op := state.operation(o.operation_id)) is not None
            and op.power == "hard"
            for c in o.contributions
        }
        one_voice = len(coalition.members) >= 3 and any(
            set(coalition.members) <= set(s.parties) for s in statements
        )
        if len(in_field) >= 2 or one_voice:
            hard = [
                op
                for o in outcomes
                if o.coalition_id == coalition.id
                and (op := state.operation(o.operation_id)) is not None
                and op.power == "hard"
            ]
            defensive = bool(hard) and all(op.posture == "defensive" for op in hard)
            reaction = reaction_of(state)
            base = -reaction.deterrence if reaction is not None else UNITED_DETERRENCE
            relief = base / DEFENSIVE_FACTOR if defensive else base
            ledger.add(
                "escalation pressure",
                relief,
                because(
                    ChangeReason.DETERRENCE,
                    coalition=coalition.id,
                    in_field=len(in_field) >= 2,
                    defensive=defensive,
                ),
            )
            return relief
    return 0.0


def escalate(
    state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger, rng: random.Random
) -> tuple[GameState, int, tuple[AdversaryMove, ...]]:
    """The ladder after the turn: relief that worked, civilian harm, united deterrence and
    the adversary's moves (its answers, probes, drift, miscalculation; with no reaction
    table, a flat pressure per hard-power operation). Returns the new state, the levels
    moved and the adversary's moves, the last of which is `back_down` if it ends the
    crisis."""
    reacts = reaction_of(state) is not None
    pressure = 0.0
    for outcome in outcomes:
        operation = state.operation(outcome.operation_id)
        answered = reacts and operation is not None and operation.power == "hard"
        if outcome.escalation_change and not answered:
            pressure += outcome.escalation_change
            pressed = outcome.escalation_change > 0
            ledger.add(
                "escalation pressure",
                outcome.escalation_change,
                because(
                    ChangeReason.HARD_POWER_PRESSURE if pressed else ChangeReason.RELIEF_WORKED,
                    op=outcome.operation_id,
                ),
            )
        if outcome.civilian_harm:
            pressure += CIVILIAN_HARM_PRESSURE
            ledger.add(
                "escalation pressure",
                CIVILIAN_HARM_PRESSURE,
                because(ChangeReason.CIVILIAN_HARM, op=outcome.operation_id),
            )
    relief = _united_deterrence(state, outcomes, ledger)
    pressure += relief
    moves = adversary_moves(state, outcomes, relief < 0, pressure, rng)
    for move in moves:
        pressure += move.pressure
        ledger.add("escalation pressure", move.pressure, move.reason)
    old = state.escalation
    carried = old.pressure + pressure
    steps = math.trunc(carried)  # whole points move the level; the rest carries over
    level = min(old.max, max(0, old.level + steps))
    carried -= steps
    if (level == old.max and carried > 0) or (level == 0 and carried < 0):
        carried = 0.0  # nothing builds up beyond the ends of the ladder
    if old.level < old.threshold <= level:
        ledger.add(
            "escalation",
            0.0001,
            because(ChangeReason.THRESHOLD_CROSSED, rung=old.rung(level), level=level),
        )
    # The red cell may accept terms; deterrence or coercion that works at the adversary's
    # rung ends the crisis whoever plays it (the rules keep what force does).
    settled = red_cell.settles(state) or backs_down(state, outcomes, relief < 0, level)
    if settled is not None:
        moves = (*moves, settled)
        ledger.add("crisis", 1, settled.reason)
    crossed = tuple(
        line for move in moves if move.kind == "red_line" for line in [move.reason.params["id"]]
    )
    escalation = replace(
        old,
        level=level,
        peak=max(old.peak, level),
        pressure=round(carried, 3),
        crossed=(*old.crossed, *crossed),
    )
    return replace(state, escalation=escalation), level - old.level, moves
