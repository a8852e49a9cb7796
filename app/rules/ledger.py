"""The ledger of a resolution (or of injects fired): every change, its reason, who sees it.

Every number a step moves is listed with its reason, at the size it moved: a trust change
is listed per pair (the truster's and the trusted's to see), and where a bound (0-100) or
rounding took part of a change away, that too is a listed change with its reason. So the
changes of a turn add up to what the turn did to each number.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from operator import mul

from app.rules import diplomacy
from app.rules.reasons import Reason, because
from app.rules.records import PairChanges, in_order, made_change, ordered_pairs, pair_changes
from app.rules.state import (
    Change,
    Escalation,
    GameState,
    Pair,
    Relations,
    made_relations,
    moved_relations,
    moved_values,
    nation_replaced,
    replace_state,
)
from app.rules.wording.changes import ChangeReason

Moves = list[tuple[Iterable[Pair], int, Reason, tuple[str, ...] | None]]
"""In order: the pairs (truster, trusted) that move by one delta for one reason, and the
nations whose every ordered pair they are (None: the pairs as given)."""


def summed(moves: Moves) -> Counter[Pair]:
    """Each pair's total delta over `moves`, in order (a pair joins at its first move).
    A group's pairs are counted in C, not added one by one in Python (a joint success of
    40 nations is 1,560 pairs, a turn's some 12,000): by one, into the totals; by another
    delta (a joint success's cooperation), a run of them counted, then multiplied once.
    Whole numbers: the same totals."""
    total: Counter[Pair] = Counter()
    run: Counter[Pair] = Counter()
    run_delta = 0
    for pairs, delta, _, nations in moves:
        if run and (nations is None or delta != run_delta):
            total, run = _added(total, run, run_delta), Counter()
        if nations is None:
            get = total.get
            for pair in pairs:
                total[pair] = get(pair, 0) + delta
        elif delta == 1:
            total.update(ordered_pairs(nations))
        else:
            run_delta = delta
            run.update(ordered_pairs(nations))
    return _added(total, run, run_delta) if run else total


def _added(total: Counter[Pair], counts: Counter[Pair], delta: int) -> Counter[Pair]:
    """`total` with each pair of `counts` moved by its count times `delta`, in order."""
    if not total:  # the run's totals, made in C
        dict.update(total, zip(counts, map(mul, counts.values(), repeat(delta)), strict=True))
        return total
    get = total.get
    for pair, count in counts.items():
        total[pair] = get(pair, 0) + count * delta
    return total


@dataclass
class Unsettled:
    """Trust moved by a settle but not yet in the state (`Ledger.settle_trust`'s `later`):
    `base`, the relations it moves; `trust`, each moved pair's new trust, in order;
    `read`, the pairs whose relations the state holds in the meantime (what is read
    before they are settled), in the table `shown`."""

    base: Relations
    trust: dict[Pair, int]
    read: frozenset[Pair]
    shown: Relations

    def show(self) -> Relations:
        """`base` with the moved trust of the pairs of `read`: kept as `shown`."""
        read, trust, base = self.read, self.trust, self.base
        positions = base.positions
        if positions is not None and read <= positions.keys():
            # Each read pair has its place in `base`, so the order they are put in does not
            # matter: the few read pairs are looked up, not the thousands moved scanned.
            between = {p: trust[p] for p in read if p in trust}
        else:  # pairs new to the table join at the end, in the order they moved
            between = {p: t for p, t in trust.items() if p in read}
        self.shown = base.replaced(made_relations(base.by_pair, between, {})) if between else base
        return self.shown


@dataclass
class Ledger:
    """The changes of one resolution, collected as they are decided."""

    changes: list[Change] = field(default_factory=list)
    # Changes listed once for every pair of a group (a joint success's contributors), each
    # at its place among `changes` (`TurnRecord.pairs`).
    pairs: list[PairChanges] = field(default_factory=list)
    support: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    # Trust changes decided but not yet applied, in order: the pairs (truster, trusted)
    # that move by one delta for one reason (every ordered pair of an operation's
    # contributors is one entry, not a thousand), and the nations whose every pair they
    # are (None: a single pair).
    trust: Moves = field(default_factory=list)
    # Trust moves settled but not yet in the state: see `settle_trust`.
    unsettled: Unsettled | None = None

    def trust_change(self, nation: str, other: str, delta: int, reason: Reason) -> None:
        """`nation`'s trust in `other` moves by `delta`, for `reason`; collected, then
        applied in one pass by `settle_trust`."""
        if nation != other and delta:
            self.trust.append((((nation, other),), delta, reason, None))

    def trust_changes_among(self, nations: list[str], delta: int, reason: Reason) -> None:
        """Every nation of `nations` trusts every other by `delta` more: `trust_change` for
        each ordered pair, in that order (with 50 nations at an operation, 2,450 pairs),
        listed once (`PairChanges`)."""
        if delta:
            self.trust.append((ordered_pairs(nations), delta, reason, tuple(nations)))

    def settle_trust(self, state: GameState, later: frozenset[Pair] | None = None) -> GameState:
        """Apply the collected trust changes, each listed with its reason: a pair's sum,
        kept within 0-100 (what the bounds took off is listed too).

        `later` (or a settle already put off): the new trusts are kept here, to be put in
        the relations by `settled` together with the next moves (the history of
        cooperation, on the same pairs), each moved pair's relation made once; until then
        the state holds them for the pairs of `later` only (all that is read in the
        meantime)."""
        total = summed(self.trust)
        for pairs, delta, reason, nations in self.trust:
            self.listed("trust", pairs, delta, reason, nations)
        self.trust.clear()
        unsettled = self.unsettled
        table = state.relation_table
        if unsettled is not None or (later is not None and table.positions is not None):
            if unsettled is None:
                unsettled = Unsettled(table, {}, later or frozenset(), table)
                self.unsettled = unsettled
            else:
                assert table is unsettled.shown, "relations moved while trust was unsettled"
                unsettled.read |= later or frozenset()
            values, bounded = moved_values(unsettled.base.by_pair, total, moved=unsettled.trust)
            for pair, new, taken in bounded:
                self._bounded(pair, new, taken)
            unsettled.trust.update(values)
            return replace_state(state, relations=unsettled.show())
        relations = table.by_pair
        if table.positions is None:  # a pair listed twice: the one-by-one way
            moved: dict[tuple[str, str], int] = {}
            for pair, delta in total.items():
                relation = relations.get(pair)
                old = relation.trust if relation is not None else 50  # as `state.trust`
                new = max(0, min(100, old + delta))
                moved[pair] = new - old
                self._bounded(pair, new, new - old - delta)
            return diplomacy.adjust_trust_many(state, moved)
        # The new trusts are known here: set them, rather than move them again (as
        # `Relations.with_trust`, in the same pass).
        changed, bounded = moved_relations(relations, total)
        for pair, new, taken in bounded:
            self._bounded(pair, new, taken)
        return replace_state(state, relations=table.replaced(changed)) if changed else state

    def settled(
        self, state: GameState, moves: Mapping[Pair, int], cooperation: bool = False
    ) -> tuple[GameState, list[tuple[Pair, int, int]]]:
        """`state` with the trust moves put off (`settle_trust`'s `later`) and `moves` to
        each pair's trust (or history of `cooperation`) put in its relations, each made
        once, kept within 0-100; and (pair, new value, what the bounds took off) where
        they took part of a move, for the caller to list."""
        unsettled, self.unsettled = self.unsettled, None
        if unsettled is None:
            table = state.relation_table
            changed, bounded = moved_relations(table.by_pair, moves, cooperation)
            if not changed:
                return state, bounded
            if table.positions is not None:
                return replace_state(state, relations=table.replaced(changed)), bounded
            kept = [changed.pop((r.nation, r.other), r) for r in state.relations]
            return replace_state(state, relations=Relations([*kept, *changed.values()])), bounded
        assert state.relation_table is unsettled.shown, "relations moved while unsettled"
        base = unsettled.base
        trust = unsettled.trust
        values, bounded = moved_values(
            base.by_pair, moves, cooperation, None if cooperation else trust
        )
        if not cooperation:
            trust.update(values)
            values = {}
        # Each pair's relation made once, in order: as if the settles had been one by one.
        changed = made_relations(base.by_pair, trust, values)
        relations = base.replaced(changed) if changed else base
        return replace_state(state, relations=relations), bounded

    def listed(
        self,
        kind: str,
        pairs: Iterable[Pair],
        delta: float,
        reason: Reason,
        nations: tuple[str, ...] | None,
    ) -> None:
        """List each pair's change of `kind` by `delta` for `reason` (the pair's to see): once
        for all of them if they are every pair of `nations`, else one by one."""
        if nations is None:
            self.changes.extend(pair_changes(kind, pairs, delta, reason))
        else:
            self.pairs.append(PairChanges(kind, nations, delta, reason, len(self.changes)))

    def _bounded(self, pair: tuple[str, str], new: int, taken: int) -> None:
        """What the bounds took off a pair's trust change (none: nothing listed)."""
        self.add(
            f"trust:{pair[0]}>{pair[1]}",
            taken,
            because(ChangeReason.TRUST_AT_LIMIT, limit=new),
            pair,
        )

    def add(
        self, subject: str, delta: float, reason: Reason, visible_to: Iterable[str] = ()
    ) -> None:
        if delta:
            self.changes.append(made_change(subject, round(delta, 3), reason, tuple(visible_to)))

    def support_change(
        self, nation_id: str, delta: float, reason: Reason, public: bool = True
    ) -> None:
        if delta:
            self.support[nation_id] += delta
            self.add(f"support:{nation_id}", delta, reason, () if public else (nation_id,))

    def settled_support(self, state: GameState) -> GameState:
        """Apply the collected support changes, kept within 0-100 and to whole points;
        what the bounds or the rounding took off is listed too."""
        nations = []
        for nation in state.nations:
            moved = nation.domestic_support + self.support.get(nation.id, 0)
            new = round(min(100, max(0, moved)))
            if abs(new - moved) > 1e-9:
                self.add(
                    f"support:{nation.id}",
                    new - moved,
                    because(ChangeReason.SUPPORT_AT_LIMIT, limit=new)
                    if new in (0, 100)
                    else because(ChangeReason.ROUNDED),
                )
            nations.append(nation_replaced(nation, domestic_support=new))
        self.support.clear()
        return replace_state(state, nations=tuple(nations))

    def take_pending(self, state: GameState) -> GameState:
        """The changes made between resolutions (kept on the state) join this ledger."""
        self.changes.extend(state.pending_changes)
        return replace_state(state, pending_changes=())

    def keep_pending(self, state: GameState) -> GameState:
        """Changes made outside a resolution (the opening injects, an inject control
        fires) are kept on the state, to be listed in the turn's record (each pair's
        change on its own)."""
        kept = (*state.pending_changes, *in_order(self.changes, self.pairs))
        self.changes.clear()
        self.pairs.clear()
        return replace_state(state, pending_changes=kept)

    def escalation_moved(self, before: Escalation, after: Escalation, since: int) -> None:
        """Escalation pressure becomes whole points of level (and is lost at either end of
        the ladder): listed, so both the level's and the pressure's changes add up. The
        changes the step listed from `since` on are counted, not listed twice."""
        step = self.changes[since:]
        pressed = sum(c.delta for c in step if c.subject == "escalation pressure")
        # A level change the step listed itself (markers of a threshold are not changes).
        listed = sum(c.delta for c in step if c.subject == "escalation" and abs(c.delta) >= 0.001)
        steps = after.level - before.level - listed
        if steps:
            why = because(ChangeReason.PRESSURE_TO_LEVEL, steps=steps)
            self.add("escalation", steps, why)
            self.add("escalation pressure", -steps, why)
        lost = (after.pressure + after.level) - (before.pressure + before.level) - pressed - listed
        if abs(lost) >= 0.0005:
            self.add("escalation pressure", lost, because(ChangeReason.PRESSURE_AT_LADDER_END))
