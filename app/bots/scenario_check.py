"""A scenario checked by simulation (issue 19): play it N times with bots and count, per
scripted event, how often it fired and on which turn; per operation, how often it was
completed; per objective, how often it was met at the end; and the range of the peak
escalation and of each coalition's final cohesion. An author sees a dead event or an
unreachable objective before class.

The games are played one at a time (:func:`play_runs` yields each final state), so a
caller with a time budget can stop early and summarise what was played.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from app.bots.simulate import opening_state, play_game, strategy_for
from app.i18n import _
from app.rules.scoring import judge
from app.rules.state import GameState
from app.scenarios.schema import Scenario

__all__ = [
    "Counted",
    "CountedEvent",
    "Range",
    "SimulationCheck",
    "check_runs",
    "format_check",
    "play_runs",
]


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    mean: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Range | None:
        values = list(values)
        if not values:
            return None
        return cls(min(values), max(values), sum(values) / len(values))


@dataclass(frozen=True)
class Counted:
    """How many of the runs something happened in (an operation completed, an
    objective met); ``owner`` is the nation an objective belongs to ("" if shared)."""

    id: str
    name: str
    times: int
    owner: str = ""


@dataclass(frozen=True)
class CountedEvent:
    id: str
    name: str
    times: int
    turns: tuple[tuple[int, int], ...]  # (turn, how many runs it fired on that turn)


@dataclass(frozen=True)
class SimulationCheck:
    runs: int
    asked: int  # runs asked for; fewer were played when time ran out
    strategy: str
    events: tuple[CountedEvent, ...]
    operations: tuple[Counted, ...]
    objectives: tuple[Counted, ...]
    peak_escalation: Range | None
    cohesion: tuple[tuple[str, Range], ...]  # coalition name, its final cohesion
    escalation_max: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)


def play_runs(scenario: Scenario, runs: int, seed: int = 1) -> tuple[str, Iterator[GameState]]:
    """The name of the strategy the bots play (the scenario's default) and the final
    state of each of ``runs`` bot games of ``scenario`` (seeds ``seed``, ``seed + 1``...),
    played as they are read."""
    state = opening_state(scenario, seed=seed)
    plan = strategy_for(scenario, None, state)

    def games() -> Iterator[GameState]:
        for run in range(runs):
            yield play_game(state, plan.bots(state), seed + run)

    return plan.name, games()


def _fired_on(final: GameState) -> dict[str, int]:
    """The turn each fired event fired on (events fired at the opening: turn 1). A turn's
    record lists the injects that fired as the next turn opened."""
    turns: dict[str, int] = {}
    for record in final.records:
        for event_id in record.fired_events:
            turns.setdefault(event_id, record.turn + 1)
    return {event_id: turns.get(event_id, 1) for event_id in final.fired}


def check_runs(
    scenario: Scenario, finals: Iterable[GameState], *, asked: int, strategy: str = ""
) -> SimulationCheck:
    """Count what happened in the final states of played games of ``scenario``."""
    fired: Counter[str] = Counter()
    fired_turns: dict[str, Counter[int]] = {e.id: Counter() for e in scenario.events}
    completed: Counter[str] = Counter()
    met: Counter[tuple[str, str]] = Counter()
    peaks: list[int] = []
    cohesion: dict[str, list[int]] = {}
    played = 0
    for final in finals:
        played += 1
        for event_id, turn in _fired_on(final).items():
            fired[event_id] += 1
            fired_turns.setdefault(event_id, Counter())[turn] += 1
        for operation in final.operations:
            if operation.status == "completed":
                completed[operation.id] += 1
        for nation in final.nations:
            for objective in nation.objectives:
                if judge(final, objective, nation.id).met:
                    met[(nation.id, objective.id)] += 1
        for objective in final.collective_objectives:
            if judge(final, objective).met:
                met[("", objective.id)] += 1
        peaks.append(final.escalation.peak)
        for coalition in final.coalitions:
            cohesion.setdefault(coalition.name, []).append(coalition.cohesion)
    objectives = [
        Counted(o.id, o.text, met[(n.id, o.id)], n.name)
        for n in scenario.nations
        for o in n.objectives
    ] + [Counted(o.id, o.text, met[("", o.id)]) for o in scenario.collective_objectives]
    notes = []
    if played < asked:
        notes.append(
            _(
                "Time ran out: %(played)s of the %(asked)s games asked for were played.",
                played=played,
                asked=asked,
            )
        )
    return SimulationCheck(
        runs=played,
        asked=asked,
        strategy=strategy,
        events=tuple(
            CountedEvent(e.id, e.name, fired[e.id], tuple(sorted(fired_turns[e.id].items())))
            for e in scenario.events
        ),
        operations=tuple(Counted(o.id, o.name, completed[o.id]) for o in scenario.operations),
        objectives=tuple(objectives),
        peak_escalation=Range.of(peaks),
        cohesion=tuple(
            (name, found)
            for name, values in cohesion.items()
            if (found := Range.of(values)) is not None
        ),
        escalation_max=scenario.escalation.max,
        notes=tuple(notes),
    )


def _share(times: int, runs: int) -> str:
    return f"{times}/{runs} ({round(100 * times / runs) if runs else 0}%)"


def format_check(check: SimulationCheck) -> str:
    """The check as plain text, for ``entente simulate``, in the reader's language."""
    lines = [
        _("Scenario check over %(runs)s game(s):", runs=check.runs),
        "",
        _("Events (fired in / on turn):"),
    ]
    for event in check.events:
        turns = ", ".join(
            _("turn %(turn)s x%(times)s", turn=turn, times=n) for turn, n in event.turns
        ) or _("never fired")
        lines.append(f"  {event.name} [{event.id}]: {_share(event.times, check.runs)}; {turns}")
    if not check.events:
        lines.append("  " + _("(no scripted events)"))
    lines += ["", _("Operations completed:")]
    for operation in check.operations:
        lines.append(f"  {operation.name} [{operation.id}]: {_share(operation.times, check.runs)}")
    lines += ["", _("Objectives met at the end:")]
    for objective in check.objectives:
        owner = objective.owner or _("shared")
        met = _share(objective.times, check.runs)
        never = " - " + _("never met") if not objective.times else ""
        lines.append(f"  {owner}: {objective.name} [{objective.id}]: {met}{never}")
    if not check.objectives:
        lines.append("  " + _("(no scored objectives)"))
    lines.append("")
    if check.peak_escalation is not None:
        peak = check.peak_escalation
        lines.append(
            _(
                "Peak escalation: %(low)s-%(high)s (mean %(mean)s) of %(max)s",
                low=f"{peak.low:g}",
                high=f"{peak.high:g}",
                mean=f"{peak.mean:.1f}",
                max=check.escalation_max,
            )
        )
    for name, cohesion in check.cohesion:
        lines.append(
            _(
                "%(coalition)s, final cohesion: %(low)s-%(high)s (mean %(mean)s)",
                coalition=name,
                low=f"{cohesion.low:g}",
                high=f"{cohesion.high:g}",
                mean=f"{cohesion.mean:.0f}",
            )
        )
    lines.extend(check.notes)
    return "\n".join(lines)
