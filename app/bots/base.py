"""The machinery every bot shares: the `Bot` protocol, a nation's `Hand`, and `BaseBot`.

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

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import ClassVar, Protocol, TypeVar, runtime_checkable

from app.rules import actions as acts
from app.rules.actions import (
    Action,
    CommitUnit,
    Propose,
    RejectProposal,
    SetReady,
    Sign,
    WithdrawUnit,
)
from app.rules.resolution import CRISIS_SURCHARGE, LIFT_FREE, LIFT_RATIO
from app.rules.state import (
    Agreement,
    AgreementKind,
    Capability,
    Coalition,
    CommandStructure,
    GameState,
    Nation,
    Operation,
    Phase,
    Power,
    Unit,
)

__all__ = ["BaseBot", "Bot", "Hand", "PledgeDue"]

T = TypeVar("T")


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


class Hand:
    """One nation's decision in progress: the state as its own actions change it."""

    def __init__(
        self,
        state: GameState,
        nation_id: str,
        allowed_cache: dict[tuple[object, ...], bool] | None = None,
        index: AgreementIndex | None = None,
    ) -> None:
        self.state = state
        self.nation_id = nation_id
        self.taken: list[Action] = []
        # Actions the bot believed legal but the rules refused: a bug, counted by tests.
        self.refused: list[tuple[Action, str]] = []
        # Lookups, cached on the identity of the (immutable) parts of the state they read.
        self._nations: tuple[Nation, ...] | None = None
        self._nation: Nation | None = None
        self._index = index if index is not None else AGREEMENTS
        # Whether a caveat keeps a unit off an operation: it depends only on the owner's
        # caveats and home region, so the cache may outlive the decision.
        self._allowed = allowed_cache if allowed_cache is not None else {}

    @property
    def nation(self) -> Nation:
        if self._nations is not self.state.nations or self._nation is None:
            nation = self.state.nation(self.nation_id)
            assert nation is not None
            self._nations, self._nation = self.state.nations, nation
        return self._nation

    def agreements_of_kind(
        self, kind: str, parties: frozenset[str] | None = None
    ) -> list[Agreement]:
        return self._index.of_kind(self.state.agreements, kind, parties)

    def attempt(self, action: Action) -> bool:
        """Take `action` if the rules accept it now; otherwise leave it (a legality test)."""
        result = acts.apply(self.state, self.nation_id, action)
        if isinstance(result, acts.Rejection):
            return False
        self.state = result.state
        self.taken.append(action)
        return True

    def take(self, action: Action) -> bool:
        """Take an action the bot has established is legal; a refusal is counted as a bug."""
        result = acts.apply(self.state, self.nation_id, action)
        if isinstance(result, acts.Rejection):
            self.refused.append((action, result.code))
            return False
        self.state = result.state
        self.taken.append(action)
        return True

    # --- what the nation knows ----------------------------------------------------------

    def coalitions(self) -> tuple[Coalition, ...]:
        return self.state.coalitions_of(self.nation_id)

    def trust(self, other: str) -> int:
        return self.state.trust(self.nation_id, other)

    def turns_left(self) -> int:
        """Turns still to play, this one included."""
        return max(1, self.state.turns - self.state.turn + 1)

    def difficulty(self, operation: Operation) -> int:
        """The difficulty the rules will use this turn (the crisis raises it)."""
        escalation = self.state.escalation
        surcharge = CRISIS_SURCHARGE if escalation.level >= escalation.threshold else 0
        return max(1, operation.difficulty + surcharge)

    def allowed(self, unit: Unit, operation: Operation, owner: Nation | None = None) -> bool:
        """No national caveat of the owner keeps `unit` off `operation`."""
        owner = owner or self.nation
        key = (owner.caveats, owner.home_region, unit.id, operation.id)
        allowed = self._allowed.get(key)
        if allowed is None:  # caveats change only between turns
            allowed = acts.caveat_rejection(owner, unit, self.state, operation.id) is None
            self._allowed[key] = allowed
        return allowed

    def proposals_to_answer(self) -> list[Agreement]:
        return [
            a
            for a in self.state.agreements
            if a.status == "open"
            and self.nation_id in a.parties
            and self.nation_id not in a.signatures
        ]

    def deals(
        self,
        kind: AgreementKind,
        parties: Iterable[str] | None = None,
        statuses: Sequence[str] = ("open", "signed"),
        **terms: str | int,
    ) -> list[Agreement]:
        """Agreements of `kind` with exactly these parties (any order) in one of `statuses`
        (a rejected one only if rejected this turn), whose terms include `terms`."""
        wanted = frozenset(parties) if parties is not None else None
        found = []
        for agreement in self.agreements_of_kind(kind, wanted):
            if agreement.status not in statuses:
                continue
            if agreement.status == "rejected" and agreement.turn != self.state.turn:
                continue
            if any(agreement.terms.get(k) != v for k, v in terms.items()):
                continue
            found.append(agreement)
        return found

    def tried(
        self,
        kind: AgreementKind,
        parties: Iterable[str],
        statuses: Sequence[str] = ("open", "signed", "rejected"),
        **terms: str | int,
    ) -> bool:
        """A deal like this is open, signed, or was turned down this turn: do not ask again."""
        return bool(self.deals(kind, parties, statuses, **terms))

    def pledges_due(self) -> list[PledgeDue]:
        """What this nation has promised for this turn: signed pledges still due, and its own
        pledge proposals still open (it means to honour those too)."""
        me, turn = self.nation_id, self.state.turn
        due = [
            PledgeDue(p.agreement_id, p.operation_id, p.strength)
            for p in self.state.pledges
            if p.nation == me and p.turn == turn and p.status == "due"
        ]
        for agreement in self.deals("force_pledge", statuses=("open",), nation=me, turn=turn):
            due.append(
                PledgeDue(
                    agreement.id,
                    str(agreement.terms["operation_id"]),
                    int(agreement.terms["strength"]),
                )
            )
        return due

    def pledged_by_others(self, operation_id: str) -> int:
        """Strength partners in this nation's coalitions have pledged to `operation_id` for
        this turn (the coalition's ledger, which its members see)."""
        partners = {m for c in self.coalitions() for m in c.members} - {self.nation_id}
        return sum(
            p.strength
            for p in self.state.pledges
            if p.operation_id == operation_id
            and p.turn == self.state.turn
            and p.status == "due"
            and p.nation in partners
        )

    def burden_so_far(self, members: Iterable[str]) -> dict[str, int]:
        carried: dict[str, int] = defaultdict(int)
        ids = set(members)
        for record in self.state.records:
            for nation_id, amount in record.burden.items():
                if nation_id in ids:
                    carried[nation_id] += max(0, amount)
        return carried


class AgreementIndex:
    """Agreements by kind and by (kind, parties), for one agreements tuple at a time.

    One index is shared by every bot (`AGREEMENTS`): the agreements change a few dozen
    times a game while bots look them up thousands of times. The tuple indexed is held
    with its index in one attribute, so a reader never sees one with the other's index."""

    def __init__(self) -> None:
        self._entry: tuple[
            tuple[Agreement, ...],
            dict[str, list[Agreement]],
            dict[tuple[str, frozenset[str]], list[Agreement]],
        ] = ((), {}, {})

    def of_kind(
        self, agreements: tuple[Agreement, ...], kind: str, parties: frozenset[str] | None
    ) -> list[Agreement]:
        entry = self._entry
        if entry[0] is not agreements:
            by_kind: dict[str, list[Agreement]] = defaultdict(list)
            by_parties: dict[tuple[str, frozenset[str]], list[Agreement]] = defaultdict(list)
            for agreement in agreements:
                by_kind[agreement.kind].append(agreement)
                by_parties[(agreement.kind, frozenset(agreement.parties))].append(agreement)
            entry = (agreements, dict(by_kind), dict(by_parties))
            self._entry = entry
        if parties is not None:
            return entry[2].get((kind, parties), [])
        return entry[1].get(kind, [])


AGREEMENTS = AgreementIndex()


class PledgeDue:
    """A force pledge this nation means to deliver this turn."""

    __slots__ = ("agreement_id", "operation_id", "strength")

    def __init__(self, agreement_id: str, operation_id: str, strength: int) -> None:
        self.agreement_id = agreement_id
        self.operation_id = operation_id
        self.strength = strength


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


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    return len(old) == len(new) and all(
        a is b or (isinstance(a, int | str | tuple) and type(a) is type(b) and a == b)
        for a, b in zip(old, new, strict=True)
    )


class BaseBot:
    """A parameterised player; the personalities in `app.bots.personalities` set the knobs
    and override the few judgements where they differ."""

    personality: ClassVar[str] = "base"
    # Which operations it will put forces into.
    powers: ClassVar[tuple[Power, ...]] = ("hard", "soft")
    # Trust (0-100) it needs in a partner to deal with it.
    trust_threshold: ClassVar[int] = 45
    # Founds and leads coalitions (invites, command, statements) / asks to join them.
    founds: ClassVar[bool] = True
    joins: ClassVar[bool] = True
    shares_intelligence: ClassVar[bool] = True
    # Spending per turn as a multiple of an even spread of its money over the turns left;
    # None: everything it has.
    pace: ClassVar[float | None] = 1.3
    # Strength it aims for on an operation, as a multiple of the difficulty.
    target_ratio: ClassVar[float] = 1.2
    # Also commit units whose capability the operation does not ask for (raw strength).
    extra_units: ClassVar[bool] = False
    # Skip an operation when even its best effort would score below this (0: never skip).
    hopeless: ClassVar[float] = 0.4
    # Share of its pledges it honours (drawn per pledge, fixed for the game).
    honour_rate: ClassVar[float] = 1.0
    # Pays others' costs under cost sharing and gives aid.
    pays: ClassVar[bool] = True
    # Keeps hard power within its coalition's agreed operations (unilateral action costs
    # trust with the partners).
    respects_mandate: ClassVar[bool] = True
    # Interleaves hard and soft operations (a mixed posture).
    mixes: ClassVar[bool] = False
    # Moves its spending towards its fair share (capacity) of the coalition's burden.
    fair_share: ClassVar[bool] = False
    # Units it places in a turn beyond those its pledges need (None: no limit).
    max_units: ClassVar[int | None] = None
    # Prefers the cheapest units to the most useful ones.
    cheap: ClassVar[bool] = False
    # Pledges to its coalition lead the forces it plans to send.
    pledges: ClassVar[bool] = True

    def __init__(self, focus: Iterable[str] = (), command: CommandStructure | None = None) -> None:
        self.focus: tuple[str, ...] = tuple(focus)
        self.command: CommandStructure | None = command
        self.refusals = 0  # actions it took the rules refused (must stay 0)
        self._allowed: dict[tuple[object, ...], bool] = {}
        self._memo: dict[str, tuple[tuple[object, ...], object]] = {}  # name -> (key, value)

    def memo(self, name: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """`compute()`, remembered while every part of `key` stays the same: the same
        object (parts of the immutable state), or an equal number or text."""
        cached = self._memo.get(name)
        if cached is not None and _same(cached[0], key):
            return cached[1]  # type: ignore[return-value]
        value = compute()
        self._memo[name] = (key, value)
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(focus={self.focus!r}, command={self.command!r})"

    @property
    def preferred_command(self) -> CommandStructure:
        return self.command or "integrated"

    # --- the turn --------------------------------------------------------------------------

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

    # --- answers ---------------------------------------------------------------------------

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

    # --- initiatives -----------------------------------------------------------------------

    def diplomacy(self, hand: Hand, rng: random.Random) -> None:
        if not hand.coalitions():
            self.seek_coalition(hand, rng)
        for coalition in hand.coalitions():
            if coalition.lead == hand.nation_id:
                if self.founds:
                    self.lead(hand, coalition)
            else:
                self.member(hand, coalition)
        if self.shares_intelligence:
            self.share_intelligence(hand)
        if "soft" in self.powers and self.founds:
            self.coordinate_ngos(hand)

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
            if c.active and me not in c.members and hand.trust(c.lead) >= self.trust_threshold
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
        ]
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
            "name": f"{hand.nation.name}-led coalition",
        }
        if not hand.attempt(Propose("coalition_membership", parties, terms)):
            hand.attempt(Propose("coalition_membership", parties, {"lead": me}))

    def coalition_operations(self, hand: Hand) -> list[str]:
        """The operations it wants its coalition to take on: its focus, then every other
        operation of the kinds it fights (not yet failed or completed)."""
        state = hand.state
        wanted = [
            o for o in self.focus if (op := state.operation(o)) is not None and op.status == "open"
        ]
        wanted += [
            op.id
            for op in state.operations
            if op.status == "open" and op.power in self.powers and op.id not in wanted
        ]
        return wanted

    def lead(self, hand: Hand, coalition: Coalition) -> None:
        state, me = hand.state, hand.nation_id
        for other in state.nations:
            if (
                other.id in coalition.members
                or state.coalitions_of(other.id)
                or hand.trust(other.id) < self.trust_threshold
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
                    {"text": f"The members of {coalition.name} stand together."},
                )
            )

    def member(self, hand: Hand, coalition: Coalition) -> None:
        """A member asks for its focus operations to become the coalition's."""
        if not self.founds or len(coalition.members) < 2:
            return
        state = hand.state
        missing = [
            o
            for o in self.focus
            if o not in coalition.operations
            and (op := state.operation(o)) is not None
            and op.status == "open"
            and op.power in self.powers
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
        me = hand.nation_id
        partners = sorted({m for c in hand.coalitions() for m in c.members} - {me})
        for partner in partners:
            if hand.trust(partner) < self.trust_threshold:
                continue
            parties = (me, partner)
            if not hand.tried("intel_sharing", parties):
                hand.attempt(Propose("intel_sharing", parties))

    def coordinate_ngos(self, hand: Hand) -> None:
        me = hand.nation_id
        if any(me in a.parties for a in hand.deals("ngo_coordination", statuses=("signed",))):
            return
        for actor in hand.state.actors:
            if actor.kind == "ngo":
                hand.attempt(Propose("ngo_coordination", (me,), {"ngo": actor.id}))
                return

    def leave(self, hand: Hand) -> None:
        """Walk out of coalitions (only the spoiler does)."""

    def obstruct(self, hand: Hand) -> None:
        """Red cards and other obstruction (only the spoiler does)."""

    # --- orders ----------------------------------------------------------------------------

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
        """The operations it would put forces into, best first."""
        state = hand.state
        coalition_ops = {o for c in hand.coalitions() for o in c.operations}
        operations = [
            op for op in state.operations if op.open_at(state.turn) and op.power in self.powers
        ]
        if self.respects_mandate and coalition_ops:
            # Hard power only where the coalition agreed to it (or where told to: its focus).
            operations = [
                op
                for op in operations
                if op.power == "soft" or op.id in coalition_ops or op.id in self.focus
            ]
        units = [u for u in hand.nation.units if state.transfer(u.id) is None]

        def fit(op: Operation) -> float:
            """The share of its requirements this nation's own units could meet."""
            supplied: dict[str, int] = defaultdict(int)
            for unit in units:
                if hand.allowed(unit, op):
                    supplied[unit.capability] += unit.strength
            useful = sum(min(supplied[cap], amount) for cap, amount in op.requirements)
            return useful / max(1, sum(amount for _, amount in op.requirements))

        key = (state.turn, state.transfers, hand.nation.caveats, tuple(o.id for o in operations))
        fits = self.memo("fits", key, lambda: {op.id: fit(op) for op in operations})

        def tier(op: Operation) -> int:
            if op.id in self.focus:
                return 0
            return 1 if op.id in coalition_ops else 2

        ranked = sorted(
            operations,
            key=lambda op: (
                tier(op),
                self.focus.index(op.id) if op.id in self.focus else 0,
                -fits[op.id],
                op.id,
            ),
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
        for operation in self.ranked_operations(hand):
            if self.max_units is not None and (
                plan.units_placed - placed_for_pledges >= self.max_units
            ):
                break
            expected = hand.pledged_by_others(operation.id)
            goal = hand.difficulty(operation) * self.target_ratio - expected
            if operation.id not in self.focus and self.is_hopeless(
                hand, plan, operation, expected, cap
            ):
                continue
            left = None
            if self.max_units is not None:
                left = self.max_units - (plan.units_placed - placed_for_pledges)
            self.fill(hand, plan, operation, goal, cap, max_units=left)
        return plan

    def is_hopeless(
        self, hand: Hand, plan: Plan, operation: Operation, expected: int, cap: int
    ) -> bool:
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
            and hand.allowed(u, operation)
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
        return coverage * min(1.5, strength / difficulty) < self.hopeless

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
                if not plan.affordable(unit, money) or not hand.allowed(unit, operation):
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
