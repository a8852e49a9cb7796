"""The syndicates of one exercise, side by side."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from app import rules
from app.i18n import _
from app.services.aar.series import END, Line, Point, Series, game_points, series_over

StoredGame = tuple[str, str, int | None, str, dict[str, Any], list[tuple[int, str, dict[str, Any]]]]
"""One syndicate's game as read: id, name, syndicate, status, state, stored turn states."""


@dataclass(frozen=True)
class SyndicateSummary:
    game_id: str
    name: str
    syndicate: int | None
    status: str
    turn: int
    turns: int
    phase: str
    collective: int
    collective_available: int
    scores: dict[str, int]  # nation id -> score
    escalation_peak: int
    operations_completed: int
    operations_total: int
    mean_cohesion: float | None  # over every point with an active coalition
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Comparison:
    exercise_id: str
    title: str
    scenario_title: str
    nations: tuple[tuple[str, str], ...]  # every nation of any syndicate: (id, name)
    syndicates: tuple[SyndicateSummary, ...]
    threshold: int
    max_level: int

    @property
    def escalation(self) -> Series:
        """Escalation per point, one line per syndicate, over every syndicate's points."""
        keys: dict[str, Point] = {}
        for summary in self.syndicates:
            for point in summary.points:
                keys.setdefault(point.key, point)
        ordered = sorted(keys.values(), key=lambda p: (p.turn, p.key == END))
        lines = []
        for summary in self.syndicates:
            by_key = {p.key: p.escalation for p in summary.points}
            label = (
                _("Syndicate %(number)s", number=summary.syndicate)
                if summary.syndicate
                else summary.name
            )
            lines.append(Line(summary.game_id, label, tuple(by_key.get(p.key) for p in ordered)))
        return series_over(ordered, lines)


def summarise(
    game_id: str,
    name: str,
    syndicate: int | None,
    status: str,
    state: rules.GameState,
    points: Sequence[Point],
) -> SyndicateSummary:
    collective, _judged = rules.collective_score(state)
    cohesions = [c for p in points if (c := p.mean_cohesion) is not None]
    return SyndicateSummary(
        game_id=game_id,
        name=name,
        syndicate=syndicate,
        status=status,
        turn=state.turn,
        turns=state.turns,
        phase=state.phase.value,
        collective=collective,
        collective_available=sum(o.points for o in state.collective_objectives),
        scores={n.id: rules.nation_score(state, n.id)[0] for n in state.nations},
        escalation_peak=state.escalation.peak,
        operations_completed=sum(o.status == "completed" for o in state.operations),
        operations_total=len(state.operations),
        mean_cohesion=sum(cohesions) / len(cohesions) if cohesions else None,
        points=tuple(points),
    )


def exercise_title(names: Sequence[str]) -> str:
    """The exercise's name: its games' names without " — syndicate N"."""
    stems = {n.rsplit(" — syndicate ", 1)[0] for n in names}
    return stems.pop() if len(stems) == 1 else ""


def build_comparison(
    exercise_id: str, scenario_title: str, games: Sequence[StoredGame]
) -> Comparison:
    """The comparison of an exercise's games, from their states and stored turn states."""
    summaries = []
    nations: dict[str, str] = {}
    threshold = max_level = 0
    for game_id, name, syndicate, status, data, stored in games:
        state = rules.state_from_dict(data)
        snapshots = [(t, p, rules.state_from_dict(s)) for t, p, s in stored]
        points = game_points(snapshots, state)
        summaries.append(summarise(game_id, name, syndicate, status, state, points))
        for nation in state.nations:
            nations.setdefault(nation.id, nation.name)
        threshold, max_level = state.escalation.threshold, state.escalation.max
    return Comparison(
        exercise_id=exercise_id,
        title=exercise_title([s.name for s in summaries]),
        scenario_title=scenario_title,
        nations=tuple(nations.items()),
        syndicates=tuple(summaries),
        threshold=threshold,
        max_level=max_level,
    )
