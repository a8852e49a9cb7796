"""Monte Carlo fixtures: many seeded bot games, played on both cores.

Games are deterministic for their seed, so these tests give the same numbers on every
run; the thresholds in the tests are about whether an effect is large against the
spread of 200 games, not about luck.
"""

from __future__ import annotations

import math
import os
import statistics
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from app import rules
from app.bots.simulate import RunResult, simulate
from app.scenarios.build import opening_state
from app.scenarios.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
RUNS = 200
FIRST_SEED = 1


def opening(name: str) -> rules.GameState:
    return opening_state(load_scenario(SCENARIOS / f"{name}.yaml"), seed=FIRST_SEED, now=0.0)[0]


def _chunk(args: tuple[rules.GameState, Any, int, int, Sequence[Any]]) -> list[RunResult]:
    state, strategy, runs, seed, checks = args
    return simulate(state, strategy, runs, seed, checks=checks)


def play_many(
    state: rules.GameState, strategy: Any, runs: int = RUNS, checks: Sequence[Any] = ()
) -> list[RunResult]:
    """`runs` games with seeds FIRST_SEED.., split over the machine's cores."""
    workers = max(1, min(4, os.cpu_count() or 1))
    size = math.ceil(runs / workers)
    jobs = [
        (state, strategy, min(size, runs - start), FIRST_SEED + start, tuple(checks))
        for start in range(0, runs, size)
    ]
    if workers == 1:
        return [r for job in jobs for r in _chunk(job)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [r for chunk in pool.map(_chunk, jobs) for r in chunk]


def mean_and_error(
    results: Sequence[RunResult], measure: Callable[[RunResult], float]
) -> tuple[float, float]:
    """The mean of `measure` over the games and its standard error."""
    values = [float(measure(r)) for r in results]
    return statistics.mean(values), statistics.stdev(values) / math.sqrt(len(values))


def clearly_greater(
    higher: Sequence[RunResult],
    lower: Sequence[RunResult],
    measure: Callable[[RunResult], float],
    *,
    sigmas: float = 3.0,
) -> tuple[bool, str]:
    """Whether `measure` is larger in `higher` than in `lower` by more than `sigmas`
    standard errors of the difference (Welch): with 200 games a side, 3 sigmas means an
    effect that chance alone would produce less than once in a thousand comparisons."""
    a, a_error = mean_and_error(higher, measure)
    b, b_error = mean_and_error(lower, measure)
    error = math.hypot(a_error, b_error)
    return a - b > sigmas * error, f"{a:.3f} ± {a_error:.3f} vs {b:.3f} ± {b_error:.3f}"
