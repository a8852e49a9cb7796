"""Reading the situation: a nation's decision in progress (`Hand`) and what it knows."""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence

from app.rules import actions as acts
from app.rules.actions import Action
from app.rules.resolution import CRISIS_SURCHARGE
from app.rules.state import (
    Agreement,
    AgreementKind,
    Coalition,
    GameState,
    Nation,
    Operation,
    Unit,
)

__all__ = ["AGREEMENTS", "AgreementIndex", "Hand", "PledgeDue"]


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

    def confidence(self, other: str) -> int:
        """Trust in `other`, with credit for a history of cooperation with it: a tenth of
        that history (at most 10 points), so a long record of working together lets a
        partner be dealt with through a passing dip in trust."""
        return self.trust(other) + self.state.cooperation(self.nation_id, other) // 10

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
        turn = self.state.turn
        found = []
        # Bots call this thousands of times a game: the lookup inlined, and no test of
        # the terms when none are asked for.
        for agreement in self._index.of_kind(self.state.agreements, kind, wanted):
            status = agreement.status
            if status not in statuses:
                continue
            if status == "rejected" and agreement.turn != turn:
                continue
            if terms and any(agreement.terms.get(k) != v for k, v in terms.items()):
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
    with its index in one attribute, so a reader never sees one with the other's index.

    Most changes are one proposal appended or one agreement replaced (signed, rejected):
    the index of the previous tuple is then brought up to date rather than rebuilt, which
    gives the same lists (in the tuple's order) for a fraction of the cost. Lists and
    dicts are copied before they change, since a reader may still hold the old ones."""

    # Above this many agreements replaced in place, rebuilding is as cheap (and simpler).
    MAX_REPLACED = 4

    def __init__(self) -> None:
        self._entry: _IndexEntry = ((), {}, {})

    def of_kind(
        self, agreements: tuple[Agreement, ...], kind: str, parties: frozenset[str] | None
    ) -> list[Agreement]:
        entry = self._entry
        if entry[0] is not agreements:
            entry = self._updated(entry, agreements) or self._built(agreements)
            self._entry = entry
        if parties is not None:
            return entry[2].get((kind, parties), [])
        return entry[1].get(kind, [])

    @staticmethod
    def _built(agreements: tuple[Agreement, ...]) -> _IndexEntry:
        by_kind: dict[str, list[Agreement]] = defaultdict(list)
        by_parties: dict[tuple[str, frozenset[str]], list[Agreement]] = defaultdict(list)
        for agreement in agreements:
            by_kind[agreement.kind].append(agreement)
            by_parties[(agreement.kind, frozenset(agreement.parties))].append(agreement)
        return (agreements, dict(by_kind), dict(by_parties))

    def _updated(self, entry: _IndexEntry, agreements: tuple[Agreement, ...]) -> _IndexEntry | None:
        """`entry` brought up to `agreements`, when these are its tuple with a few
        agreements replaced (same kind and parties) and others appended; else None."""
        old, old_by_kind, old_by_parties = entry
        if not old or len(agreements) < len(old):
            return None
        same = list(map(operator.is_, old, agreements))  # identity, pairwise, in C
        replaced = len(same) - sum(same)
        if replaced > self.MAX_REPLACED:
            return None
        by_kind = dict(old_by_kind)
        by_parties = dict(old_by_parties)
        start = 0
        for _ in range(replaced):
            i = same.index(False, start)
            start = i + 1
            before, after = old[i], agreements[i]
            key = (before.kind, frozenset(before.parties))
            if after.kind != before.kind or frozenset(after.parties) != key[1]:
                return None
            by_kind[key[0]] = _swapped(by_kind[key[0]], before, after)
            by_parties[key] = _swapped(by_parties[key], before, after)
        for agreement in agreements[len(old) :]:
            key = (agreement.kind, frozenset(agreement.parties))
            by_kind[key[0]] = [*by_kind.get(key[0], ()), agreement]
            by_parties[key] = [*by_parties.get(key, ()), agreement]
        return (agreements, by_kind, by_parties)


_IndexEntry = tuple[
    tuple[Agreement, ...],
    dict[str, list[Agreement]],
    dict[tuple[str, frozenset[str]], list[Agreement]],
]


def _swapped(agreements: list[Agreement], before: Agreement, after: Agreement) -> list[Agreement]:
    """A copy of `agreements` with `before` (by identity) replaced by `after`."""
    return [after if a is before else a for a in agreements]


AGREEMENTS = AgreementIndex()


class PledgeDue:
    """A force pledge this nation means to deliver this turn."""

    __slots__ = ("agreement_id", "operation_id", "strength")

    def __init__(self, agreement_id: str, operation_id: str, strength: int) -> None:
        self.agreement_id = agreement_id
        self.operation_id = operation_id
        self.strength = strength
