"""The turn: when the orders phase ends, and `resolve_turn`, which runs every step in order."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from itertools import compress
from operator import attrgetter, not_

from app.rules import injects, red_cell
from app.rules.events import EventKind, SupportMove
from app.rules.ledger import Ledger
from app.rules.outcomes import Event
from app.rules.reasons import because
from app.rules.resolution.adjudication import adjudicated, resolve_operation
from app.rules.resolution.burden import burden_and_trust, pay_costs, settle_pledges
from app.rules.resolution.cohesion import update_cohesion
from app.rules.resolution.escalation import advance_operations, escalate
from app.rules.resolution.intelligence import (
    build_cooperation,
    intelligence_pairs,
    leak_intelligence,
    sharing_pairs,
)
from app.rules.resolution.opinion import (
    change_leadership,
    leak_talks,
    move_population,
    move_support,
)
from app.rules.state import (
    GameState,
    Phase,
    TurnRecord,
    nation_replaced,
    outcomes_to_dicts,
    replace_state,
)
from app.rules.wording.changes import ChangeReason

_VISIBLE_TO = attrgetter("visible_to")


def phase_should_end(state: GameState, now: float) -> bool:
    """The orders phase ends at its deadline, or early when every seat a person plays or
    may still take is ready: a seat nobody has joined yet keeps the phase open (its player
    may be late), while the deadline bounds the wait."""
    if state.phase is not Phase.ORDERS or state.paused_remaining is not None:
        return False  # control has paused the clock: nothing ends until it resumes
    if state.deadline is not None and now >= state.deadline:
        return True
    seats = state.player_seats()
    return bool(seats) and all(seat in state.ready for seat in seats)


def _rng(state: GameState, purpose: str = "") -> random.Random:
    # A private generator per (game seed, turn): replays and tests reproduce every roll.
    # A step with its own `purpose` draws from its own, so its rolls move no other.
    return random.Random(f"entente:{state.seed}:{state.turn}" + (f":{purpose}" if purpose else ""))


def _record(
    state: GameState,
    carried: dict[str, int],
    fairness: dict[str, float],
    ledger: Ledger,
    fired: tuple[str, ...],
) -> TurnRecord:
    ids = tuple(n.id for n in state.nations)
    # Each nation's mean trust from the others: a pair not listed counts as 50 (as
    # `state.trust` has it). Summed in one pass over the relations; sums of whole numbers,
    # so the same means as a lookup per pair.
    others = len(ids) - 1
    held = state.relation_table.trust_in(ids)
    mean_trust = {
        i: round((held[i][0] + 50 * (others - held[i][1])) / others if others else 50.0, 2)
        for i in ids
    }
    return TurnRecord(
        turn=state.turn,
        escalation=state.escalation.level,
        support={n.id: n.domestic_support for n in state.nations},
        budget={n.id: n.budget for n in state.nations},
        cohesion={c.id: c.cohesion for c in state.coalitions if c.active},
        mean_trust=mean_trust,
        burden=dict(carried),
        fairness={k: round(v, 3) for k, v in fairness.items()},
        changes=tuple(ledger.changes),
        fired_events=fired,
        pairs=tuple(ledger.pairs),
    )


def resolve_turn(state: GameState, now: float) -> tuple[GameState, tuple[Event, ...]]:
    """Resolve the orders of the current turn and open the next one at `now`."""
    rng = _rng(state)
    ledger = Ledger()
    state = ledger.take_pending(state)  # what the turn's talks and control changed
    events: list[Event] = []
    operations = [op for op in state.operations if op.open_at(state.turn)]
    # Every operation draws its roll even when control overrides it, so an override never
    # changes another operation's roll.
    intelligence = intelligence_pairs(state)  # the same for every operation
    outcomes = tuple(
        adjudicated(resolve_operation(state, op, rng, intelligence), state.overrides)
        for op in operations
    )
    start = state
    state = advance_operations(state, outcomes, ledger)
    escalation_before, listed_from = state.escalation, len(ledger.changes)
    state, escalation_change, adversary = escalate(state, outcomes, ledger, rng)
    ledger.escalation_moved(escalation_before, state.escalation, listed_from)
    state, carried = pay_costs(state, outcomes, ledger)
    state = settle_pledges(state, ledger)
    # The trust these move is put in the relations with the history of cooperation (the
    # same pairs), each relation made once: in between, only intelligence sharing reads
    # trust, of its parties' pairs.
    later = sharing_pairs(state)
    state, fairness = burden_and_trust(state, outcomes, carried, ledger, later)
    state = leak_intelligence(state, _rng(state, "intelligence"), ledger)
    state = build_cooperation(state, outcomes, ledger)
    assert ledger.unsettled is None
    state = move_population(state, outcomes, ledger)
    state = leak_talks(state, rng, ledger, events)
    state = move_support(state, outcomes, carried, ledger)
    state = update_cohesion(state, outcomes, fairness, ledger, events, carried)
    state = change_leadership(state, ledger, events)
    state = ledger.take_pending(state)  # trust lost to those who left during the turn

    # The adversary may end the crisis early: the game ends, and is scored, as it stands.
    crisis_ended = any(move.kind == "back_down" for move in adversary)
    last_turn = state.turn >= state.turns or crisis_ended
    # Open proposals lapse with the turn; signed deals stay in force.
    agreements = tuple(
        replace(a, status="withdrawn") if a.status == "open" else a for a in state.agreements
    )
    for nation_id, text in sorted(state.feedback.items()):
        events.append(
            Event(
                EventKind.CONTROL_FEEDBACK,
                None,
                {"nation_id": nation_id, "text": text, "turn": start.turn},
            )
        )
    state = replace(
        state,
        agreements=agreements,
        commitments=(),
        red_cards=(),
        talked=(),
        ready=frozenset(),
        mandate_requests=(),
        outcomes=state.outcomes + outcomes,
        overrides=(),
        feedback={},
        paused_remaining=None,
    )
    state = red_cell.cleared(state)  # the red cell chooses afresh each turn
    record = replace(
        _record(state, carried, fairness, ledger, ()),
        adversary=adversary,
        feedback=dict(start.feedback),
    )
    if not last_turn:
        # The next turn's intelligence phase: the treasury's allowance, then the injects.
        state = replace_state(
            state,
            turn=state.turn + 1,
            nations=tuple(nation_replaced(n, budget=n.budget + n.income) for n in state.nations),
        )
        for nation in state.nations:
            ledger.add(
                f"budget:{nation.id}", nation.income, because(ChangeReason.INCOME), (nation.id,)
            )
        state, fired, inject_events = injects.fire(state, ledger)
        events.extend(inject_events)
        record = replace(
            record, changes=tuple(ledger.changes), fired_events=fired, pairs=tuple(ledger.pairs)
        )
    state = replace(
        state,
        phase=Phase.ENDED if last_turn else Phase.ORDERS,
        deadline=None if last_turn else now + state.orders_seconds,
        records=(*state.records, record),
    )
    outcome_dicts = outcomes_to_dicts(outcomes)
    support: dict[str, list[SupportMove]] = defaultdict(list)
    # The public changes only, picked out in C: the tens of thousands a large turn lists
    # per pair are each the pair's to see.
    public = compress(ledger.changes, map(not_, map(_VISIBLE_TO, ledger.changes)))
    for change in public:
        if change.subject.startswith("support:"):
            support[change.subject.split(":", 1)[1]].append(
                # The reason as data (its code and parameters), worded where it is shown.
                {
                    "reason": {"code": change.reason.code, "params": dict(change.reason.params)},
                    "change": change.delta,
                }
            )
    resolved = Event(
        EventKind.TURN_RESOLVED,
        None,
        {
            "turn": start.turn,
            "now": now,
            "outcomes": outcome_dicts,
            "escalation": {"from": start.escalation.level, "to": state.escalation.level},
            "escalation_change": escalation_change,
            "support": dict(support),
            "spent": dict(carried),
            "next_turn": None if last_turn else state.turn,
        },
    )
    actor = state.adversary()
    if adversary and actor is not None:
        resolved.data["adversary"] = {
            "name": actor.name,
            "moves": [move.kind for move in adversary],
            "pressure": round(sum(move.pressure for move in adversary), 3),
            "ended": crisis_ended,
        }
        said = [str(m.reason.params["text"]) for m in adversary if m.reason.params.get("text")]
        if said:
            resolved.data["adversary"]["said"] = said
    return state, (resolved, *events)
