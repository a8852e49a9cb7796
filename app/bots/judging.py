"""Judging partners and agreements: sign, reject or leave open what is proposed to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from app.bots.hand import Hand
from app.bots.knobs import Knobs
from app.rules.actions import RejectProposal, Sign
from app.rules.agreements import UnknownAgreement
from app.rules.resolution import BASING_TRUST_FLOOR, EXERCISE_COST, INTEL_TRUST_FLOOR
from app.rules.state import Agreement, Operation

__all__ = ["JUDGES", "Judging", "judgement_of"]

# Each kind of agreement (`app/rules/agreements/`) and the `Judging` method that judges it;
# a personality overrides the method, not this table.
JUDGES: dict[str, str] = {
    "coalition_membership": "judge_membership",
    "force_pledge": "judge_force_pledge",
    "cost_sharing": "judge_cost_sharing",
    "intel_sharing": "judge_intelligence",
    "basing": "judge_basing",
    "command_arrangement": "judge_command_arrangement",
    "aid": "judge_aid",
    "joint_statement": "trusts_proposer",
    "ngo_coordination": "judge_ngo_coordination",
    "combined_exercise": "judge_exercise",
    "liaison_officers": "trusts_proposer",
}


def judgement_of(kind: str) -> str:
    """The name of the method that judges `kind`; `UnknownAgreement` if it has none."""
    try:
        return JUDGES[kind]
    except KeyError:
        raise UnknownAgreement(kind) from None


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
        """Sign (True), reject (False) or leave open (None) a proposal addressed to it:
        the judgement its kind has in `JUDGES` (an unknown kind raises)."""
        judgement: Callable[[Hand, Agreement], bool | None] = getattr(
            self, judgement_of(agreement.kind)
        )
        return judgement(hand, agreement)

    def trusts_proposer(self, hand: Hand, agreement: Agreement) -> bool:
        """Joint statements, liaison officers: signed if it trusts the proposer (a history
        of cooperation counts: `Hand.confidence`)."""
        return hand.confidence(agreement.proposer) >= self.trust_threshold

    def judge_intelligence(self, hand: Hand, agreement: Agreement) -> bool:
        """Intelligence goes only to partners it would not withhold it from under the rules
        (INTEL_TRUST_FLOOR), and trusts as it trusts any partner."""
        needed = max(self.trust_threshold, INTEL_TRUST_FLOOR)
        return all(hand.confidence(p) >= needed for p in agreement.parties if p != hand.nation_id)

    def judge_basing(self, hand: Hand, agreement: Agreement) -> bool:
        """A host opens its bases only to partners it trusts as the rules require
        (BASING_TRUST_FLOOR) and as it trusts any partner (a history of cooperation
        counts: `Hand.confidence`); basing granted to it is welcome."""
        if agreement.terms.get("host") != hand.nation_id:
            return True
        return all(
            hand.trust(p) >= BASING_TRUST_FLOOR and hand.confidence(p) >= self.trust_threshold
            for p in agreement.parties
            if p != hand.nation_id
        )

    def judge_exercise(self, hand: Hand, agreement: Agreement) -> bool:
        """A combined exercise: with partners it trusts, if it can pay for it to the end."""
        return (
            self.trusts_proposer(hand, agreement)
            and self.spare_budget(hand) >= EXERCISE_COST * hand.turns_left()
        )

    def judge_force_pledge(self, hand: Hand, agreement: Agreement) -> bool:
        terms = agreement.terms
        if terms.get("nation") != hand.nation_id:
            return True  # a partner promises forces: welcome
        operation = hand.state.operation(str(terms.get("operation_id")))
        return operation is not None and self.can_deliver(
            hand, operation, int(terms.get("strength", 0))
        )

    def judge_cost_sharing(self, hand: Hand, agreement: Agreement) -> bool:
        """As the payer: only for a partner it trusts, and a distrusted partner must ask
        for less: it pays at most as many percent of the costs as its confidence in the
        proposer (`Hand.confidence`) is above the share's bar of 10."""
        if agreement.terms.get("payer") != hand.nation_id:
            return True
        share = int(agreement.terms.get("share", 100))
        return (
            self.pays
            and self.trusts_proposer(hand, agreement)
            and share <= hand.confidence(agreement.proposer) - 10
            and self.spare_budget(hand) >= hand.nation.budget // 4
        )

    def judge_aid(self, hand: Hand, agreement: Agreement) -> bool:
        if agreement.terms.get("to") == hand.nation_id:
            return True
        amount = int(agreement.terms.get("amount", 0))
        return (
            self.pays
            and self.trusts_proposer(hand, agreement)
            and self.spare_budget(hand) >= 3 * amount
        )

    def judge_command_arrangement(self, hand: Hand, agreement: Agreement) -> bool:
        return self.trusts_proposer(hand, agreement) and self.accepts_operations(hand, agreement)

    def judge_ngo_coordination(self, hand: Hand, agreement: Agreement) -> bool:
        return "soft" in self.powers

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
