"""The ledger of a resolution (or of injects fired): every change, its reason, who sees it.

Every number a step moves is listed with its reason, at the size it moved: a trust change
is listed per pair (the truster's and the trusted's to see), and where a bound (0-100) or
rounding took part of a change away, that too is a listed change with its reason. So the
changes of a turn add up to what the turn did to each number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import permutations

from app.rules import diplomacy
from app.rules.reasons import Reason, because
from app.rules.records import pair_changes
from app.rules.state import (
    Change,
    Escalation,
    GameState,
    Pair,
    Relation,
    made_relation,
    replace_state,
)
from app.rules.wording.changes import ChangeReason


def ordered_pairs(nations: Sequence[str]) -> Sequence[Pair]:
    """Every ordered pair (a, b) of two of `nations`, a before b as they come: for a in
    nations, for b in nations, a != b."""
    if len(set(nations)) == len(nations):
        return list(permutations(nations, 2))  # the same pairs, in the same order
    return [(a, b) for a in nations for b in nations if a != b]


@dataclass
class Ledger:
    """The changes of one resolution, collected as they are decided."""

    changes: list[Change] = field(default_factory=list)
    support: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    # Trust changes decided but not yet applied, in order: the pairs (truster, trusted)
    # that move by one delta for one reason (every ordered pair of an operation's
    # contributors is one entry, not a thousand).
    trust: list[tuple[Sequence[Pair], int, Reason]] = field(default_factory=list)

    def trust_change(self, nation: str, other: str, delta: int, reason: Reason) -> None:
        """`nation`'s trust in `other` moves by `delta`, for `reason`; collected, then
        applied in one pass by `settle_trust`."""
        if nation != other and delta:
            self.trust.append((((nation, other),), delta, reason))

    def trust_changes_among(self, nations: list[str], delta: int, reason: Reason) -> None:
        """Every nation of `nations` trusts every other by `delta` more: `trust_change` for
        each ordered pair, in that order (with 50 nations at an operation, 2,450 pairs)."""
        if delta:
            self.trust.append((ordered_pairs(nations), delta, reason))

    def settle_trust(self, state: GameState) -> GameState:
        """Apply the collected trust changes, each listed with its reason: a pair's sum,
        kept within 0-100 (what the bounds took off is listed too)."""
        total: dict[tuple[str, str], int] = {}
        summed = total.get
        listed = self.changes.extend  # a resolution lists thousands in a large game
        for pairs, delta, reason in self.trust:
            for pair in pairs:
                total[pair] = summed(pair, 0) + delta
            listed(pair_changes("trust", pairs, delta, reason))
        self.trust.clear()
        table = state.relation_table
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
        changed: dict[tuple[str, str], Relation] = {}
        for pair, delta in total.items():
            relation = relations.get(pair)
            old = relation.trust if relation is not None else 50  # as `state.trust`
            new = max(0, min(100, old + delta))
            if new != old:
                changed[pair] = (
                    Relation(pair[0], pair[1], new, 50)
                    if relation is None
                    else made_relation(
                        pair[0], pair[1], new, relation.alignment, relation.cooperation
                    )
                )
            if new - old != delta:
                self._bounded(pair, new, new - old - delta)
        return replace_state(state, relations=table.replaced(changed)) if changed else state

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
            self.changes.append(Change(subject, round(delta, 3), reason, tuple(visible_to)))

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
            nations.append(replace(nation, domestic_support=new))
        self.support.clear()
        return replace_state(state, nations=tuple(nations))

    def take_pending(self, state: GameState) -> GameState:
        """The changes made between resolutions (kept on the state) join this ledger."""
        self.changes.extend(state.pending_changes)
        return replace_state(state, pending_changes=())

    def keep_pending(self, state: GameState) -> GameState:
        """Changes made outside a resolution (the opening injects, an inject control
        fires) are kept on the state, to be listed in the turn's record."""
        kept = (*state.pending_changes, *self.changes)
        self.changes.clear()
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
