"""Scoring: collective crisis objectives and each nation's own (often secret) objectives.

An objective is judged on the state as it stands, so a nation can watch its progress
during the game; the final score is the one at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.rules.state import GameState, Objective


@dataclass(frozen=True)
class Judged:
    objective: Objective
    met: bool
    detail: str


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


def judge(state: GameState, objective: Objective, nation_id: str | None = None) -> Judged:
    """Whether `objective` holds now; `nation_id` is the nation it belongs to, if any."""
    kind, target, value = objective.kind, objective.target, objective.value
    nation = state.nation(nation_id) if nation_id else None
    if kind == "operation_succeeds":
        operation = state.operation(target)
        met = operation is not None and operation.status == "completed"
        progress = f"{operation.progress:g}/{operation.duration}" if operation else "?"
        return Judged(objective, met, f"progress {progress}")
    if kind == "escalation_at_most":
        return Judged(
            objective,
            state.escalation.peak <= value,
            f"peak escalation {state.escalation.peak} (limit {value:g})",
        )
    if kind == "support_at_least" and target == "*":
        lowest = min((n.domestic_support for n in state.nations), default=0)
        return Judged(objective, lowest >= value, f"lowest support {lowest} (need {value:g})")
    if kind == "support_at_least":
        subject = state.nation(target) if target else nation
        support = subject.domestic_support if subject else 0
        return Judged(objective, support >= value, f"support {support} (need {value:g})")
    if kind == "budget_at_least":
        budget = nation.budget if nation else 0
        return Judged(objective, budget >= value, f"budget {budget} (need {value:g})")
    if kind in ("in_coalition", "lead_coalition"):
        coalitions = [
            c
            for c in state.coalitions
            if c.active and (not target or c.id == target) and nation_id in c.members
        ]
        if kind == "lead_coalition":
            coalitions = [c for c in coalitions if c.lead == nation_id]
        names = ", ".join(c.name for c in coalitions) or "none"
        return Judged(objective, bool(coalitions), f"coalitions: {names}")
    if kind == "outside_coalitions":
        inside = [c.name for c in state.coalitions if c.active and nation_id in c.members]
        return Judged(objective, not inside, "in " + ", ".join(inside) if inside else "outside")
    # For coalition objectives an empty target means "any coalition".
    named = [c for c in state.coalitions if not target or c.id == target]
    if kind == "cohesion_at_least":
        cohesion = max((c.cohesion for c in named if c.active), default=0)
        met = any(c.active for c in named) and cohesion >= value
        return Judged(objective, met, f"cohesion {cohesion} (need {value:g})")
    if kind == "coalition_dissolved":
        met = any(not c.active for c in named)
        return Judged(objective, met, "dissolved" if met else "still standing")
    if kind == "burden_share_at_most":
        share = _burden_share(state, nation_id or "")
        met = share is not None and share <= value
        shown = "no coalition" if share is None else f"{share:.0%}"
        return Judged(objective, met, f"burden share {shown} (at most {value:.0%})")
    if kind == "no_hard_power":
        hard = {o.id for o in state.operations if o.power == "hard"}
        used = any(
            c.nation_id == nation_id
            for o in state.outcomes
            if o.operation_id in hard
            for c in o.contributions
        )
        return Judged(objective, not used, "used hard power" if used else "no hard power used")
    if kind == "trust_at_least":
        trust = state.trust(target, nation_id or "")
        return Judged(objective, trust >= value, f"trust {trust} (need {value:g})")
    return Judged(objective, False, "unknown objective")


def nation_score(state: GameState, nation_id: str) -> tuple[int, list[Judged]]:
    nation = state.nation(nation_id)
    if nation is None:
        return 0, []
    judged = [judge(state, o, nation_id) for o in nation.objectives]
    return sum(j.objective.points for j in judged if j.met), judged


def collective_score(state: GameState) -> tuple[int, list[Judged]]:
    judged = [judge(state, o) for o in state.collective_objectives]
    return sum(j.objective.points for j in judged if j.met), judged
