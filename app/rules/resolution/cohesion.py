"""Coalition cohesion, each member's grievance, and the defection or collapse they bring."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from itertools import compress
from operator import attrgetter

from app.rules import diplomacy
from app.rules.events import EventKind
from app.rules.ledger import Ledger
from app.rules.outcomes import Event
from app.rules.reasons import because
from app.rules.resolution.common import mean
from app.rules.resolution.tuning import (
    COHESION_INERTIA,
    COHESION_WEIGHTS,
    COLLAPSE_SUPPORT,
    COMMAND_SCORE,
    DEFECTION_SUPPORT,
    GRIEVANCE_ALLIANCE,
    GRIEVANCE_BURDEN,
    GRIEVANCE_BURDEN_FLOOR,
    GRIEVANCE_BURDEN_SLACK,
    GRIEVANCE_COHESION,
    GRIEVANCE_COMMAND,
    GRIEVANCE_DISTRUST,
    GRIEVANCE_DIVERGENCE,
    GRIEVANCE_FREE_RIDING,
    GRIEVANCE_LIMIT,
    GRIEVANCE_MEMORY,
    GRIEVANCE_PATIENCE,
    GRIEVANCE_PLEDGE,
    GRIEVANCE_UNILATERAL,
    WITHDRAWAL_CAVEAT,
)
from app.rules.state import Change, Coalition, GameState, Outcome
from app.rules.wording.changes import ChangeReason


def _burden_so_far(state: GameState, carried: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for record in state.records:
        for nation_id, amount in record.burden.items():
            total[nation_id] += max(0, amount)
    for nation_id, amount in carried.items():
        total[nation_id] += max(0, amount)
    return total


_RECALLED = (ChangeReason.UNILATERAL_HARD_POWER, ChangeReason.FREE_RIDING)
_IS_RECALLED = frozenset(_RECALLED).__contains__
_CODE = attrgetter("reason.code")


def _recalled(changes: Sequence[Change]) -> Iterator[Change]:
    """The changes of `changes` a grievance recalls (by their reason), in order: picked
    out in C, as a large game's turn lists tens of thousands of changes."""
    return compress(changes, map(_IS_RECALLED, map(_CODE, changes)))


def _recalled_before(state: GameState) -> list[Change]:
    """The changes a grievance recalls from the records of the last GRIEVANCE_MEMORY
    turns, in order."""
    return [
        change
        for record in state.records
        if record.turn > state.turn - GRIEVANCE_MEMORY
        for change in _recalled(record.changes)
    ]


def _recent_partners(
    state: GameState,
    coalition: Coalition,
    this_turn: Iterable[Change],
    before: Sequence[Change] | None = None,
) -> dict[str, dict[str, set[str]]]:
    """Per code (unilateral hard power, free riding): the partners each member lost trust
    in for it within the coalition in the last GRIEVANCE_MEMORY turns, this one included
    (`before`: `_recalled_before(state)`, or those of them about `coalition`, if already
    read)."""
    changes = _recalled_before(state) if before is None else before
    seen: dict[str, dict[str, set[str]]] = {code: defaultdict(set) for code in _RECALLED}
    for change in (*changes, *this_turn):
        code = change.reason.code
        if code in seen and change.reason.params.get("coalition") == coalition.id:
            truster, trusted = change.subject.removeprefix("trust:").split(">", 1)
            if trusted in coalition.members:
                seen[code][truster].add(trusted)
    return seen


def _shortfall_to(state: GameState, coalition: Coalition) -> dict[str, float]:
    """The share of the strength its partners pledged to each member, due in the last
    GRIEVANCE_MEMORY turns, that they did not deliver."""
    pledged: dict[str, int] = defaultdict(int)
    delivered: dict[str, int] = defaultdict(int)
    for pledge in state.pledges:
        if pledge.status == "due" or pledge.turn <= state.turn - GRIEVANCE_MEMORY:
            continue
        if pledge.nation not in coalition.members:
            continue
        agreement = state.agreement(pledge.agreement_id)
        for party in agreement.parties if agreement else ():
            if party != pledge.nation and party in coalition.members:
                pledged[party] += pledge.strength
                delivered[party] += min(pledge.delivered, pledge.strength)
    return {m: 1 - delivered[m] / pledged[m] for m in pledged if pledged[m]}


def grievances(
    state: GameState,
    coalition: Coalition,
    carried: dict[str, int],
    this_turn: Iterable[Change] = (),
    before: Sequence[Change] | None = None,
) -> dict[str, dict[str, float]]:
    """Each member's grievance against its coalition, factor by factor (points; their sum
    is the grievance): its own reasons to walk out, however the others feel. `before`:
    `_recalled_before(state)`, or those of them about `coalition`, if already read (a
    large game's records list tens of thousands of changes a turn: read once a turn, not
    once per coalition)."""
    members = coalition.members
    burden = _burden_so_far(state, carried)
    nations = {m: state.nation(m) for m in members}
    capacity = sum(n.capacity for n in nations.values() if n is not None)
    total = sum(burden.get(m, 0) for m in members)
    recalled = _recent_partners(state, coalition, this_turn, before)
    unilateral = recalled[ChangeReason.UNILATERAL_HARD_POWER]
    riders = recalled[ChangeReason.FREE_RIDING]
    shortfall = _shortfall_to(state, coalition)
    result: dict[str, dict[str, float]] = {}

    def weight(some: Iterable[str], partners: list[str]) -> float:
        # Partners count by their capacity: a great power free riding is felt more.
        of = {p: n.capacity for p in partners if (n := nations[p]) is not None}
        return sum(of.get(p, 0) for p in some) / (sum(of.values()) or 1)

    for member in members:
        nation = nations[member]
        partners = [o for o in members if o != member]
        if nation is None or not partners:
            continue
        share = burden.get(member, 0) / total if total else 0.0
        fair = nation.capacity / capacity if capacity else 0.0
        excess = share - fair - GRIEVANCE_BURDEN_SLACK
        trust = mean([state.trust(member, o) for o in partners])
        alignment = mean([state.alignment(member, o) for o in partners])
        factors = {
            "burden": GRIEVANCE_BURDEN * excess
            if total >= GRIEVANCE_BURDEN_FLOOR and excess > 0
            else 0.0,
            "pledges": GRIEVANCE_PLEDGE * shortfall.get(member, 0.0),
            "unilateral": GRIEVANCE_UNILATERAL * weight(unilateral.get(member, ()), partners),
            "free_riding": GRIEVANCE_FREE_RIDING * weight(riders.get(member, ()), partners),
            "distrust": GRIEVANCE_DISTRUST * max(0.0, 50 - trust),
            "divergence": GRIEVANCE_DIVERGENCE * max(0.0, 50 - alignment),
            "command": float(GRIEVANCE_COMMAND[coalition.command]),
            "cohesion": GRIEVANCE_COHESION * max(0, 50 - coalition.cohesion),
            "alliance": float(GRIEVANCE_ALLIANCE) if nation.profile == "alliance" else 0.0,
        }
        factors = {name: round(value, 1) for name, value in factors.items() if value}
        result[member] = factors
    return result


def _explained(member: str, factors: dict[str, float]) -> dict[str, object]:
    return {
        "defector": member,
        "grievance": round(sum(factors.values()), 1),
        "limit": GRIEVANCE_LIMIT,
        "factors": dict(factors),
    }


def _withdraw(state: GameState, defector: str, ledger: Ledger) -> GameState:
    """A defector brings its combat forces home: its government takes the national caveat
    'no-combat' (it may still help with relief)."""
    nation = state.nation(defector)
    if nation is None or WITHDRAWAL_CAVEAT in nation.caveats:
        return state
    ledger.add(f"caveat:{defector}", 1, because(ChangeReason.NEW_CAVEAT, caveat=WITHDRAWAL_CAVEAT))
    return state.replace_nation(replace(nation, caveats=(*nation.caveats, WITHDRAWAL_CAVEAT)))


def update_cohesion(
    state: GameState,
    outcomes: tuple[Outcome, ...],
    fairness: dict[str, float],
    ledger: Ledger,
    events: list[Event],
    carried: dict[str, int] | None = None,
) -> GameState:
    """Cohesion follows trust, aligned interests, fair burden sharing and command unity;
    below a threshold the coalition collapses. Each member also weighs its own grievance:
    the most aggrieved member past the limit defects (its lead walking out collapses it)."""
    carried = carried or {}
    # This turn's changes a grievance recalls, gathered as the ledger grows: a large turn
    # lists tens of thousands of changes, too many to read again for each coalition.
    recalled: list[Change] = []
    scanned = 0
    # The records do not change during the step: read once, by coalition.
    before: dict[object, list[Change]] = defaultdict(list)
    for change in _recalled_before(state):
        before[change.reason.params.get("coalition")].append(change)
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
        judged = state.turn >= coalition.formed_turn + GRIEVANCE_PATIENCE
        recalled.extend(_recalled(ledger.changes[scanned:]))
        scanned = len(ledger.changes)
        felt = grievances(state, coalition, carried, recalled, before.get(coalition.id, []))
        aggrieved = {
            member: factors
            for member, factors in felt.items()
            if judged and sum(factors.values()) >= GRIEVANCE_LIMIT
        }
        lead_leaves = coalition.lead in aggrieved
        if cohesion < state.collapse_threshold or lead_leaves:
            why = _explained(coalition.lead, aggrieved[coalition.lead]) if lead_leaves else {}
            collapses = because(
                ChangeReason.COALITION_COLLAPSES,
                coalition=coalition.id,
                cohesion=cohesion,
                threshold=state.collapse_threshold,
                **{("lead" if k == "defector" else k): v for k, v in why.items()},
            )
            for member in list(coalition.members):
                left = diplomacy.leave_coalition(state, member, coalition.id, "collapse")
                state = left.state
                events.extend(e for e in left.events if e.kind == EventKind.COALITION_DISSOLVED)
                current = state.coalition(coalition.id)
                if current is None or not current.active:
                    break
            ledger.add(f"cohesion:{coalition.id}", 0.0001, collapses)
            # Every government of a coalition that broke up is blamed for it at home.
            for member in coalition.members:
                ledger.support_change(member, COLLAPSE_SUPPORT, collapses)
        elif aggrieved:
            defector = max(aggrieved, key=lambda m: (sum(aggrieved[m].values()), m))
            left = diplomacy.leave_coalition(state, defector, coalition.id, "defection")
            state = left.state
            events.extend(left.events)
            current = state.coalition(coalition.id)
            assert current is not None
            state = state.replace_coalition(
                replace(current, defectors=(*current.defectors, defector))
            )
            defects = because(
                ChangeReason.DEFECTION,
                coalition=coalition.id,
                **_explained(defector, aggrieved[defector]),
            )
            ledger.add(f"cohesion:{coalition.id}", 0.0001, defects)
            state = _withdraw(state, defector, ledger)
            # The partners it left behind look weaker at home.
            for member in current.members:
                ledger.support_change(member, DEFECTION_SUPPORT, defects)
    return ledger.settled_support(state)
