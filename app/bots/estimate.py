"""The staff estimate: a Monte Carlo forecast of one nation's current orders.

From what the nation may see (`app.rules.belief.belief_state`, never the real state), the
rest of the turn is played `runs` times: bots choose every other nation's orders and
deals, the nation's own orders stay as given, the rules resolve the turn with the
estimate's own dice. With `horizon="game"` the games go on to the end, a bot playing the
nation too from the next turn. Each run is measured (operation results and what drove
them, the nation's coalitions, escalation, its objectives, its government) and the runs
are summed up as shares with a 95% interval and the number of games behind each.

A what-if is the same estimate from draft orders (`draft`: unit -> operation or None);
the same seed gives both estimates the same dice (common random numbers), so their
difference is the orders', not the luck's.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from app.bots.personalities import PERSONALITIES, make_bot
from app.bots.simulate import play_game
from app.rules import actions as acts
from app.rules import scoring
from app.rules.belief import ASSUMPTIONS, belief_state
from app.rules.records import Outcome
from app.rules.state import GameState, Phase
from app.rules.wording.base import N_, gettext

Horizon = Literal["turn", "game"]
HORIZONS: tuple[Horizon, ...] = ("turn", "game")
DEFAULT_RUNS = 200
MAX_RUNS = 1000
# The others play this unless the nation asks for another assumption about them.
DEFAULT_OTHERS = "cooperative"
Z95 = 1.96


class EstimateRefused(ValueError):
    """An estimate that cannot be made (not the orders phase, an unknown nation...)."""


@dataclass(frozen=True)
class Share:
    """How often something happened: `hits` of `n` games, with a 95% Wilson interval."""

    hits: int
    n: int

    @property
    def p(self) -> float:
        return self.hits / self.n if self.n else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        if not self.n:
            return (0.0, 1.0)
        p, n, z2 = self.p, self.n, Z95 * Z95
        centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
        return (max(0.0, centre - half), min(1.0, centre + half))

    @property
    def margin(self) -> float:
        """Half the interval's width: the "± x" an estimate is read with."""
        low, high = self.interval
        return (high - low) / 2


@dataclass(frozen=True)
class Driver:
    """One factor of an operation's effectiveness across the games it was attempted in:
    its mean multiplier and the range of the middle 80% of games."""

    factor: str
    mean: float
    low: float
    high: float

    @property
    def pull(self) -> float:
        """How far it moves effectiveness (0: not at all), up or down."""
        return abs(math.log(self.mean)) if self.mean > 0 else math.inf


@dataclass(frozen=True)
class OperationForecast:
    operation_id: str
    name: str
    mine: bool  # the nation has forces on it in the orders estimated
    success: Share
    partial: Share
    failure: Share
    not_attempted: Share
    completed: Share  # completed by the end of the horizon
    drivers: tuple[Driver, ...]  # the factors that matter most first


@dataclass(frozen=True)
class CoalitionForecast:
    coalition_id: str
    name: str
    loses_member: Share
    collapses: Share


@dataclass(frozen=True)
class ObjectiveForecast:
    objective_id: str
    text: str
    secret: bool
    met: Share


@dataclass(frozen=True)
class EscalationRange:
    low: int  # 10th percentile
    median: int
    high: int  # 90th percentile
    least: int
    most: int
    crisis_max: int


@dataclass(frozen=True)
class Estimate:
    nation_id: str
    turn: int
    horizon: Horizon
    runs: int
    seed: int
    others: str
    orders: tuple[tuple[str, str], ...]  # (unit, operation) estimated
    operations: tuple[OperationForecast, ...]
    coalitions: tuple[CoalitionForecast, ...]
    escalation: EscalationRange
    objectives: tuple[ObjectiveForecast, ...]
    government_change: Share
    assumptions: tuple[str, ...] = ASSUMPTIONS
    refused: tuple[tuple[str, str], ...] = ()  # draft orders the rules refused: (unit, why)

    def operation(self, operation_id: str) -> OperationForecast | None:
        return next((o for o in self.operations if o.operation_id == operation_id), None)


@dataclass
class Tally:
    """The runs' measures, added up as they come in (a worker plays a chunk of the games
    and returns its tally; `merge` adds chunks up)."""

    runs: int = 0
    results: dict[str, dict[str, int]] = field(default_factory=dict)
    completed: dict[str, int] = field(default_factory=dict)
    factors: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    lost_member: dict[str, int] = field(default_factory=dict)
    collapsed: dict[str, int] = field(default_factory=dict)
    escalation: list[int] = field(default_factory=list)
    objectives: dict[str, int] = field(default_factory=dict)
    government_changes: int = 0

    def merge(self, other: Tally) -> Tally:
        merged = Tally(
            runs=self.runs + other.runs,
            escalation=[*self.escalation, *other.escalation],
            government_changes=self.government_changes + other.government_changes,
        )
        for mine, theirs, into in (
            (self.completed, other.completed, merged.completed),
            (self.lost_member, other.lost_member, merged.lost_member),
            (self.collapsed, other.collapsed, merged.collapsed),
            (self.objectives, other.objectives, merged.objectives),
        ):
            for key in {*mine, *theirs}:
                into[key] = mine.get(key, 0) + theirs.get(key, 0)
        for source in (self.results, other.results):
            for operation_id, counts in source.items():
                target = merged.results.setdefault(operation_id, {})
                for result, count in counts.items():
                    target[result] = target.get(result, 0) + count
        for source_factors in (self.factors, other.factors):
            for operation_id, factors in source_factors.items():
                target_factors = merged.factors.setdefault(operation_id, {})
                for name, values in factors.items():
                    target_factors.setdefault(name, []).extend(values)
        return merged


def game_seeds(seed: int, runs: int) -> list[int]:
    """The seeds of an estimate's games: the same `seed` plays the same dice, so a
    what-if and the current orders differ by the orders alone."""
    draw = random.Random(f"estimate:{seed}")
    return [draw.randrange(2**31) for _ in range(runs)]


def _apply_draft(
    state: GameState, nation_id: str, draft: Mapping[str, str | None]
) -> tuple[GameState, tuple[tuple[str, str], ...]]:
    """The nation's orders as drafted: each listed unit withdrawn, then committed where the
    draft sends it, through the rules (a draft order they refuse is listed, not made)."""
    refused: list[tuple[str, str]] = []
    for unit_id, operation_id in draft.items():
        if state.commitment(unit_id) is not None:
            result = acts.apply(state, nation_id, acts.WithdrawUnit(unit_id))
            if isinstance(result, acts.Rejection):
                refused.append((unit_id, result.message))
                continue
            state = result.state
        if operation_id:
            result = acts.apply(state, nation_id, acts.CommitUnit(unit_id, operation_id))
            if isinstance(result, acts.Rejection):
                refused.append((unit_id, result.message))
                continue
            state = result.state
    return state, tuple(refused)


def prepare(
    state: GameState,
    nation_id: str,
    seed: int,
    draft: Mapping[str, str | None] | None = None,
) -> tuple[GameState, tuple[tuple[str, str], ...]]:
    """The belief state an estimate plays from, with `draft` applied."""
    if state.nation(nation_id) is None:
        raise EstimateRefused(
            gettext(N_("There is no nation {nation} in this game.")).format(nation=repr(nation_id))
        )
    if state.phase is not Phase.ORDERS:
        raise EstimateRefused(gettext(N_("An estimate is made during the orders phase.")))
    belief = belief_state(state, nation_id, seed)
    if draft:
        return _apply_draft(belief, nation_id, draft)
    return belief, ()


def _play_one(
    belief: GameState, nation_id: str, seed: int, horizon: Horizon, others: str
) -> GameState:
    others_bots = {n.id: make_bot(others) for n in belief.nations if n.id != nation_id}
    # The nation has no bot this turn: its orders stay as estimated.
    state = play_game(belief, others_bots, seed, until_turn=belief.turn)
    if horizon == "game" and state.phase is not Phase.ENDED:
        everyone = {**others_bots, nation_id: make_bot(DEFAULT_OTHERS)}
        state = play_game(state, everyone, seed)
    return state


def _measure(tally: Tally, start: GameState, end: GameState, nation_id: str) -> None:
    tally.runs += 1
    this_turn: dict[str, Outcome] = {
        o.operation_id: o for o in end.outcomes if o.turn == start.turn
    }
    for operation in start.operations:
        if not operation.open_at(start.turn):
            continue
        outcome = this_turn.get(operation.id)
        result = outcome.result if outcome is not None else "not_attempted"
        counts = tally.results.setdefault(operation.id, {})
        counts[result] = counts.get(result, 0) + 1
        final = end.operation(operation.id)
        if final is not None and final.status == "completed":
            tally.completed[operation.id] = tally.completed.get(operation.id, 0) + 1
        if outcome is not None:
            factors = tally.factors.setdefault(operation.id, {})
            for factor in outcome.factors:
                factors.setdefault(factor.name, []).append(factor.value)
    for coalition in start.coalitions_of(nation_id):
        later = end.coalition(coalition.id)
        if later is None or not later.active:
            tally.collapsed[coalition.id] = tally.collapsed.get(coalition.id, 0) + 1
        if later is None or set(coalition.members) - set(later.members):
            tally.lost_member[coalition.id] = tally.lost_member.get(coalition.id, 0) + 1
    tally.escalation.append(end.escalation.level)
    nation = end.nation(nation_id)
    if nation is not None:
        for objective in nation.objectives:
            if scoring.judge(end, objective, nation_id).met:
                tally.objectives[objective.id] = tally.objectives.get(objective.id, 0) + 1
        before = start.nation(nation_id)
        if before is not None and nation.leadership_changes > before.leadership_changes:
            tally.government_changes += 1


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _drivers(samples: Mapping[str, list[float]]) -> tuple[Driver, ...]:
    drivers = [
        Driver(
            factor=name,
            mean=sum(values) / len(values),
            low=_percentile(values, 0.1),
            high=_percentile(values, 0.9),
        )
        for name, values in samples.items()
        if values
    ]
    return tuple(sorted(drivers, key=lambda d: (-d.pull, d.factor)))


def play(
    start: GameState,
    nation_id: str,
    seeds: Sequence[int],
    *,
    horizon: Horizon = "turn",
    others: str = DEFAULT_OTHERS,
    progress: Callable[[int, int], bool] | None = None,
) -> Tally:
    """Play one game per seed from `start` (a prepared belief state) and tally them.
    `progress(done, total)` after each game; False stops early."""
    tally = Tally()
    for done, game_seed in enumerate(seeds, start=1):
        end = _play_one(start, nation_id, game_seed, horizon, others)
        _measure(tally, start, end, nation_id)
        if progress is not None and not progress(done, len(seeds)):
            break
    return tally


def summarise(
    tally: Tally,
    start: GameState,
    nation_id: str,
    *,
    horizon: Horizon,
    seed: int,
    others: str,
    refused: tuple[tuple[str, str], ...],
) -> Estimate:
    n = tally.runs
    mine = {c.operation_id for c in start.commitments_of(nation_id)}
    operations = []
    for operation in start.operations:
        counts = tally.results.get(operation.id)
        if counts is None:
            continue
        operations.append(
            OperationForecast(
                operation_id=operation.id,
                name=operation.name,
                mine=operation.id in mine,
                success=Share(counts.get("success", 0), n),
                partial=Share(counts.get("partial", 0), n),
                failure=Share(counts.get("failure", 0), n),
                not_attempted=Share(counts.get("not_attempted", 0), n),
                completed=Share(tally.completed.get(operation.id, 0), n),
                drivers=_drivers(tally.factors.get(operation.id, {})),
            )
        )
    # The nation's own operations first, then the likeliest to be fought.
    operations.sort(key=lambda o: (not o.mine, o.not_attempted.p, o.operation_id))
    nation = start.nation(nation_id)
    assert nation is not None
    levels = tally.escalation or [start.escalation.level]
    return Estimate(
        nation_id=nation_id,
        turn=start.turn,
        horizon=horizon,
        runs=n,
        seed=seed,
        others=others,
        orders=tuple((c.unit_id, c.operation_id) for c in start.commitments_of(nation_id)),
        operations=tuple(operations),
        coalitions=tuple(
            CoalitionForecast(
                coalition_id=c.id,
                name=c.name,
                loses_member=Share(tally.lost_member.get(c.id, 0), n),
                collapses=Share(tally.collapsed.get(c.id, 0), n),
            )
            for c in start.coalitions_of(nation_id)
        ),
        escalation=EscalationRange(
            low=int(_percentile(levels, 0.1)),
            median=int(_percentile(levels, 0.5)),
            high=int(_percentile(levels, 0.9)),
            least=min(levels),
            most=max(levels),
            crisis_max=start.escalation.max,
        ),
        objectives=tuple(
            ObjectiveForecast(o.id, o.text, o.secret, Share(tally.objectives.get(o.id, 0), n))
            for o in nation.objectives
        ),
        government_change=Share(tally.government_changes, n),
        refused=refused,
    )


def check_options(runs: int, horizon: str, others: str) -> None:
    if not 1 <= runs <= MAX_RUNS:
        raise EstimateRefused(
            gettext(N_("The runs must be between 1 and {most}.")).format(most=MAX_RUNS)
        )
    if horizon not in HORIZONS:
        raise EstimateRefused(
            gettext(N_("The horizon must be one of {choices}.")).format(choices=", ".join(HORIZONS))
        )
    if others not in PERSONALITIES:
        raise EstimateRefused(
            gettext(N_("The others must play one of {choices}.")).format(
                choices=", ".join(sorted(PERSONALITIES))
            )
        )


def estimate(
    state: GameState,
    nation_id: str,
    *,
    runs: int = DEFAULT_RUNS,
    seed: int = 1,
    horizon: Horizon = "turn",
    others: str = DEFAULT_OTHERS,
    draft: Mapping[str, str | None] | None = None,
    progress: Callable[[int, int], bool] | None = None,
) -> Estimate:
    """Estimate `nation_id`'s orders (or `draft`) from what it may see of `state`.

    `progress(done, runs)` is called after each game; returning False stops early (a
    cancelled estimate), and the estimate covers the games played."""
    check_options(runs, horizon, others)
    start, refused = prepare(state, nation_id, seed, draft)
    tally = play(
        start, nation_id, game_seeds(seed, runs), horizon=horizon, others=others, progress=progress
    )
    return summarise(
        tally, start, nation_id, horizon=horizon, seed=seed, others=others, refused=refused
    )


def compare(
    state: GameState,
    nation_id: str,
    draft: Mapping[str, str | None],
    **options: object,
) -> tuple[Estimate, Estimate]:
    """The current orders and `draft`, estimated with the same dice."""
    current = estimate(state, nation_id, **options)  # type: ignore[arg-type]
    drafted = estimate(state, nation_id, draft=draft, **options)  # type: ignore[arg-type]
    return current, drafted


__all__ = [
    "DEFAULT_RUNS",
    "HORIZONS",
    "MAX_RUNS",
    "CoalitionForecast",
    "Driver",
    "EscalationRange",
    "Estimate",
    "EstimateRefused",
    "Horizon",
    "ObjectiveForecast",
    "OperationForecast",
    "Share",
    "Tally",
    "check_options",
    "compare",
    "estimate",
    "game_seeds",
    "play",
    "prepare",
    "summarise",
]
