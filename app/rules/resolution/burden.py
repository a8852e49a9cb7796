"""Costs and who carries them (burden sharing), the pledge ledger, and the trust they move."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from app.rules.ledger import Ledger
from app.rules.reasons import because
from app.rules.state import (
    Coalition,
    GameState,
    Outcome,
    Pair,
    Pledge,
    nation_replaced,
    replace_state,
)
from app.rules.wording.changes import ChangeReason


def pay_costs(
    state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger
) -> tuple[GameState, dict[str, int]]:
    """Each contributor pays for its committed units; cost-sharing partners pay a share."""
    own: dict[str, int] = defaultdict(int)
    by_operation: dict[tuple[str, str], int] = defaultdict(int)
    for outcome in outcomes:
        for c in outcome.contributions:
            own[c.nation_id] += c.cost
            by_operation[(outcome.operation_id, c.nation_id)] += c.cost
    carried = dict(own)
    budgets = {n.id: n.budget - own.get(n.id, 0) for n in state.nations}
    for agreement in state.signed("cost_sharing"):
        payer, operation_id = str(agreement.terms["payer"]), str(agreement.terms["operation_id"])
        share = int(agreement.terms["share"])
        for party in agreement.parties:
            if party == payer:
                continue
            owed = by_operation.get((operation_id, party), 0) * share // 100
            paid = max(0, min(owed, budgets[payer]))
            if paid:
                budgets[payer] -= paid
                budgets[party] += paid
                carried[payer] = carried.get(payer, 0) + paid
                carried[party] = carried.get(party, 0) - paid
                # Budgets and private deals are known to the deal's parties only.
                ledger.add(
                    f"budget:{payer}",
                    -paid,
                    because(
                        ChangeReason.COSTS_SHARED_PAID, share=share, partner=party, op=operation_id
                    ),
                    agreement.parties,
                )
                ledger.add(
                    f"budget:{party}",
                    paid,
                    because(
                        ChangeReason.COSTS_SHARED_RECEIVED,
                        share=share,
                        payer=payer,
                        op=operation_id,
                    ),
                    agreement.parties,
                )
    for nation in state.nations:
        spent = own.get(nation.id, 0)
        if spent:
            ledger.add(
                f"budget:{nation.id}", -spent, because(ChangeReason.COST_OF_FORCES), (nation.id,)
            )
    state = replace_state(
        state, nations=tuple(nation_replaced(n, budget=budgets[n.id]) for n in state.nations)
    )
    return state, {k: v for k, v in carried.items() if v}


def settle_pledges(state: GameState, ledger: Ledger) -> GameState:
    """The ledger of pledged versus delivered: honoured pledges build trust, broken ones
    cost more of it than honouring would have earned."""
    delivered: dict[tuple[str, str], int] = defaultdict(int)
    for commitment in state.commitments:
        unit = state.unit(commitment.unit_id)
        if unit is not None:
            delivered[(commitment.nation_id, commitment.operation_id)] += unit.strength
    pledges: list[Pledge] = []
    for pledge in state.pledges:
        if pledge.status != "due" or pledge.turn != state.turn:
            pledges.append(pledge)
            continue
        got = delivered[(pledge.nation, pledge.operation_id)]
        honoured = got >= pledge.strength
        pledges.append(replace(pledge, delivered=got, status="honoured" if honoured else "broken"))
        agreement = state.agreement(pledge.agreement_id)
        partners = [p for p in (agreement.parties if agreement else ()) if p != pledge.nation]
        for partner in partners:
            delta = 5 if honoured else -10
            ledger.trust_change(
                partner,
                pledge.nation,
                delta,
                because(
                    ChangeReason.PLEDGE_HONOURED if honoured else ChangeReason.PLEDGE_BROKEN,
                    nation=pledge.nation,
                    strength=pledge.strength,
                    op=pledge.operation_id,
                    delivered=got,
                ),
            )
    return ledger.settle_trust(replace(state, pledges=tuple(pledges)))


def _cumulative_burden(state: GameState, carried: dict[str, int]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for record in state.records:
        for nation_id, amount in record.burden.items():
            total[nation_id] += amount
    for nation_id, amount in carried.items():
        total[nation_id] += amount
    return total


def _fairness(state: GameState, coalition: Coalition, burden: dict[str, int]) -> float:
    """1 when every member's share of the burden equals its share of capacity; 0 when one
    member carries everything that others could have shared."""
    members = [m for m in (state.nation(i) for i in coalition.members) if m is not None]
    total_burden = sum(max(0, burden.get(m.id, 0)) for m in members)
    total_capacity = sum(m.capacity for m in members)
    if total_burden == 0 or total_capacity == 0:
        return 1.0
    gap = sum(
        abs(max(0, burden.get(m.id, 0)) / total_burden - m.capacity / total_capacity)
        for m in members
    )
    return max(0.0, 1 - gap / 2)


def turn_shares(
    state: GameState, coalition: Coalition, carried: dict[str, int]
) -> dict[str, tuple[float, float]]:
    """Each member's share of what the coalition's members carried this turn, and its fair
    share (its capacity's share); empty when they carried nothing."""
    members = [m for m in (state.nation(i) for i in coalition.members) if m is not None]
    turn_total = sum(max(0, carried.get(m.id, 0)) for m in members)
    capacity = sum(m.capacity for m in members)
    if turn_total == 0 or capacity == 0:
        return {}
    return {
        m.id: (max(0, carried.get(m.id, 0)) / turn_total, m.capacity / capacity) for m in members
    }


def _unilateral(coalition: Coalition, operation_id: str, contributors: list[str]) -> bool:
    """Whether hard power on `operation_id` is a member acting alone against its coalition:
    outside the operations the coalition adopted, and with no partner from it alongside.
    Members fighting it together act as part of the coalition, even before it adopts the
    operation (one partner's veto can hold an agreed plan up for a turn)."""
    if not coalition.operations or operation_id in coalition.operations:
        return False
    return sum(1 for nation_id in contributors if nation_id in coalition.members) < 2


def burden_and_trust(
    state: GameState,
    outcomes: tuple[Outcome, ...],
    carried: dict[str, int],
    ledger: Ledger,
    later: frozenset[Pair] | None = None,
) -> tuple[GameState, dict[str, float]]:
    """Fairness per coalition, and the trust it, joint successes, unilateral hard power
    and red cards move, settled (`later`: see `Ledger.settle_trust`)."""
    cumulative = _cumulative_burden(state, carried)
    fairness: dict[str, float] = {}
    for coalition in state.coalitions:
        if not coalition.active:
            continue
        fairness[coalition.id] = _fairness(state, coalition, cumulative)
        # Free riding costs trust with those who carry more (this turn's burden).
        split = turn_shares(state, coalition, carried)
        shares = {m: share for m, (share, _) in split.items()}
        fair = {m: fair_share for m, (_, fair_share) in split.items()}
        for rider in shares:
            if shares[rider] >= 0.5 * fair[rider]:
                continue
            for carrier in shares:
                if carrier != rider and shares[carrier] > fair[carrier]:
                    ledger.trust_change(
                        carrier,
                        rider,
                        -4,
                        because(
                            ChangeReason.FREE_RIDING,
                            rider=rider,
                            share=shares[rider],
                            coalition=coalition.id,
                            fair=fair[rider],
                        ),
                    )
    # Intelligence shared builds trust turn by turn, at a risk: `intelligence.leak_intelligence`.
    # Fighting side by side and succeeding builds trust; unilateral action erodes it.
    for outcome in outcomes:
        ids = [c.nation_id for c in outcome.contributions]
        if outcome.result == "success" and len(ids) > 1:
            joint = because(ChangeReason.JOINT_SUCCESS, op=outcome.operation_id)
            ledger.trust_changes_among(ids, 1, joint)
        operation = state.operation(outcome.operation_id)
        if operation is None or operation.power != "hard":
            continue
        for nation_id in ids:
            for coalition in state.coalitions_of(nation_id):
                if _unilateral(coalition, operation.id, ids):
                    alone = because(
                        ChangeReason.UNILATERAL_HARD_POWER,
                        op=operation.id,
                        coalition=coalition.id,
                    )
                    for member in coalition.members:
                        ledger.trust_change(member, nation_id, -3, alone)
    for nation_id, unit_id in state.red_cards:
        # The lead refused is the one whose command the unit is under (a nation may be in
        # several coalitions); a unit taken back since is judged by all of them.
        transfer = state.transfer(unit_id)
        commands = state.coalition(transfer.coalition_id) if transfer else None
        for coalition in (commands,) if commands else state.coalitions_of(nation_id):
            if coalition.lead != nation_id:
                ledger.trust_change(
                    coalition.lead,
                    nation_id,
                    -4,
                    because(ChangeReason.RED_CARD, nation=nation_id, unit=unit_id),
                )
    return ledger.settle_trust(state, later), fairness
