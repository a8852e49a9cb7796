"""Coalition cohesion, and the defection or collapse below its thresholds."""

from __future__ import annotations

from dataclasses import replace

from app.rules import diplomacy
from app.rules.events import EventKind
from app.rules.ledger import Ledger
from app.rules.outcomes import Event
from app.rules.reasons import because
from app.rules.resolution.common import mean
from app.rules.resolution.tuning import COHESION_INERTIA, COHESION_WEIGHTS, COMMAND_SCORE
from app.rules.state import GameState, Outcome
from app.rules.wording.changes import ChangeReason


def update_cohesion(
    state: GameState,
    outcomes: tuple[Outcome, ...],
    fairness: dict[str, float],
    ledger: Ledger,
    events: list[Event],
) -> GameState:
    """Cohesion follows trust, aligned interests, fair burden sharing and command unity;
    below a threshold members defect, and further below the coalition collapses."""
    for coalition in state.coalitions:
        if not coalition.active:
            continue
        members = coalition.members
        trust = mean([state.trust(a, b) for a in members for b in members if a != b])
        alignment = mean([state.alignment(a, b) for a in members for b in members if a != b])
        fair = fairness.get(coalition.id, 1.0) * 100
        command = COMMAND_SCORE[coalition.command]
        target = (
            COHESION_WEIGHTS["trust"] * trust
            + COHESION_WEIGHTS["alignment"] * alignment
            + COHESION_WEIGHTS["fairness"] * fair
            + COHESION_WEIGHTS["command"] * command
        )
        delta = COHESION_INERTIA * (target - coalition.cohesion)
        results = [o.result for o in outcomes if o.coalition_id == coalition.id]
        swing = 3 * results.count("success") - 4 * results.count("failure")
        unmandated = coalition.mandate == "none" and any(
            state.operation(o.operation_id) is not None
            and state.operation(o.operation_id).power == "hard"  # type: ignore[union-attr]
            for o in outcomes
            if o.coalition_id == coalition.id
        )
        if unmandated:
            swing -= 2
        cohesion = round(max(0, min(100, coalition.cohesion + delta + swing)))
        reason = because(
            ChangeReason.COHESION_DRIFT,
            target=target,
            trust=trust,
            alignment=alignment,
            fairness=fair,
            command_structure=coalition.command,
            command=command,
            unmandated=unmandated,
            swing=swing,
        )
        ledger.add(f"cohesion:{coalition.id}", cohesion - coalition.cohesion, reason)
        state = state.replace_coalition(replace(coalition, cohesion=cohesion))
        coalition = replace(coalition, cohesion=cohesion)
        if cohesion < state.collapse_threshold:
            for member in list(coalition.members):
                left = diplomacy.leave_coalition(state, member, coalition.id, "collapse")
                state = left.state
                events.extend(e for e in left.events if e.kind == EventKind.COALITION_DISSOLVED)
                current = state.coalition(coalition.id)
                if current is None or not current.active:
                    break
            ledger.add(
                f"cohesion:{coalition.id}",
                0.0001,
                because(ChangeReason.COALITION_COLLAPSES, coalition=coalition.id),
            )
        elif cohesion < state.defection_threshold and len(members) > 2:
            # The member that trusts the others least, unless its leaders are committed
            # allies, walks out.
            loyalty = {m: mean([state.trust(m, o) for o in members if o != m]) for m in members}

            candidates = [
                m for m in members if (n := state.nation(m)) is not None and n.profile != "alliance"
            ]
            if candidates:
                defector = min(candidates, key=lambda m: (loyalty[m], m))
                left = diplomacy.leave_coalition(state, defector, coalition.id, "defection")
                state = left.state
                events.extend(left.events)
                ledger.add(
                    f"cohesion:{coalition.id}",
                    0.0001,
                    because(ChangeReason.DEFECTION, defector=defector, loyalty=loyalty[defector]),
                )
    return state
