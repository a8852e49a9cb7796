"""Negotiating: the bot's own initiatives (coalitions, command, intelligence, NGOs)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from app.bots.hand import Hand
from app.bots.knobs import Knobs
from app.rules.action_types import RequestMandate
from app.rules.actions import Propose
from app.rules.agreements.coalition_membership import LED_COALITION
from app.rules.agreements.joint_statement import STAND_TOGETHER
from app.rules.mandates import terms_of
from app.rules.resolution import INTEL_TRUST_FLOOR
from app.rules.resolution.tuning import MANDATE_LEGITIMACY
from app.rules.state import Coalition

__all__ = ["Negotiating"]


class Negotiating(Knobs):
    """The proposals a bot makes on its own initiative (a part of `app.bots.base.BaseBot`)."""

    if TYPE_CHECKING:

        def spend_cap(self, hand: Hand) -> int: ...  # `app.bots.orders.Ordering`

    def diplomacy(self, hand: Hand, rng: random.Random) -> None:
        if not hand.coalitions():
            self.seek_coalition(hand, rng)
        for coalition in hand.coalitions():
            if coalition.lead == hand.nation_id:
                if self.founds:
                    self.lead(hand, coalition)
            else:
                self.member(hand, coalition)
        self.seek_basing(hand)
        if self.shares_intelligence:
            self.share_intelligence(hand)
        if "soft" in self.powers and self.founds:
            self.coordinate_ngos(hand)
        if self.offers_to_pay or self.intents.pays:
            self.offer_to_pay(hand)

    def seek_coalition(self, hand: Hand, rng: random.Random) -> None:
        state, me = hand.state, hand.nation_id
        if not (self.joins or self.founds):
            return
        pending = hand.deals("coalition_membership", statuses=("open",))
        if any(me in a.parties and me in a.signatures for a in pending):
            return  # it has signed a membership deal: wait for the answers
        joinable = [
            c
            for c in state.coalitions
            if c.active
            and me not in c.admitted_before
            and hand.trust(c.lead) >= self.trust_threshold
            and all(self.intents.accepts_partner(m) for m in c.members)
        ]
        if joinable:
            target = max(joinable, key=lambda c: (hand.trust(c.lead), c.cohesion, c.id))
            parties = (me, target.lead)
            if not hand.tried("coalition_membership", parties, coalition_id=target.id):
                hand.attempt(Propose("coalition_membership", parties, {"coalition_id": target.id}))
            return
        if not self.founds:
            return
        partners = [
            n
            for n in state.nations
            if n.id != me
            and not state.coalitions_of(n.id)
            and hand.trust(n.id) >= self.trust_threshold
            and self.intents.accepts_partner(n.id)
        ]
        if self.intents.partners:  # the partners it seeks, when any of them is free
            partners = [p for p in partners if p.id in self.intents.partners] or partners
        if not partners:
            return
        natural = max([hand.nation, *partners], key=lambda n: (n.capacity, n.budget, n.id))
        if natural.id != me and state.turn == 1:
            return  # the natural lead may found it; found one ourselves if it has not
        best = max(hand.trust(p.id) for p in partners)
        choices = sorted(p.id for p in partners if hand.trust(p.id) == best)
        partner = choices[rng.randrange(len(choices))]
        parties = (me, partner)
        if hand.tried("coalition_membership", parties):
            return
        operations = ",".join(self.coalition_operations(hand))
        terms: dict[str, str | int] = {
            "lead": me,
            "command": self.preferred_command,
            "operations": operations,
            "name": LED_COALITION.format(nation=hand.nation.name),
        }
        if not hand.attempt(Propose("coalition_membership", parties, terms)):
            hand.attempt(Propose("coalition_membership", parties, {"lead": me}))

    def coalition_operations(self, hand: Hand) -> list[str]:
        """The operations it wants its coalition to take on: those it aims at (most wanted
        first), then every other operation of the kinds it fights that its red lines allow
        (not yet failed or completed)."""
        state = hand.state
        aims = self.aims(hand)
        wanted = [
            o
            for o in sorted(aims, key=lambda o: (-aims[o], o))
            if (op := state.operation(o)) is not None and op.status == "open"
        ]
        wanted += [
            op.id
            for op in state.operations
            if op.status == "open"
            and op.power in self.powers
            and self.intents.permits(hand.nation, op)
            and op.id not in wanted
        ]
        return wanted

    def lead(self, hand: Hand, coalition: Coalition) -> None:
        state, me = hand.state, hand.nation_id
        for other in state.nations:
            if (
                other.id in coalition.admitted_before
                or state.coalitions_of(other.id)
                or hand.trust(other.id) < self.trust_threshold
                or not self.intents.accepts_partner(other.id)
            ):
                continue
            parties = (me, other.id)
            if not hand.tried("coalition_membership", parties, coalition_id=coalition.id):
                hand.attempt(
                    Propose("coalition_membership", parties, {"coalition_id": coalition.id})
                )
        coalition = state.coalition(coalition.id) or coalition
        if len(coalition.members) < 2:
            return
        asks = self.intents.mandate
        if asks if asks is not None else "hard" in self.powers:
            # Force wants legitimacy: ask each council whose mandate would add to the one
            # held, once a turn (it answers at once).
            for council in (a for a in state.actors if a.kind == "un"):
                if self.mandate_helps(hand, coalition, terms_of(council).grants):
                    hand.attempt(RequestMandate(coalition.id, council.id))
        if coalition.command != self.preferred_command:
            self.arrange(hand, coalition, command=self.preferred_command)
        else:
            wanted = [o for o in self.coalition_operations(hand) if o not in coalition.operations]
            if wanted:
                self.arrange(hand, coalition, operations=",".join([*coalition.operations, *wanted]))
        members = set(coalition.members)
        spoken = any(members <= set(a.parties) for a in hand.deals("joint_statement"))
        rejected = any(
            members <= set(a.parties) for a in hand.deals("joint_statement", statuses=("rejected",))
        )
        if not spoken and not rejected:
            hand.attempt(
                Propose(
                    "joint_statement",
                    coalition.members,
                    {"text": STAND_TOGETHER.format(coalition=coalition.name)},
                )
            )

    def mandate_helps(self, hand: Hand, coalition: Coalition, granted: str) -> bool:
        """Whether a council's mandate (`granted`) is worth asking for: any mandate when the
        coalition has none; a stronger one than it holds (a UN mandate over a regional
        one: MANDATE_LEGITIMACY) when one of its open operations is offensive force,
        whose legitimacy the mandate carries."""
        if MANDATE_LEGITIMACY.get(granted, 0.0) <= MANDATE_LEGITIMACY[coalition.mandate]:
            return False
        if coalition.mandate == "none":
            return True
        return any(
            op.status == "open" and op.power == "hard" and op.posture == "offensive"
            for o in coalition.operations
            if (op := hand.state.operation(o)) is not None
        )

    def seek_basing(self, hand: Hand) -> None:
        """Ask the host of each region where its coalitions have open operations for basing
        and overflight there (half the lift: docs/rules/legitimacy.md); the host decides by
        its trust (`app.bots.judging`). Asked again on a later turn after a refusal."""
        state, me = hand.state, hand.nation_id
        regions = {
            op.region
            for c in hand.coalitions()
            for o in c.operations
            if (op := state.operation(o)) is not None and op.status == "open"
        }
        for region in state.regions:
            host = region.host
            if region.id not in regions or host is None or host == me:
                continue
            if state.nation(host) is None or hand.nation.home_region == region.id:
                continue
            parties = (me, host)
            if not hand.tried("basing", parties, host=host, region=region.id):
                hand.attempt(Propose("basing", parties, {"host": host, "region": region.id}))

    def member(self, hand: Hand, coalition: Coalition) -> None:
        """A member asks for the operations it aims at to become the coalition's."""
        if not self.founds or len(coalition.members) < 2:
            return
        state = hand.state
        aims = self.aims(hand)
        missing = [
            o
            for o in sorted(aims, key=lambda o: (-aims[o], o))
            if o not in coalition.operations
            and (op := state.operation(o)) is not None
            and op.status == "open"
        ]
        if missing:
            self.arrange(hand, coalition, operations=",".join([*coalition.operations, *missing]))

    def arrange(self, hand: Hand, coalition: Coalition, **terms: str) -> None:
        """Propose a command arrangement, unless one is on the table or this very one was
        turned down this turn."""
        parties = coalition.members
        if hand.deals("command_arrangement", parties, ("open",), coalition_id=coalition.id):
            return
        if hand.tried(
            "command_arrangement", parties, ("rejected",), coalition_id=coalition.id, **terms
        ):
            return
        hand.attempt(
            Propose("command_arrangement", parties, {"coalition_id": coalition.id, **terms})
        )

    def share_intelligence(self, hand: Hand) -> None:
        """Offer intelligence to coalition partners it would not withhold it from
        (INTEL_TRUST_FLOOR), and liaison officers to those it trusts."""
        me = hand.nation_id
        partners = sorted({m for c in hand.coalitions() for m in c.members} - {me})
        for partner in partners:
            confidence = hand.confidence(partner)  # once: nothing below changes trust
            if confidence < self.trust_threshold:
                continue
            parties = (me, partner)
            if confidence >= INTEL_TRUST_FLOOR and not hand.tried("intel_sharing", parties):
                hand.attempt(Propose("intel_sharing", parties))
            if not hand.tried("liaison_officers", parties):
                hand.attempt(Propose("liaison_officers", parties))

    def coordinate_ngos(self, hand: Hand) -> None:
        me = hand.nation_id
        if any(me in a.parties for a in hand.deals("ngo_coordination", statuses=("signed",))):
            return
        for actor in hand.state.actors:
            if actor.kind == "ngo":
                hand.attempt(Propose("ngo_coordination", (me,), {"ngo": actor.id}))
                return

    def offer_to_pay(self, hand: Hand) -> None:
        """Pay half of the lead's costs on the coalition's first operation, once a game:
        the cheque-book contribution of a partner that will not (or not only) fight."""
        me, nation = hand.nation_id, hand.nation
        if nation.budget - self.spend_cap(hand) < nation.budget * self.pays_rather_than_fights:
            return
        if any(
            a.terms.get("payer") == me
            for a in hand.deals("cost_sharing", statuses=("open", "signed", "rejected"))
        ):
            return
        for coalition in hand.coalitions():
            if coalition.lead == me or not coalition.operations:
                continue
            if hand.trust(coalition.lead) < self.trust_threshold:
                continue
            terms: dict[str, str | int] = {
                "payer": me,
                "operation_id": coalition.operations[0],
                "share": 50,
            }
            if hand.attempt(Propose("cost_sharing", (me, coalition.lead), terms)):
                return

    def leave(self, hand: Hand) -> None:
        """Walk out of coalitions (only the spoiler does)."""

    def obstruct(self, hand: Hand) -> None:
        """Red cards and other obstruction (only the spoiler does)."""
