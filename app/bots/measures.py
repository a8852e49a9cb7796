"""The measures of a game between bots (`run_result`) and the summary of many (`summarise`)."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from app.rules.scoring import judge
from app.rules.state import GameState, Objective


@dataclass
class PlayStats:
    """What happened at the table: tests expect `rejections`, `refusals` and `illegal` at 0."""

    actions: int = 0
    rejections: int = 0  # actions a bot returned that the rules refused
    refusals: int = 0  # actions a bot tried on its own copy of the state and was refused
    illegal: int = 0  # with verify=True: actions absent from legal_actions when taken
    problems: list[str] = field(default_factory=list)  # the first few, described

    def note(self, problem: str) -> None:
        if len(self.problems) < 20:
            self.problems.append(problem)


# --- measuring a game -----------------------------------------------------------------


def _result_value(result: str) -> float:
    return {"success": 1.0, "partial": 0.5}.get(result, 0.0)


def operation_succeeded(state: GameState, operation_id: str) -> bool:
    """Completed (its duration's worth of successes). Should the rules not track progress
    at all, one success counts."""
    operation = state.operation(operation_id)
    if operation is None:
        return False
    if operation.status != "open":
        return operation.status == "completed"
    tracked = any(op.progress > 0 or op.status != "open" for op in state.operations)
    if tracked:
        return operation.progress >= operation.duration
    return any(o.operation_id == operation_id and o.result == "success" for o in state.outcomes)


def peak_escalation(state: GameState) -> int:
    """The highest escalation level of the game so far (the start included)."""
    return max(
        state.escalation.peak,
        state.escalation.level,
        *(r.escalation for r in state.records),
    )


def _field(check: Any, names: Sequence[str], default: Any = None) -> Any:
    for name in names:
        if isinstance(check, Mapping):
            if check.get(name) is not None:
                return check[name]
        elif getattr(check, name, None) is not None:
            return getattr(check, name)
    return default


_TARGET_FIELDS = (
    "target",
    "operation_id",
    "operation",
    "coalition_id",
    "coalition",
    "nation_id",
    "nation",
)
_VALUE_FIELDS = ("value", "level", "threshold", "at_least", "at_most", "minimum", "maximum")


def check_outcome(state: GameState, check: Any) -> bool:
    """Whether one check of a historical outcome holds at the end of a game.

    `check` has a `kind`, a `target` and a `value` (an object or a mapping; a few other
    spellings of the fields are accepted). Kinds:

    - operation_succeeds: the operation `target` was completed;
    - escalation_at_most: the peak escalation never went above `value`;
    - cohesion_at_least: the coalition `target` (any, if empty) is active with cohesion
      of at least `value`;
    - coalition_dissolved: the coalition `target` (any, if empty) was dissolved;
    - support_at_least: the nation `target` (every nation, if empty or "*") ends with
      domestic support of at least `value`.
    """
    kind = str(_field(check, ("kind", "check", "type"), ""))
    if kind == "operation_completed":
        kind = "operation_succeeds"
    if kind not in CHECK_KINDS:
        raise ValueError(f"unknown historical outcome check {kind!r}")
    target = str(_field(check, _TARGET_FIELDS, "")).strip()
    value = float(_field(check, _VALUE_FIELDS, 0))
    # The rules judge objectives; a historical check is one, judged the same way.
    objective = Objective(
        id="historical-check",
        text="",
        kind=kind,  # type: ignore[arg-type]  # one of CHECK_KINDS, checked above
        target=target,
        value=value,
    )
    return judge(state, objective).met


CHECK_KINDS = (
    "operation_succeeds",
    "escalation_at_most",
    "cohesion_at_least",
    "coalition_dissolved",
    "support_at_least",
)


@dataclass(frozen=True)
class RunResult:
    """The measures of one game.

    `success_rate`: the share of attempted operation-turns that succeeded (a partial result
    counts half). `mean_cohesion`: the mean over turns of the mean cohesion of the
    coalitions active after that turn, over the turns that had one; 0.0 if no coalition
    ever existed (so "no coalition" reads as "no cohesion", not as missing). `burden_share`:
    each nation's share of all the cost carried in the game (after cost sharing); all 0.0
    if nothing was spent. `trust_in`: how far, on average, the other nations trust each
    nation at the end; `mean_trust`: the mean of every nation's trust in every other.
    `historical`: whether every check of the scenario's historical outcome holds at the
    end (None when the scenario defines none)."""

    seed: int
    turns: int
    success_rate: float
    operation_turns: int  # attempted
    operations_attempted: int  # distinct operations attempted at least once
    operations_succeeded: int  # distinct operations completed
    mean_cohesion: float
    final_cohesion: dict[str, int]  # every coalition that existed, dissolved ones included
    coalitions: int
    coalitions_dissolved: tuple[str, ...]
    peak_escalation: int
    final_escalation: int
    burden_share: dict[str, float]
    final_support: dict[str, int]
    final_budget: dict[str, int]
    trust_in: dict[str, float]
    mean_trust: float
    pledges_honoured: int
    pledges_broken: int
    pledges_honoured_by: dict[str, int]
    pledges_broken_by: dict[str, int]
    historical: bool | None = None
    rejections: int = 0
    # Which of the historical outcome's checks held, in the scenario's order.
    checks_met: tuple[bool, ...] = ()
    # The adversary's pressure over the game by kind of move (probe, answer, red_line...).
    adversary_pressure: dict[str, float] = field(default_factory=dict)
    # Every actor's attitude at the end (populations, NGOs, councils).
    attitudes: dict[str, int] = field(default_factory=dict)


def _mean(values: Iterable[float], default: float = 0.0) -> float:
    values = list(values)
    return sum(values) / len(values) if values else default


def _burden(state: GameState) -> dict[str, int]:
    carried: dict[str, int] = defaultdict(int)
    if state.records:
        for record in state.records:
            for nation_id, amount in record.burden.items():
                carried[nation_id] += max(0, amount)
    else:  # rules that keep no records: the cost of what each committed
        for outcome in state.outcomes:
            for contribution in outcome.contributions:
                carried[contribution.nation_id] += contribution.cost
    return carried


def run_result(
    state: GameState,
    seed: int,
    *,
    checks: Sequence[Any] = (),
    stats: PlayStats | None = None,
) -> RunResult:
    """Measure a finished (or unfinished) game."""
    met = tuple(check_outcome(state, c) for c in checks)
    pressure: dict[str, float] = defaultdict(float)
    for record in state.records:
        for move in record.adversary:
            pressure[move.kind] += move.pressure
    attempted = [o for o in state.outcomes if o.result != "not_attempted"]
    per_turn = [_mean(record.cohesion.values()) for record in state.records if record.cohesion]
    if not state.records:  # rules that keep no records: the coalitions as they end
        per_turn = [_mean(c.cohesion for c in state.coalitions if c.active)]
        per_turn = [v for v in per_turn if v] if any(c.active for c in state.coalitions) else []
    carried = _burden(state)
    total = sum(carried.values())
    ids = [n.id for n in state.nations]
    trust_in = {i: round(_mean(state.trust(o, i) for o in ids if o != i), 2) for i in ids}
    honoured: Counter[str] = Counter(p.nation for p in state.pledges if p.status == "honoured")
    broken: Counter[str] = Counter(p.nation for p in state.pledges if p.status == "broken")
    return RunResult(
        seed=seed,
        turns=len(state.records) or state.turn,
        success_rate=_mean(_result_value(o.result) for o in attempted),
        operation_turns=len(attempted),
        operations_attempted=len({o.operation_id for o in attempted}),
        operations_succeeded=sum(1 for op in state.operations if operation_succeeded(state, op.id)),
        mean_cohesion=_mean(per_turn),
        final_cohesion={c.id: c.cohesion for c in state.coalitions},
        coalitions=len(state.coalitions),
        coalitions_dissolved=tuple(c.id for c in state.coalitions if c.dissolved_turn is not None),
        peak_escalation=peak_escalation(state),
        final_escalation=state.escalation.level,
        burden_share={i: (carried.get(i, 0) / total if total else 0.0) for i in ids},
        final_support={n.id: n.domestic_support for n in state.nations},
        final_budget={n.id: n.budget for n in state.nations},
        trust_in=trust_in,
        mean_trust=round(_mean(trust_in.values()), 2),
        pledges_honoured=sum(honoured.values()),
        pledges_broken=sum(broken.values()),
        pledges_honoured_by={i: honoured.get(i, 0) for i in ids},
        pledges_broken_by={i: broken.get(i, 0) for i in ids},
        historical=all(met) if checks else None,
        checks_met=met,
        adversary_pressure=dict(pressure),
        attitudes={a.id: a.attitude for a in state.actors},
        rejections=stats.rejections + stats.refusals + stats.illegal if stats else 0,
    )


# --- many games -----------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """Many runs of one strategy. Rates are means over runs; the `_low`/`_high` pair is the
    10th-90th percentile spread of the success rate over runs."""

    runs: int
    strategy: str
    success_rate: float
    success_rate_low: float
    success_rate_high: float
    operations_succeeded: float
    mean_cohesion: float
    dissolved_rate: float  # share of runs in which some coalition dissolved
    peak_escalation_mean: float
    peak_escalation_max: int
    final_escalation_mean: float
    burden_share: dict[str, float]
    final_support: dict[str, float]
    trust_in: dict[str, float]
    mean_trust: float
    pledges_honoured: int
    pledges_broken: int
    historical_runs: int | None  # runs reproducing the historical outcome
    historical_rate: float | None
    rejections: int


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=10, method="inclusive")
    return cuts[0] if share < 0.5 else cuts[-1]


def _per_nation_mean(dicts: list[dict[str, Any]]) -> dict[str, float]:
    keys = list(dict.fromkeys(k for d in dicts for k in d))
    return {k: _mean(float(d.get(k, 0)) for d in dicts) for k in keys}


def summarise(results: Sequence[RunResult], strategy: str = "") -> Summary:
    rates = [r.success_rate for r in results]
    historical = [r.historical for r in results if r.historical is not None]
    return Summary(
        runs=len(results),
        strategy=strategy,
        success_rate=_mean(rates),
        success_rate_low=_percentile(rates, 0.1),
        success_rate_high=_percentile(rates, 0.9),
        operations_succeeded=_mean(r.operations_succeeded for r in results),
        mean_cohesion=_mean(r.mean_cohesion for r in results),
        dissolved_rate=_mean(1.0 if r.coalitions_dissolved else 0.0 for r in results),
        peak_escalation_mean=_mean(r.peak_escalation for r in results),
        peak_escalation_max=max((r.peak_escalation for r in results), default=0),
        final_escalation_mean=_mean(r.final_escalation for r in results),
        burden_share=_per_nation_mean([r.burden_share for r in results]),
        final_support=_per_nation_mean([r.final_support for r in results]),
        trust_in=_per_nation_mean([r.trust_in for r in results]),
        mean_trust=_mean(r.mean_trust for r in results),
        pledges_honoured=sum(r.pledges_honoured for r in results),
        pledges_broken=sum(r.pledges_broken for r in results),
        historical_runs=sum(historical) if historical else None,
        historical_rate=_mean(1.0 if h else 0.0 for h in historical) if historical else None,
        rejections=sum(r.rejections for r in results),
    )
