"""The bot personalities: how each kind of player talks, commits and keeps its word.

- `cooperative`: an alliance player. Founds or joins a coalition with partners it trusts,
  signs membership, intelligence-sharing and command proposals from trusted nations,
  proposes integrated command (or the strategy's structure) and a joint statement when it
  leads, pledges to the lead the forces it is about to send and always honours its
  pledges. It commits the units whose capabilities the operations ask for (the operations
  its intents aim at first, then its coalition's operations, then any open one its red
  lines allow), alternates hard and soft
  operations, skips operations it cannot make a fair attempt at, paces its spending over
  the turns left and spends less (more) when it has carried more (less) than its
  capacity's share of its coalition's costs so far. One whose caveats forbid combat
  offers to pay, as the dove does.
- `free_rider`: joins coalitions and signs what is asked of it, promises generously, then
  sends at most one cheap unit a turn and honours a pledge only one time in four; it never
  pays under cost sharing nor gives aid, and asks its lead to pay half its costs.
- `hawk`: an alliance player that commits only to hard-power operations, everything it can
  afford, with any unit that adds strength, whether or not its coalition agreed to them.
- `dove`: an alliance player that commits only to soft-power operations, coordinates with
  the NGOs, and, with money to spare, offers to pay half its lead's costs on the
  coalition's first operation (it pays rather than fights).
- `spoiler`: joins coalitions to obstruct them. It rejects every proposal but membership,
  places a unit under coalition command and then refuses its tasking (a red card), acts
  unilaterally outside the coalition's agreed operations, and walks out when the
  coalition's cohesion is low.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from app.bots.base import BaseBot, Hand, Plan
from app.bots.intents import Intents
from app.bots.judging import judgement_of
from app.rules.actions import LeaveCoalition, Propose, RedCard, TransferAuthority
from app.rules.state import Agreement, CommandStructure, Operation

__all__ = [
    "PERSONALITIES",
    "Cooperative",
    "Dove",
    "FreeRider",
    "Hawk",
    "Spoiler",
    "make_bot",
]


class Cooperative(BaseBot):
    personality = "cooperative"
    mixes = True
    fair_share = True

    def diplomacy(self, hand: Hand, rng: random.Random) -> None:
        super().diplomacy(hand, rng)
        # A partner whose caveats forbid combat carries its share with money instead
        # (the Gulf's cheque-book partners); one whose intents say so already has.
        if "no-combat" in hand.nation.caveats and not self.intents.pays:
            self.offer_to_pay(hand)


class FreeRider(BaseBot):
    personality = "free_rider"
    trust_threshold = 30
    founds = False
    pace = 0.35
    max_units = 1
    cheap = True
    hopeless = 0.0
    honour_rate = 0.25
    pays = False

    def can_deliver(self, hand: Hand, operation: Operation, strength: int) -> bool:
        # Signing costs nothing; delivering is another matter.
        return operation.power in self.powers

    def diplomacy(self, hand: Hand, rng: random.Random) -> None:
        super().diplomacy(hand, rng)
        self.shift_costs(hand)

    def shift_costs(self, hand: Hand) -> None:
        """Ask the lead to pay half of its costs on one coalition operation, once."""
        me = hand.nation_id
        for coalition in hand.coalitions():
            if coalition.lead == me or not coalition.operations:
                continue
            parties = (me, coalition.lead)
            asked = hand.deals("cost_sharing", parties, ("open", "signed", "rejected"))
            if asked:
                continue
            hand.attempt(
                Propose(
                    "cost_sharing",
                    parties,
                    {"payer": coalition.lead, "operation_id": coalition.operations[0], "share": 50},
                )
            )
            return

    def pledge(self, hand: Hand, plan: Plan) -> None:
        """Promise a generous force to one coalition operation a turn."""
        me, turn = hand.nation_id, hand.state.turn
        if hand.pledges_due():
            return
        for coalition in hand.coalitions():
            if coalition.lead == me:
                continue
            for operation_id in coalition.operations:
                operation = hand.state.operation(operation_id)
                if operation is None or not operation.open_at(turn):
                    continue
                usable = sum(u.strength for u in hand.nation.units if hand.allowed(u, operation))
                strength = min(usable, max(3, hand.difficulty(operation) // 3))
                parties = (me, coalition.lead)
                if strength <= 0 or hand.tried(
                    "force_pledge", parties, operation_id=operation_id, turn=turn
                ):
                    continue
                terms: dict[str, str | int] = {
                    "nation": me,
                    "operation_id": operation_id,
                    "strength": strength,
                    "turn": turn,
                }
                if hand.attempt(Propose("force_pledge", parties, terms)):
                    return


class Hawk(BaseBot):
    personality = "hawk"
    powers = ("hard",)
    pace = None
    target_ratio = 1.5
    extra_units = True
    hopeless = 0.0
    respects_mandate = False


class Dove(BaseBot):
    personality = "dove"
    powers = ("soft",)
    target_ratio = 1.3
    hopeless = 0.3
    offers_to_pay = True


class Spoiler(BaseBot):
    personality = "spoiler"
    trust_threshold = 0
    founds = False
    shares_intelligence = False
    pledges = False
    pace = 0.5
    max_units = 1
    cheap = True
    hopeless = 0.0
    respects_mandate = False
    # Walks out when its coalition's cohesion is this close above the defection threshold.
    leave_margin = 10

    def judge(self, hand: Hand, agreement: Agreement) -> bool | None:
        judgement_of(agreement.kind)  # an unknown kind is an error here too
        if agreement.kind == "coalition_membership":
            return True  # inside is where it can do harm
        # Aid it takes; everything else it turns down.
        return agreement.kind == "aid" and agreement.terms.get("to") == hand.nation_id

    def ranked_operations(self, hand: Hand) -> list[Operation]:
        """Unilateral action first: operations its coalitions have not agreed, hard first."""
        agreed = {o for c in hand.coalitions() for o in c.operations}
        ranked = super().ranked_operations(hand)
        return sorted(ranked, key=lambda op: (op.id in agreed, op.power != "hard"))

    def leave(self, hand: Hand) -> None:
        threshold = hand.state.defection_threshold + self.leave_margin
        for coalition in hand.coalitions():
            if coalition.cohesion < threshold:
                hand.take(LeaveCoalition(coalition.id))

    def obstruct(self, hand: Hand) -> None:
        me = hand.nation_id
        for commitment in hand.state.commitments:
            if commitment.nation_id == me and commitment.tasked_by not in (None, me):
                hand.take(RedCard(commitment.unit_id))
        for coalition in hand.coalitions():
            if coalition.lead == me:
                continue
            if any(
                t.nation_id == me and t.coalition_id == coalition.id for t in hand.state.transfers
            ):
                continue
            # Offer its strongest idle unit: the lead will count on it.
            idle = [
                u
                for u in hand.nation.units
                if hand.state.commitment(u.id) is None and hand.state.transfer(u.id) is None
            ]
            if idle:
                unit = max(idle, key=lambda u: (u.strength, u.id))
                hand.take(TransferAuthority(unit.id, coalition.id))


PERSONALITIES: dict[str, type[BaseBot]] = {
    cls.personality: cls for cls in (Cooperative, FreeRider, Hawk, Dove, Spoiler)
}


def make_bot(
    personality: str,
    intents: Intents | None = None,
    command: CommandStructure | None = None,
) -> BaseBot:
    """A bot of the named personality with the nation's intents; raises KeyError for an
    unknown name."""
    factory: Callable[..., BaseBot] = PERSONALITIES[personality]
    return factory(intents=intents, command=command)
