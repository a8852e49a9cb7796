"""Playing a turn: the `Bot` protocol, and `BaseBot`, which puts a bot's parts together.

A bot sees the game as its nation would: its own forces, budget and orders, the coalitions
it belongs to, the proposals addressed to it, the pledge ledger of its coalitions, and what
everyone may see (operations, escalation, trust). It never reads another nation's orders.

Legality. A bot only ever returns actions the rules accept at the moment it takes them,
in order: it works on a private copy of the state (`Hand`) and takes each action through
`rules.apply`, whose checks are the very ones `rules.legal_actions` filters its list with.
Orders (commit, withdraw, red card, transfer, leave) are exactly the actions
`legal_actions` lists, so an order `apply` accepts is one the list holds; talks are
open-ended (any terms), so a proposal is legal when `apply` accepts it. This avoids
re-listing every legal action after every move (the list is long and slow to build), and
the tests check the equivalence by replaying bot games with `play_game(..., verify=True)`.
"""

from __future__ import annotations

import random
from typing import Protocol, runtime_checkable

from app.bots.hand import AGREEMENTS, AgreementIndex, Hand, PledgeDue
from app.bots.judging import Judging
from app.bots.knobs import Knobs
from app.bots.negotiating import Negotiating
from app.bots.orders import Ordering, Plan
from app.rules.actions import Action, SetReady
from app.rules.state import GameState, Phase

__all__ = [
    "AGREEMENTS",
    "AgreementIndex",
    "BaseBot",
    "Bot",
    "Hand",
    "Judging",
    "Knobs",
    "Negotiating",
    "Ordering",
    "Plan",
    "PledgeDue",
]


@runtime_checkable
class Bot(Protocol):
    """An automated player: the actions `nation_id` takes now, in order.

    Deterministic for a given `rng` state; every returned action is legal when applied in
    order to `state` by `nation_id` (nothing else happening in between).

    `play_game` also uses two optional methods when a bot has them (`BaseBot` does):
    `view_key(state, nation_id)`, what its decision reads (while it is unchanged the bot is
    not asked again), and `decide_with_state(state, nation_id, rng)`, which also returns
    the state with its actions applied."""

    def decide(self, state: GameState, nation_id: str, rng: random.Random) -> list[Action]: ...


class BaseBot(Judging, Negotiating, Ordering):
    """A parameterised player; the personalities in `app.bots.personalities` set the knobs
    (`app.bots.knobs`) and override the few judgements where they differ. What it does is
    in its parts: answering proposals (`app.bots.judging`), its own initiatives
    (`app.bots.negotiating`) and its orders (`app.bots.orders`); this class plays a turn."""

    def decide(self, state: GameState, nation_id: str, rng: random.Random) -> list[Action]:
        return self.decide_with_state(state, nation_id, rng)[0]

    def view_key(self, state: GameState, nation_id: str) -> tuple[object, ...]:
        """Everything its decision reads: while this is unchanged, deciding again would do
        nothing new (the runner skips it). Other nations' orders are not part of it, as
        a bot never reads them."""
        return (
            state.turn,
            state.phase,
            state.nations,
            state.coalitions,
            state.pledges,
            state.transfers,
            state.relations,
            state.red_cards,
            tuple(a for a in state.agreements if nation_id in a.parties),
            tuple(
                c for c in state.commitments if c.nation_id == nation_id or c.tasked_by == nation_id
            ),
            nation_id in state.ready,
        )

    def decide_with_state(
        self, state: GameState, nation_id: str, rng: random.Random
    ) -> tuple[list[Action], GameState]:
        """`decide`, and the state once its actions are applied (they already were, one by
        one through `rules.apply`, on the bot's own copy): the runner's fast path."""
        if state.phase is not Phase.ORDERS or state.nation(nation_id) is None:
            return [], state
        hand = Hand(state, nation_id, self._allowed)
        self.play(hand, rng)
        if nation_id not in hand.state.ready:
            hand.take(SetReady(True))
        self.refusals += len(hand.refused)
        return hand.taken, hand.state

    def play(self, hand: Hand, rng: random.Random) -> None:
        """Talks first (answers, then own initiatives), then orders, then pledges."""
        self.leave(hand)
        self.answer(hand)
        self.diplomacy(hand, rng)
        plan = self.plan(hand)
        self.execute(hand, plan)
        self.task(hand)
        self.pledge(hand, plan)
        self.obstruct(hand)
