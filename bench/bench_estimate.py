"""Benchmark: the staff estimate (app/bots/estimate.py), in one process on one core.

Run: `.venv/bin/python bench/bench_estimate.py` (add `--write` to update the table in
bench/README.md). For the demo (Meridian Strait) and the largest shipped scenario (by
nations x units x operations), from the opening with the first nation's forces committed
where the rules accept them: the time to a 200-game estimate of the rest of the turn,
games per second, and a 20-game estimate to the end of the game. Target: under 2 s for
the demo's 200 games on one core.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.bots.estimate import Horizon, estimate
from app.bots.simulate import opening_state
from app.rules import actions as acts
from app.rules.state import GameState
from app.scenarios.loader import load_scenario
from bench.readme import write_block

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
DEMO = "meridian-strait"
TARGET_SECONDS = 2.0


def _size(state: GameState) -> int:
    units = sum(len(n.units) for n in state.nations)
    return len(state.nations) * units * len(state.operations)


def _with_orders(state: GameState) -> GameState:
    """The first nation's units committed to the first open operation each may join."""
    nation = state.nations[0]
    for unit in nation.units:
        for operation in state.operations:
            result = acts.apply(state, nation.id, acts.CommitUnit(unit.id, operation.id))
            if not isinstance(result, acts.Rejection):
                state = result.state
                break
    return state


def _time(state: GameState, runs: int, horizon: Horizon, repeats: int) -> float:
    timings = []
    for repeat in range(repeats):
        started = time.process_time()
        estimate(state, state.nations[0].id, runs=runs, seed=repeat + 1, horizon=horizon)
        timings.append(time.process_time() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="games per estimate")
    parser.add_argument("--repeats", type=int, default=3, help="estimates timed (median)")
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args()
    states = {
        path.stem: opening_state(load_scenario(path), seed=1)
        for path in sorted(SCENARIOS.glob("*.yaml"))
    }
    largest = max((s for s in states if s != DEMO), key=lambda s: _size(states[s]))
    lines = [
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{args.runs} games per estimate, CPU seconds, median of {args.repeats}.",
        "",
        "| scenario | nations | units | operations | rest of the turn | games/s "
        "| 20 games to the end | target |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name in (DEMO, largest):
        state = _with_orders(states[name])
        turn = _time(state, args.runs, "turn", args.repeats)
        game = _time(state, 20, "game", 1)
        units = sum(len(n.units) for n in state.nations)
        target = (
            f"{'met' if turn < TARGET_SECONDS else 'NOT met'} (< {TARGET_SECONDS:.0f} s)"
            if name == DEMO
            else ""
        )
        lines.append(
            f"| {name} | {len(state.nations)} | {units} | {len(state.operations)} "
            f"| {turn:.2f} s | {args.runs / turn:.0f} | {game:.2f} s | {target} |"
        )
    block = "\n".join(lines)
    print(block)
    if args.write:
        write_block(
            "estimate",
            block,
            heading="Staff estimate",
            command=".venv/bin/python bench/bench_estimate.py --write",
            intro=(__doc__ or "").split("\n\n")[1].replace("\n", " "),
        )


if __name__ == "__main__":
    main()
