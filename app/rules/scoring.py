"""Scoring: collective crisis objectives and each nation's own (often secret) objectives.

An objective is judged on the state as it stands, so a nation can watch its progress
during the game; the final score is the one at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.rules.reasons import Reason, because
from app.rules.state import GameState, Objective
from app.rules.wording.changes import Judgement as J


@dataclass(frozen=True)
class Judged:
    objective: Objective
    met: bool
    detail: Reason  # how the objective stands, as a `Judgement`


def _burden_share(state: GameState, nation_id: str) -> float | None:
    """The nation's share of the cost carried by the members of its coalitions so far."""
    partners = {m for c in state.coalitions if nation_id in c.members for m in c.members}
    if not partners:
        return None
    carried = {m: 0 for m in partners}
    for record in state.records:
        for member in partners:
            carried[member] += max(0, record.burden.get(member, 0))
    total = sum(carried.values())
    return carried[nation_id] / total if total else 0.0


def carried_costs(state: GameState) -> dict[str, int]:
    """What each nation has carried of the crisis's costs so far: its forces' costs and
    what it paid under cost sharing (the turn records), plus the aid it gave net of the aid
    it received (so two nations passing a gift back and forth carry nothing)."""
    carried = {n.id: 0 for n in state.nations}
    for record in state.records:
        for nation_id, amount in record.burden.items():
            if nation_id in carried:
                carried[nation_id] += amount
    for aid in state.signed("aid"):
        amount = int(aid.terms["amount"])
        for nation_id, sign in ((str(aid.terms["from"]), 1), (str(aid.terms["to"]), -1)):
            if nation_id in carried:
                carried[nation_id] += sign * amount
    return {k: max(0, v) for k, v in carried.items()}


def fair_share(
    state: GameState, nation_id: str, carried: dict[str, int] | None = None
) -> tuple[float, float]:
    """The nation's share of every nation's carried costs (`carried`: `carried_costs`,
    if the caller has them), and its fair share: its capacity's share of all the
    nations' capacity, in or out of a coalition."""
    if carried is None:
        carried = carried_costs(state)
    total = sum(carried.values())
    capacity = sum(n.capacity for n in state.nations)
    nation = state.nation(nation_id)
    share = carried.get(nation_id, 0) / total if total else 0.0
    fair = nation.capacity / capacity if nation is not None and capacity else 0.0
    return share, fair


def judge(
    state: GameState,
    objective: Objective,
    nation_id: str | None = None,
    *,
    with_orders: bool = False,
) -> Judged:
    """Whether `objective` holds now; `nation_id` is the nation it belongs to, if any.

    `with_orders`: as the nation's orders of this turn stand (its page's checklist), so a
    budget counts what its committed forces will cost and hard power ordered counts as
    used; without it, as the resolved turns left it (the score)."""
    kind, target, value = objective.kind, objective.target, objective.value
    nation = state.nation(nation_id) if nation_id else None
    if kind == "operation_succeeds":
        operation = state.operation(target)
        met = operation is not None and operation.status == "completed"
        progress = operation.progress if operation else None
        duration = operation.duration if operation else None
        return Judged(objective, met, because(J.PROGRESS, progress=progress, duration=duration))
    if kind == "escalation_at_most":
        return Judged(
            objective,
            state.escalation.peak <= value,
            because(J.PEAK_ESCALATION, peak=state.escalation.peak, limit=value),
        )
    if kind == "support_at_least" and target == "*":
        lowest = min((n.domestic_support for n in state.nations), default=0)
        return Judged(
            objective, lowest >= value, because(J.LOWEST_SUPPORT, support=lowest, need=value)
        )
    if kind == "support_at_least":
        subject = state.nation(target) if target else nation
        support = subject.domestic_support if subject else 0
        return Judged(objective, support >= value, because(J.SUPPORT, support=support, need=value))
    if kind == "budget_at_least":
        budget = nation.budget if nation else 0
        if with_orders and nation is not None:
            budget -= state.committed_cost(nation)
        return Judged(objective, budget >= value, because(J.BUDGET, budget=budget, need=value))
    if kind in ("in_coalition", "lead_coalition"):
        coalitions = [
            c
            for c in state.coalitions
            if c.active and (not target or c.id == target) and nation_id in c.members
        ]
        if kind == "lead_coalition":
            coalitions = [c for c in coalitions if c.lead == nation_id]
        return Judged(
            objective,
            bool(coalitions),
            because(J.COALITIONS, coalitions=[c.id for c in coalitions]),
        )
    if kind == "outside_coalitions":
        inside = [c.id for c in state.coalitions if c.active and nation_id in c.members]
        return Judged(
            objective,
            not inside,
            because(J.INSIDE, coalitions=inside) if inside else because(J.OUTSIDE),
        )
    # For coalition objectives an empty target means "any coalition".
    named = [c for c in state.coalitions if not target or c.id == target]
    if kind == "cohesion_at_least":
        cohesion = max((c.cohesion for c in named if c.active), default=0)
        met = any(c.active for c in named) and cohesion >= value
        return Judged(objective, met, because(J.COHESION, cohesion=cohesion, need=value))
    if kind == "coalition_dissolved":
        met = any(not c.active for c in named)
        return Judged(objective, met, because(J.DISSOLVED if met else J.STILL_STANDING))
    if kind == "burden_share_at_most":
        share = _burden_share(state, nation_id or "")
        met = share is not None and share <= value
        return Judged(objective, met, because(J.BURDEN_SHARE, share=share, limit=value))
    if kind == "no_hard_power":
        hard = {o.id for o in state.operations if o.power == "hard"}
        used = any(
            c.nation_id == nation_id
            for o in state.outcomes
            if o.operation_id in hard
            for c in o.contributions
        )
        if used:
            return Judged(objective, False, because(J.HARD_POWER_USED))
        ordered = with_orders and any(
            c.nation_id == nation_id and c.operation_id in hard for c in state.commitments
        )
        return Judged(
            objective, not ordered, because(J.HARD_POWER_ORDERED if ordered else J.NO_HARD_POWER)
        )
    if kind == "fair_share_at_least":
        carried = carried_costs(state)  # read twice, computed once
        share, fair = fair_share(state, nation_id or "", carried)
        need = value * fair
        # Nobody has carried anything yet: nobody is behind.
        met = share >= need or not any(carried.values())
        return Judged(objective, met, because(J.FAIR_SHARE, share=share, need=need))
    if kind == "crisis_won":
        met_points, _ = collective_score(state)
        available = sum(o.points for o in state.collective_objectives)
        need = value * available
        return Judged(
            objective,
            met_points >= need,
            because(J.CRISIS, met=met_points, available=available, need=need),
        )
    if kind == "trust_at_least":
        trust = state.trust(target, nation_id or "")
        return Judged(objective, trust >= value, because(J.TRUST, trust=trust, need=value))
    return Judged(objective, False, because(J.UNKNOWN_OBJECTIVE))


def nation_score(
    state: GameState, nation_id: str, *, with_orders: bool = False
) -> tuple[int, list[Judged]]:
    nation = state.nation(nation_id)
    if nation is None:
        return 0, []
    judged = [judge(state, o, nation_id, with_orders=with_orders) for o in nation.objectives]
    return sum(j.objective.points for j in judged if j.met), judged


# The kinds `with_orders` can judge otherwise: every other is judged the same either way.
_ORDER_KINDS = frozenset({"budget_at_least", "no_hard_power"})


def score_and_checklist(state: GameState, nation_id: str) -> tuple[int, list[Judged]]:
    """`nation_score(...)[0]` beside `nation_score(..., with_orders=True)[1]` (a nation's
    page shows both), judging again without the orders only the kinds they can change:
    each judged once, not twice (a coalition objective reads every coalition)."""
    nation = state.nation(nation_id)
    if nation is None:
        return 0, []
    judged = [judge(state, o, nation_id, with_orders=True) for o in nation.objectives]
    score = 0
    for j in judged:
        objective = j.objective
        if objective.kind in _ORDER_KINDS:
            met = judge(state, objective, nation_id).met
        else:
            met = j.met
        if met:
            score += objective.points
    return score, judged


def collective_score(state: GameState) -> tuple[int, list[Judged]]:
    judged = [judge(state, o) for o in state.collective_objectives]
    return sum(j.objective.points for j in judged if j.met), judged
