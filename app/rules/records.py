"""What a turn leaves behind: each operation's explained outcome and the turn's record."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import permutations
from typing import Annotated, Literal

from pydantic import BeforeValidator

from app.rules.reasons import StoredReason

Result = Literal["success", "partial", "failure", "not_attempted"]


@dataclass(frozen=True, slots=True)  # slots: a large game's turn lists thousands
class Change:
    """One explained change to a number: who or what, by how much, and why."""

    subject: str  # "support:arvenia", "trust:arvenia>cardosa", "cohesion:c1", "escalation"
    delta: float
    reason: StoredReason
    # Nations that may see it; empty means everyone.
    visible_to: tuple[str, ...] = ()


# The slots' setters: `pair_changes` fills them directly.
_CHANGE_SLOTS = tuple(getattr(Change, name).__set__ for name in Change.__slots__)
assert Change.__slots__ == ("subject", "delta", "reason", "visible_to")


def made_change(
    subject: str, delta: float, reason: StoredReason, visible_to: tuple[str, ...]
) -> Change:
    """`Change(subject, delta, reason, visible_to)`, equal in every way, made as
    `pair_changes` makes them (a large game's turn lists thousands)."""
    change: Change = object.__new__(Change)
    set_subject, set_delta, set_reason, set_visible = _CHANGE_SLOTS
    set_subject(change, subject)
    set_delta(change, delta)
    set_reason(change, reason)
    set_visible(change, visible_to)
    return change


def pair_changes(
    kind: str, pairs: Iterable[tuple[str, str]], delta: float, reason: StoredReason
) -> list[Change]:
    """For each pair (a, b), `Change(f"{kind}:{a}>{b}", delta, reason, (a, b))` (the
    pair's to see), equal in every way, made without the frozen dataclass's `__init__`:
    its checked assignments are half the cost of a change, and a large game's turn lists
    tens of thousands of changes, one per pair."""
    new = object.__new__
    set_subject, set_delta, set_reason, set_visible = _CHANGE_SLOTS
    changes: list[Change] = []
    listed = changes.append
    for pair in pairs:
        change = new(Change)
        set_subject(change, f"{kind}:{pair[0]}>{pair[1]}")
        set_delta(change, delta)
        set_reason(change, reason)
        set_visible(change, pair)
        listed(change)
    return changes


def ordered_pairs(nations: Sequence[str]) -> Iterable[tuple[str, str]]:
    """Every ordered pair (a, b) of two of `nations`, a before b as they come: for a in
    nations, for b in nations, a != b. Made as they are read (once): a joint success of
    40 nations is 1,560 pairs, most of them read only to be summed."""
    if len(set(nations)) == len(nations):
        return permutations(nations, 2)  # the same pairs, in the same order
    return [(a, b) for a in nations for b in nations if a != b]


@dataclass(frozen=True, slots=True)
class PairChanges:
    """One change for one reason to a number of every ordered pair of `nations` (a joint
    success moves the trust and cooperation of each two of its contributors), listed once
    rather than a `Change` per pair: with 40 contributors, 1,560 pairs. Each pair's change
    is `Change(f"{kind}:{a}>{b}", delta, reason, (a, b))`, the pair's to see. `at`: where
    it comes among its record's `changes` (before the change at that index)."""

    kind: str  # "trust", "cooperation"
    nations: tuple[str, ...]
    delta: float
    reason: StoredReason
    at: int

    def changes(self) -> list[Change]:
        """Each pair's change, in the order of `ordered_pairs`."""
        return pair_changes(self.kind, ordered_pairs(self.nations), self.delta, self.reason)

    def seen_by(self, nation: str | None) -> list[Change]:
        """The changes of the pairs `nation` is in (those it may see), in the same order:
        a pass over the nations, not over the pairs."""
        nations = self.nations
        times = nations.count(nation) if nation is not None else 0
        if nation is None or not times:
            return []
        pairs: list[tuple[str, str]] = []
        for a in nations:
            if a == nation:
                pairs.extend((a, b) for b in nations if b != a)
            else:
                pairs.extend([(a, nation)] * times)
        return pair_changes(self.kind, pairs, self.delta, self.reason)


def in_order(
    changes: Sequence[Change],
    groups: Sequence[PairChanges],
    expand: Callable[[PairChanges], list[Change]] = PairChanges.changes,
) -> list[Change]:
    """`changes` with each group's changes (`expand`ed) at its place: the changes as they
    were listed."""
    if not groups:
        return list(changes)
    listed: list[Change] = []
    start = 0
    for group in groups:
        listed.extend(changes[start : group.at])
        start = max(start, group.at)
        listed.extend(expand(group))
    listed.extend(changes[start:])
    return listed


AdversaryMoveKind = Literal[
    "answer",
    "red_line",
    "probe",
    "drift",
    "miscalculation",
    "back_down",
    # The red cell's own initiatives (app/rules/red_cell.py).
    "escalate",
    "signal",
    "offer_talks",
]


@dataclass(frozen=True)
class AdversaryMove:
    """One move of the adversary in a turn: what it did, the escalation pressure it puts
    on the ladder, and why (the reason's parameters are its factors)."""

    kind: AdversaryMoveKind
    pressure: float
    reason: StoredReason


@dataclass(frozen=True)
class TurnRecord:
    """The measures of the game after a turn: for the review, charts and simulations."""

    turn: int
    escalation: int
    support: dict[str, int]
    budget: dict[str, int]
    cohesion: dict[str, int]
    mean_trust: dict[str, float]  # how much the others trust each nation, on average
    burden: dict[str, int]  # cost each nation carried this turn
    fairness: dict[str, float]  # per coalition, 1 = every member carried its fair share
    changes: tuple[Change, ...] = ()
    fired_events: tuple[str, ...] = ()
    # What the adversary did this turn, each move with its pressure and its reason.
    adversary: tuple[AdversaryMove, ...] = ()
    # Control's feedback to each nation on this turn (nation id -> text), kept for its
    # Review tab; each nation sees its own only.
    feedback: dict[str, str] = field(default_factory=dict)
    # Changes listed once for every pair of a group of nations (`PairChanges`), each at its
    # place among `changes`: `listed` gives them all in order. Records stored before these
    # list every pair among `changes`, and load with none.
    pairs: tuple[PairChanges, ...] = ()

    def listed(
        self, expand: Callable[[PairChanges], list[Change]] = PairChanges.changes
    ) -> list[Change]:
        """Every change of the turn, in the order listed (each group `expand`ed: by default
        into every pair's change)."""
        return in_order(self.changes, self.pairs, expand)


# The factors' names as games stored them before names were codes (`FactorName`).
_FACTOR_NAMES_BEFORE_CODES = {
    "capability match": "capability_match",
    "command unity": "command_unity",
    "national caveats": "national_caveats",
    "local cooperation": "local_cooperation",
    "force ratio": "force_ratio",
    "control's adjudication": "control_adjudication",
}


def _factor_code(value: object) -> object:
    return _FACTOR_NAMES_BEFORE_CODES.get(value, value) if isinstance(value, str) else value


# A `FactorName` code; an old stored name loads as its code.
FactorCode = Annotated[str, BeforeValidator(_factor_code)]


@dataclass(frozen=True)
class Factor:
    """One multiplier or term of a computed number: its name (a `FactorName` code), its
    value, and what it measured."""

    name: FactorCode
    value: float
    detail: StoredReason


@dataclass(frozen=True)
class Contribution:
    nation_id: str
    unit_ids: tuple[str, ...]
    strength: int
    cost: int
    shared: int = 0  # cost another nation paid under a cost-sharing agreement


@dataclass(frozen=True)
class Outcome:
    """The explained result of one operation in one turn."""

    turn: int
    operation_id: str
    result: Result
    effectiveness: float
    probability_success: float
    probability_partial: float
    roll: float | None
    factors: tuple[Factor, ...]
    contributions: tuple[Contribution, ...]
    escalation_change: float  # the pressure this operation puts on the escalation ladder
    summary: StoredReason
    casualties: dict[str, int] = field(default_factory=dict)
    civilian_harm: bool = False
    coalition_id: str | None = None
