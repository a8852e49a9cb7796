"""Judging partners and agreements: sign, reject or leave open what is proposed to it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.bots.hand import Hand
from app.bots.knobs import Knobs
from app.rules.actions import RejectProposal, Sign
from app.rules.state import Agreement, Operation

__all__ = ["Judging"]


class Judging(Knobs):
    """Answers to proposals addressed to the bot (a part of `app.bots.base.BaseBot`)."""

    if TYPE_CHECKING:

        def spend_cap(self, hand: Hand) -> int: ...  # `app.bots.orders.Ordering`

    def answer(self, hand: Hand) -> None:
        for proposal in hand.proposals_to_answer():
            current = hand.state.agreement(proposal.id)
            if current is None or current.status != "open":
                continue  # an earlier answer settled it
            verdict = self.judge(hand, current)
            if verdict is None:
                continue
            if verdict and hand.attempt(Sign(current.id)):
                continue
            # Turned down, or no longer possible (the situation changed since it was made).
            hand.take(RejectProposal(current.id))

    def judge(self, hand: Hand, agreement: Agreement) -> bool | None:
        """Sign (True), reject (False) or leave open (None) a proposal addressed to it."""
        me, terms = hand.nation_id, agreement.terms
        trusted = hand.trust(agreement.proposer) >= self.trust_threshold
        kind = agreement.kind
        if kind == "coalition_membership":
            return self.judge_membership(hand, agreement)
        if kind == "force_pledge":
            if terms.get("nation") != me:
                return True  # a partner promises forces: welcome
            operation = hand.state.operation(str(terms.get("operation_id")))
            return operation is not None and self.can_deliver(
                hand, operation, int(terms.get("strength", 0))
            )
        if kind == "cost_sharing":
            if terms.get("payer") != me:
                return True
            return self.pays and trusted and self.spare_budget(hand) >= hand.nation.budget // 4
        if kind == "aid":
            if terms.get("to") == me:
                return True
            amount = int(terms.get("amount", 0))
            return self.pays and trusted and self.spare_budget(hand) >= 3 * amount
        if kind == "command_arrangement":
            return trusted and self.accepts_operations(hand, agreement)
        if kind == "ngo_coordination":
            return "soft" in self.powers
        return trusted  # intelligence sharing, basing, joint statements

    def judge_membership(self, hand: Hand, agreement: Agreement) -> bool:
        me, terms = hand.nation_id, agreement.terms
        if "coalition_id" in terms:
            coalition = hand.state.coalition(str(terms["coalition_id"]))
            if coalition is None or not coalition.active:
                return False
            if me in coalition.members:  # asked, as its lead, to admit newcomers
                joiners = [p for p in agreement.parties if p not in coalition.members]
                return all(hand.trust(j) >= self.trust_threshold for j in joiners)
            return not hand.coalitions() and hand.trust(coalition.lead) >= self.trust_threshold
        return not hand.coalitions() and all(
            hand.trust(p) >= self.trust_threshold for p in agreement.parties if p != me
        )

    def accepts_operations(self, hand: Hand, agreement: Agreement) -> bool:
        """Whether it can live with the operations a command arrangement gives the coalition."""
        return True

    def can_deliver(self, hand: Hand, operation: Operation, strength: int) -> bool:
        if operation.power not in self.powers:
            return False
        usable = sorted(
            (u for u in hand.nation.units if hand.allowed(u, operation)),
            key=lambda u: (-u.strength, u.cost),
        )
        total = cost = 0
        for unit in usable:
            if total >= strength:
                break
            total += unit.strength
            cost += unit.cost
        return total >= strength and cost <= hand.nation.budget

    def spare_budget(self, hand: Hand) -> int:
        """Money left this turn after its likely orders."""
        nation = hand.nation
        return nation.budget - max(hand.state.committed_cost(nation), self.spend_cap(hand))
