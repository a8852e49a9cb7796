"""The political layer, measured: how often coalitions break and governments fall in bot
games on the shipped scenarios.

Run: `.venv/bin/python bench/politics.py` (add `--write` to replace its block in
bench/README.md, `--runs N` for the games per row, default 30, `--scenario NAME` for
one scenario only, repeatable). For every scenario in
scenarios/ and every strategy (everyone cooperative, everyone cooperative under parallel
command, everyone free riding, everyone hawkish, and the scenario's historical strategy
when it has one), over N seeded games:

- defections per game: members that walked out of a coalition by the rules (ledger
  changes with the reason code `defection`);
- collapses per game: coalitions that broke up as a whole (`coalition_collapses`);
- coalitions dissolved per game, for whatever reason (too few members left included);
- the share of games with a leadership change (`new_government`);
- the mean over games of each game's mean cohesion, and the lowest cohesion any active
  coalition had after any turn of any game.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.bots import StrategyPlan, opening_state, strategy_for
from app.bots.simulate import play_game
from app.rules.state import GameState
from app.rules.wording.changes import ChangeReason
from app.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- politics:start -->", "<!-- politics:end -->"
PERSONALITY_STRATEGIES = ("cooperative", "free_rider", "hawk")
PARALLEL = "cooperative, parallel"


@dataclass(frozen=True)
class Game:
    """The political measures of one finished game."""

    defections: int
    collapses: int
    dissolved: int
    leadership_changes: int
    mean_cohesion: float | None  # None: no coalition was active after any turn
    lowest_cohesion: int | None


def measure(state: GameState) -> Game:
    # Each defection and collapse is marked once on the coalition's cohesion (its support
    # and caveat consequences carry the same reason under other subjects).
    codes = [
        change.reason.code
        for record in state.records
        for change in record.changes
        if change.subject.startswith("cohesion:") or change.reason.code == "new_government"
    ]
    cohesion = [v for record in state.records for v in record.cohesion.values()]
    per_turn = [statistics.mean(r.cohesion.values()) for r in state.records if r.cohesion]
    return Game(
        defections=codes.count(ChangeReason.DEFECTION),
        collapses=codes.count(ChangeReason.COALITION_COLLAPSES),
        dissolved=sum(c.dissolved_turn is not None for c in state.coalitions),
        leadership_changes=codes.count(ChangeReason.NEW_GOVERNMENT),
        mean_cohesion=statistics.mean(per_turn) if per_turn else None,
        lowest_cohesion=min(cohesion) if cohesion else None,
    )


def _plans(scenario: object, state: GameState) -> list[tuple[str, StrategyPlan]]:
    plans = [(name, StrategyPlan.everyone(name)) for name in PERSONALITY_STRATEGIES]
    plans.insert(1, (PARALLEL, StrategyPlan.everyone("cooperative", command="parallel")))
    if any(s.id == "historical" for s in scenario.strategies):  # type: ignore[attr-defined]
        plans.append(("historical", strategy_for(scenario, "historical", state)))  # type: ignore[arg-type]
    return plans


def row(scenario_name: str, strategy: str, games: list[Game]) -> str:
    runs = len(games)
    means = [g.mean_cohesion for g in games if g.mean_cohesion is not None]
    lows = [g.lowest_cohesion for g in games if g.lowest_cohesion is not None]
    return (
        f"| {scenario_name} | {strategy} "
        f"| {sum(g.defections for g in games) / runs:.2f} "
        f"| {sum(g.collapses for g in games) / runs:.2f} "
        f"| {sum(g.dissolved for g in games) / runs:.2f} "
        f"| {sum(g.leadership_changes > 0 for g in games) / runs:.0%} "
        f"| {statistics.mean(means) if means else 0:.1f} "
        f"| {min(lows) if lows else '-'} |"
    )


def report(runs: int, seed: int = 1, scenarios: tuple[str, ...] = ()) -> str:
    rows = [
        f"{runs} games per row, seeds {seed}-{seed + runs - 1}.\n",
        "| scenario | strategy | defections / game | collapses / game | dissolved / game "
        "| games with a leadership change | mean cohesion | lowest cohesion |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for path in sorted(SCENARIOS.glob("*.yaml")):
        if scenarios and path.stem not in scenarios:
            continue
        scenario = load_scenario(path)
        state = opening_state(scenario, seed=seed)
        for name, plan in _plans(scenario, state):
            games = [measure(play_game(state, plan.bots(state), seed + run)) for run in range(runs)]
            rows.append(row(path.stem, name, games))
    rows.append(f"\nMeasured with CPython {platform.python_version()}, {platform.machine()}.")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    parser.add_argument(
        "--scenario", action="append", default=[], help="only this scenario (repeatable)"
    )
    args = parser.parse_args()
    if args.write and args.scenario:
        parser.error("--write measures every scenario")
    text = report(args.runs, scenarios=tuple(args.scenario))
    print(text)
    if args.write:
        readme = README.read_text()
        if START not in readme:
            readme += (
                "\n## The political layer\n\n"
                "`.venv/bin/python bench/politics.py --write` (`--runs N`, default 30)\n\n"
                "Not a speed target: how often, in bot games on the shipped scenarios, members "
                "defect, coalitions collapse and governments fall, and how cohesive the "
                f"coalitions stay, per strategy.\n\n{START}\n{END}\n"
            )
        head, _, rest = readme.partition(START)
        _, _, tail = rest.partition(END)
        README.write_text(f"{head}{START}\n{text}\n{END}{tail}")


if __name__ == "__main__":
    main()
