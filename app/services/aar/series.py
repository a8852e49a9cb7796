"""The review's measures over time: the game's points, the charts' series, the burden carried."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app import rules
from app.i18n import _
from app.rules.state import TurnRecord
from app.services.game_results import LoggedEvent

END = "end"


@dataclass(frozen=True)
class Point:
    """The measures of a game at one moment: as a turn opened, or as the game ended."""

    key: str  # the replay's ?turn= value: "1", "2", ... or "end"
    label: str  # "Turn 1", "End"
    short: str  # "T1", "End": the charts' x axis
    turn: int
    escalation: int
    support: dict[str, int]
    budget: dict[str, int]
    cohesion: dict[str, int]  # the coalitions active then
    mean_trust: dict[str, float]  # how much the others trust each nation, on average
    # The whole state when the point comes from a stored turn state; None when it was
    # rebuilt from a turn's record (games that predate the turn states).
    state: rules.GameState | None = None

    @property
    def mean_cohesion(self) -> float | None:
        values = list(self.cohesion.values())
        return sum(values) / len(values) if values else None


def _labels(key: str) -> tuple[str, str]:
    if key == END:
        return _("End"), _("End")
    return _("Turn %(turn)s", turn=key), _("T%(turn)s", turn=key)


def mean_trust(state: rules.GameState) -> dict[str, float]:
    """As the rules record it: the mean of every other nation's trust in each nation."""
    ids = [n.id for n in state.nations]
    means = {}
    for nation_id in ids:
        trusts = [state.trust(other, nation_id) for other in ids if other != nation_id]
        means[nation_id] = round(sum(trusts) / len(trusts), 2) if trusts else 0.0
    return means


def point_of_state(state: rules.GameState, key: str) -> Point:
    label, short = _labels(key)
    return Point(
        key=key,
        label=label,
        short=short,
        turn=state.turn,
        escalation=state.escalation.level,
        support={n.id: n.domestic_support for n in state.nations},
        budget={n.id: n.budget for n in state.nations},
        cohesion={c.id: c.cohesion for c in state.coalitions if c.active},
        mean_trust=mean_trust(state),
        state=state,
    )


def point_of_record(record: TurnRecord, key: str) -> Point:
    label, short = _labels(key)
    return Point(
        key=key,
        label=label,
        short=short,
        turn=record.turn if key == END else record.turn + 1,
        escalation=record.escalation,
        support=dict(record.support),
        budget=dict(record.budget),
        cohesion=dict(record.cohesion),
        mean_trust=dict(record.mean_trust),
    )


def game_points(
    snapshots: Sequence[tuple[int, str, rules.GameState]], state: rules.GameState
) -> list[Point]:
    """The game's points in time order: the state as each turn opened and as the game
    ended, from the stored turn states (`snapshots`: turn, phase, state, in the order
    they were stored). Where a turn has no stored state (a game older than the turn
    states), the record of the turn before stands in: its measures after resolution."""
    points: dict[str, Point] = {}
    for turn, phase, snapshot in snapshots:
        key = END if phase == rules.Phase.ENDED.value else str(turn)
        if phase in (rules.Phase.ORDERS.value, rules.Phase.ENDED.value) and key not in points:
            points[key] = point_of_state(snapshot, key)
    for record in state.records:
        key = END if record.turn >= state.turns else str(record.turn + 1)
        if key not in points:
            points[key] = point_of_record(record, key)
    return sorted(points.values(), key=lambda p: (p.turn, p.key == END))


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Series:
    """Lines over the game's points (one value per point, None where there is none)."""

    labels: tuple[str, ...]  # short: the x axis
    names: tuple[str, ...]  # long: the data tables
    lines: tuple[Line, ...]


def series_over(points: Sequence[Point], lines: Iterable[Line]) -> Series:
    return Series(tuple(p.short for p in points), tuple(p.label for p in points), tuple(lines))


def escalation_series(points: Sequence[Point]) -> Series:
    return series_over(
        points, [Line("escalation", _("Escalation"), tuple(p.escalation for p in points))]
    )


def support_series(points: Sequence[Point], state: rules.GameState) -> Series:
    return series_over(
        points,
        [Line(n.id, n.name, tuple(p.support.get(n.id) for p in points)) for n in state.nations],
    )


def trust_series(points: Sequence[Point], state: rules.GameState) -> Series:
    return series_over(
        points,
        [Line(n.id, n.name, tuple(p.mean_trust.get(n.id) for p in points)) for n in state.nations],
    )


def cohesion_series(points: Sequence[Point], state: rules.GameState) -> Series:
    """One line per coalition that ever existed; gaps where it did not (yet, or any more)."""
    return series_over(
        points,
        [
            Line(c.id, c.name, tuple(p.cohesion.get(c.id) for p in points))
            for c in state.coalitions
            if any(c.id in p.cohesion for p in points)
        ],
    )


@dataclass(frozen=True)
class Burden:
    """What each nation spent on operations in each resolved turn (the turn's cost after
    cost-sharing, as `turn_resolved` reports it) and its share of that turn's total."""

    turns: tuple[int, ...]
    spent: tuple[dict[str, int], ...]  # one per turn: nation id -> cost carried
    nations: tuple[tuple[str, str], ...]  # (id, name)
    fair: dict[str, float]  # each nation's fair share: its part of the economic capacity

    def total(self, index: int) -> int:
        return sum(max(0, v) for v in self.spent[index].values())

    def share(self, index: int, nation_id: str) -> float | None:
        total = self.total(index)
        return max(0, self.spent[index].get(nation_id, 0)) / total if total else None

    def overall(self, nation_id: str) -> float | None:
        """The nation's share of everything spent over the game."""
        total = sum(self.total(i) for i in range(len(self.turns)))
        mine = sum(max(0, s.get(nation_id, 0)) for s in self.spent)
        return mine / total if total else None


def burden(events: Sequence[LoggedEvent], state: rules.GameState) -> Burden:
    spent: dict[int, dict[str, int]] = {}
    for logged in events:
        if logged.event.kind == rules.EventKind.TURN_RESOLVED:
            data = logged.event.data
            spent[int(data["turn"])] = {str(k): int(v) for k, v in data.get("spent", {}).items()}
    for record in state.records:  # a resolution missing from the log: its record stands in
        spent.setdefault(record.turn, dict(record.burden))
    capacity = sum(n.capacity for n in state.nations)
    return Burden(
        turns=tuple(sorted(spent)),
        spent=tuple(spent[t] for t in sorted(spent)),
        nations=tuple((n.id, n.name) for n in state.nations),
        fair={n.id: n.capacity / capacity if capacity else 0.0 for n in state.nations},
    )
