"""Choosing orders: which units go to which operations, within what budget, and pledges."""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Sequence

from app.bots.hand import Hand, PledgeDue
from app.bots.knobs import Knobs
from app.rules.actions import CommitUnit, Propose, WithdrawUnit
from app.rules.resolution import LIFT_FREE, LIFT_RATIO
from app.rules.state import Capability, Operation, Unit

__all__ = ["AIMED_HOPE", "Ordering", "Plan"]

# A nation tries an operation it aims at on a weaker chance than one it does not: this
# share of its personality's `hopeless` bar.
AIMED_HOPE = 0.5


class Plan:
    """Orders being drawn up: which unit goes where, within a budget."""

    def __init__(self, hand: Hand, units: Sequence[Unit], budget: int) -> None:
        self.hand = hand
        self.free: list[Unit] = list(units)
        self.assignments: dict[str, str] = {}  # unit id -> operation id, in the order chosen
        self.budget = budget
        self.spent = 0
        self.units_placed = 0
        self.strength: dict[str, int] = defaultdict(int)
        self.supplied: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, unit: Unit, operation: Operation) -> None:
        self.free.remove(unit)
        self.assignments[unit.id] = operation.id
        self.spent += unit.cost
        self.units_placed += 1
        self.strength[operation.id] += unit.strength
        self.supplied[operation.id][unit.capability] += unit.strength

    def lift_gap(self, operation: Operation) -> int:
        """Lift this nation's own contingent needs there beyond what it has sent."""
        supplied = self.supplied[operation.id]
        carried = sum(s for cap, s in supplied.items() if cap != "lift")
        need = math.ceil(max(0, carried - LIFT_FREE) / LIFT_RATIO)
        return need - supplied.get("lift", 0)

    def gap(self, operation: Operation, capability: Capability) -> int:
        required: int = dict(operation.requirements).get(capability, 0)
        gap = required - self.supplied[operation.id].get(capability, 0)
        if capability == "lift":
            gap = max(gap, self.lift_gap(operation))
        return gap

    def affordable(self, unit: Unit, limit: int) -> bool:
        return self.spent + unit.cost <= min(limit, self.budget)


class Ordering(Knobs):
    """Orders for the turn, and tasking and pledges that follow from them (a part of
    `app.bots.base.BaseBot`)."""

    def spend_cap(self, hand: Hand) -> int:
        """What it is willing to spend this turn."""
        state = hand.state
        coalitions = tuple(c.members for c in hand.coalitions())
        key = (state.turn, hand.nation, coalitions, len(state.records))
        return self.memo("spend_cap", key, lambda: self._spend_cap(hand))

    def _spend_cap(self, hand: Hand) -> int:
        nation = hand.nation
        if self.pace is None:
            return nation.budget
        left = hand.turns_left()
        even = (nation.budget + nation.income * (left - 1)) / left
        cap = even * self.pace * self.fairness_factor(hand)
        return min(nation.budget, math.ceil(cap))

    def fairness_factor(self, hand: Hand) -> float:
        """Below 1 when it has carried more than its fair share of its coalition's burden so
        far, above 1 when less (only for a player that minds fairness)."""
        if not self.fair_share:
            return 1.0
        coalitions = hand.coalitions()
        if not coalitions:
            return 1.0
        members = [m for m in (hand.state.nation(i) for i in coalitions[0].members) if m]
        carried = hand.burden_so_far(m.id for m in members)
        total = sum(carried.values())
        capacity = sum(m.capacity for m in members)
        if not total or not capacity:
            return 1.0
        ratio = (carried[hand.nation_id] / total) / (hand.nation.capacity / capacity)
        if ratio > 1.3:
            return 0.75
        if ratio < 0.7:
            return 1.25
        return 1.0

    def ranked_operations(self, hand: Hand) -> list[Operation]:
        """The operations it would put forces into, best first: those it aims at (by how
        much it wants them), then its coalitions', then the rest its red lines allow."""
        state = hand.state
        coalition_ops = {o for c in hand.coalitions() for o in c.operations}
        aims = self.aims(hand)
        operations = [
            op
            for op in state.operations
            if op.open_at(state.turn)
            and op.power in self.powers
            and self.intents.permits(hand.nation, op)
        ]
        if self.respects_mandate and coalition_ops:
            # Hard power only where the coalition agreed to it, or where it aims itself.
            operations = [
                op
                for op in operations
                if op.power == "soft" or op.id in coalition_ops or op.id in aims
            ]
        units = [u for u in hand.nation.units if state.transfer(u.id) is None]

        def fit(op: Operation) -> float:
            """The share of its requirements this nation's own units could meet."""
            supplied: dict[str, int] = defaultdict(int)
            for unit in units:
                if self.willing(hand, unit, op):
                    supplied[unit.capability] += unit.strength
            useful = sum(min(supplied[cap], amount) for cap, amount in op.requirements)
            return useful / max(1, sum(amount for _, amount in op.requirements))

        key = (state.turn, state.transfers, hand.nation.caveats, tuple(o.id for o in operations))
        fits = self.memo("fits", key, lambda: {op.id: fit(op) for op in operations})

        def tier(op: Operation) -> int:
            if op.id in aims:
                return 0
            return 1 if op.id in coalition_ops else 2

        ranked = sorted(
            operations,
            key=lambda op: (tier(op), -aims.get(op.id, 0), -fits[op.id], op.id),
        )
        return self.interleave(ranked, tier) if self.mixes else ranked

    @staticmethod
    def interleave(ranked: list[Operation], tier: object) -> list[Operation]:
        """Alternate hard and soft operations within each tier, keeping their order."""
        assert callable(tier)
        result: list[Operation] = []
        for level in sorted({tier(op) for op in ranked}):
            hard = [op for op in ranked if tier(op) == level and op.power == "hard"]
            soft = [op for op in ranked if tier(op) == level and op.power == "soft"]
            while hard or soft:
                if hard:
                    result.append(hard.pop(0))
                if soft:
                    result.append(soft.pop(0))
        return result

    def honours(self, hand: Hand, pledge: PledgeDue) -> bool:
        if self.honour_rate >= 1:
            return True
        # Fixed per pledge and game, so that its mind does not change from round to round.
        draw = random.Random(f"honour:{hand.state.seed}:{pledge.agreement_id}").random()
        return draw < self.honour_rate

    def unit_score(self, plan: Plan, unit: Unit, operation: Operation) -> float | None:
        """How much it wants `unit` on `operation` given the plan so far (None: not at all)."""
        gap = plan.gap(operation, unit.capability)
        required = dict(operation.requirements)
        if self.cheap:
            return 100.0 - unit.cost if (gap > 0 or unit.capability in required) else None
        if gap > 0:
            return 20.0 + 2 * min(unit.strength, gap) - unit.cost / 20
        if unit.capability in required:
            return 10.0 + unit.strength - unit.cost / 20
        if self.extra_units:
            return 1.0 + unit.strength - unit.cost / 20
        return None

    def plan(self, hand: Hand) -> Plan:
        """Its orders for this turn (remembered while nothing they depend on changes)."""
        state = hand.state
        key = (
            state.turn,
            hand.nation,
            state.operations,
            state.escalation,
            state.coalitions,
            state.pledges,
            state.transfers,
            state.red_cards,
            len(state.records),
            tuple(a for a in hand.deals("force_pledge", statuses=("open",))),
            tuple(c for c in state.commitments if c.nation_id == hand.nation_id and c.tasked_by),
        )
        return self.memo("plan", key, lambda: self.draw_up(hand))

    def draw_up(self, hand: Hand) -> Plan:
        state, nation = hand.state, hand.nation
        # Units the coalition has tasked are not its to move, but it pays for them.
        tasked = [
            c
            for c in state.commitments
            if c.nation_id == hand.nation_id and c.tasked_by not in (None, hand.nation_id)
        ]
        tasked_cost = sum(u.cost for c in tasked if (u := nation.unit(c.unit_id)) is not None)
        units = [
            u
            for u in nation.units
            if state.transfer(u.id) is None and all(c.unit_id != u.id for c in tasked)
        ]
        budget = nation.budget - tasked_cost
        plan = Plan(hand, units, budget)
        for pledge in hand.pledges_due():
            operation = state.operation(pledge.operation_id)
            if operation is None or not operation.open_at(state.turn):
                continue
            if self.honours(hand, pledge):
                self.fill(hand, plan, operation, pledge.strength, budget, force=True)
        cap = min(budget, self.spend_cap(hand))
        placed_for_pledges = plan.units_placed
        aims = self.aims(hand)
        for operation in self.ranked_operations(hand):
            if self.max_units is not None and (
                plan.units_placed - placed_for_pledges >= self.max_units
            ):
                break
            expected = hand.pledged_by_others(operation.id)
            goal = hand.difficulty(operation) * self.target_ratio - expected
            if self.is_hopeless(hand, plan, operation, expected, cap, aimed=operation.id in aims):
                continue
            left = None
            if self.max_units is not None:
                left = self.max_units - (plan.units_placed - placed_for_pledges)
            self.fill(hand, plan, operation, goal, cap, max_units=left)
        return plan

    def is_hopeless(
        self,
        hand: Hand,
        plan: Plan,
        operation: Operation,
        expected: int,
        cap: int,
        *,
        aimed: bool = False,
    ) -> bool:
        """Whether even its best effort would make no fair attempt; for an operation it
        aims at, it settles for a lower bar (AIMED_HOPE of its usual one)."""
        if self.hopeless <= 0:
            return False
        difficulty = hand.difficulty(operation)
        if expected >= difficulty / 2:
            return False  # partners carry it: join them
        required = dict(operation.requirements)
        money = cap - plan.spent
        usable = [
            u
            for u in plan.free
            if u.cost <= money
            and self.willing(hand, u, operation)
            and (u.capability in required or self.extra_units)
        ]
        strength = plan.strength[operation.id] + sum(u.strength for u in usable) + expected
        met = sum(
            min(
                plan.supplied[operation.id].get(cap_, 0)
                + sum(u.strength for u in usable if u.capability == cap_),
                amount,
            )
            for cap_, amount in required.items()
        )
        coverage = met / max(1, sum(required.values()))
        bar = self.hopeless * (AIMED_HOPE if aimed else 1.0)
        return coverage * min(1.5, strength / difficulty) < bar

    def fill(
        self,
        hand: Hand,
        plan: Plan,
        operation: Operation,
        goal: float,
        money: int,
        *,
        force: bool = False,
        max_units: int | None = None,
    ) -> None:
        """Add units to `operation` until `goal` strength is there and its requirements are
        met as far as its units can, spending at most `money` in all; `force`: reach `goal`
        with any usable unit (a pledge to honour)."""
        placed = 0
        while plan.free and (max_units is None or placed < max_units):
            short = plan.strength[operation.id] < goal
            best: tuple[float, Unit] | None = None
            for unit in plan.free:
                if not plan.affordable(unit, money) or not self.willing(hand, unit, operation):
                    continue
                score = self.unit_score(plan, unit, operation)
                if score is None:
                    if not (force and short):
                        continue
                    score = float(unit.strength)
                if not short and plan.gap(operation, unit.capability) <= 0:
                    continue  # nothing missing that this unit brings
                if best is None or score > best[0]:
                    best = (score, unit)
            if best is None:
                return
            plan.add(best[1], operation)
            placed += 1

    def execute(self, hand: Hand, plan: Plan) -> None:
        """Turn the plan into orders: withdraw what moves, then commit."""
        me = hand.nation_id
        for commitment in hand.state.commitments:
            if commitment.nation_id != me or commitment.tasked_by not in (None, me):
                continue
            if plan.assignments.get(commitment.unit_id) != commitment.operation_id:
                hand.take(WithdrawUnit(commitment.unit_id))
        for unit_id, operation_id in plan.assignments.items():
            if hand.state.commitment(unit_id) is None:
                hand.take(CommitUnit(unit_id, operation_id))

    def task(self, hand: Hand) -> None:
        """As a coalition lead, task the units partners placed under coalition command."""
        state = hand.state
        for coalition in hand.coalitions():
            if coalition.lead != hand.nation_id:
                continue
            operations = [
                op
                for o in coalition.operations
                if (op := state.operation(o)) is not None and op.open_at(state.turn)
            ]
            for transfer in state.transfers:
                if transfer.coalition_id != coalition.id or transfer.nation_id == hand.nation_id:
                    continue
                state = hand.state
                owner = state.nation(transfer.nation_id)
                unit = owner.unit(transfer.unit_id) if owner else None
                if owner is None or unit is None or state.commitment(unit.id) is not None:
                    continue
                if (owner.id, unit.id) in state.red_cards:
                    continue
                if state.committed_cost(owner) + unit.cost > owner.budget:
                    continue
                choices = [
                    op
                    for op in operations
                    if op.power in self.powers and hand.allowed(unit, op, owner)
                ]
                if not choices:
                    continue
                best = max(
                    choices,
                    key=lambda op: (
                        dict(op.requirements).get(unit.capability, 0)
                        - sum(
                            u.strength
                            for c in state.commitments_to(op.id)
                            if (u := state.unit(c.unit_id)) is not None
                            and c.nation_id == hand.nation_id
                            and u.capability == unit.capability
                        ),
                        op.id,
                    ),
                )
                hand.take(CommitUnit(unit.id, best.id))

    def pledge(self, hand: Hand, plan: Plan) -> None:
        """Promise the coalition lead what it is about to send to the coalition's operations."""
        if not self.pledges:
            return
        me, turn = hand.nation_id, hand.state.turn
        for coalition in hand.coalitions():
            if coalition.lead == me:
                continue
            for operation_id in coalition.operations:
                strength = plan.strength.get(operation_id, 0)
                if strength <= 0:
                    continue
                if any(p.operation_id == operation_id for p in hand.pledges_due()):
                    continue
                parties = (me, coalition.lead)
                if hand.tried("force_pledge", parties, operation_id=operation_id, turn=turn):
                    continue
                hand.attempt(
                    Propose(
                        "force_pledge",
                        parties,
                        {
                            "nation": me,
                            "operation_id": operation_id,
                            "strength": strength,
                            "turn": turn,
                        },
                    )
                )
