"""Simulation results for people: a summary table, and one CSV row per run."""

from __future__ import annotations

import csv
import dataclasses
import textwrap
from collections.abc import Sequence
from typing import IO, Any

from app.bots.simulate import RunResult, StrategyPlan, Summary
from app.rules.state import GameState

__all__ = ["csv_rows", "format_summary", "write_csv"]

WIDTH = 96


def _percent(value: float) -> str:
    return f"{value:.0%}"


def format_summary(
    summary: Summary,
    state: GameState,
    plan: StrategyPlan,
    *,
    title: str,
    seed: int,
    source: str | None = None,
    elapsed: float | None = None,
    historical: str | None = None,
) -> str:
    """A readable table of `summary` for the opening `state` the runs started from."""
    runs = summary.runs
    lines = [
        f"Scenario   {title}: {state.turns} turns, {len(state.nations)} nations, "
        f"{len(state.operations)} operations",
        *([f"File       {source}"] if source else []),
        f"Strategy   {plan.id}: {plan.name}"
        + (f" ({plan.command.replace('_', '-')} command)" if plan.command else ""),
        f"Runs       {runs} (seeds {seed}-{seed + runs - 1})"
        + (
            f" in {elapsed:.1f} s, {runs / elapsed:.0f} runs/s"
            if elapsed is not None and elapsed > 0
            else ""
        ),
        "",
        f"  Coalition success rate  {_percent(summary.success_rate)}"
        f"  (10th-90th percentile of runs: {_percent(summary.success_rate_low)}-"
        f"{_percent(summary.success_rate_high)})",
        f"  Operations completed    {summary.operations_succeeded:.1f} of "
        f"{len(state.operations)} on average",
        f"  Mean cohesion           {summary.mean_cohesion:.1f}"
        f"  (coalitions dissolved in {_percent(summary.dissolved_rate)} of runs)",
        f"  Peak escalation         mean {summary.peak_escalation_mean:.1f}, "
        f"max {summary.peak_escalation_max} (threshold {state.escalation.threshold}, "
        f"start {state.escalation.level})",
        f"  Final escalation        mean {summary.final_escalation_mean:.1f}",
        f"  Pledges                 {summary.pledges_honoured} honoured, "
        f"{summary.pledges_broken} broken",
        f"  Mean trust              {summary.mean_trust:.1f}",
    ]
    if summary.historical_runs is not None:
        lines.append(
            f"  Historical outcome      reproduced in {summary.historical_runs}/{runs} runs "
            f"({_percent(summary.historical_rate or 0.0)})"
        )
        if historical:
            lines += textwrap.wrap(
                " ".join(historical.split()),
                WIDTH,
                initial_indent="    ",
                subsequent_indent="    ",
            )
    lines.append("")
    width = max([len("Nation"), *(len(n.name) for n in state.nations)])
    lines.append(
        f"  {'Nation':<{width}}  {'Plays':<12}  {'Burden share':>12}  {'Final support':>13}"
        f"  {'Trust in it':>11}"
    )
    for nation in state.nations:
        plays = plan.plan_for(nation.id).personality.replace("_", " ")
        lines.append(
            f"  {nation.name:<{width}}  {plays:<12}  "
            f"{_percent(summary.burden_share.get(nation.id, 0.0)):>12}  "
            f"{summary.final_support.get(nation.id, 0.0):>13.1f}  "
            f"{summary.trust_in.get(nation.id, 0.0):>11.1f}"
        )
    lines.append("")
    lines += textwrap.wrap(
        "Success rate: per attempted operation-turn, a partial result counting half. "
        "Mean cohesion: over the turns with a coalition (0 if none ever formed). "
        "Burden share: the nation's share of all costs carried in the game. "
        "Final support: its domestic support at the end. Trust in it: how far the others "
        "trust it at the end. Every figure is a mean over the runs.",
        WIDTH,
        initial_indent="  ",
        subsequent_indent="  ",
    )
    if summary.rejections:
        lines.append(f"  Warning: {summary.rejections} bot action(s) were refused by the rules.")
    return "\n".join(lines)


def _cell(value: Any) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, tuple | list):
        return ";".join(str(v) for v in value)
    if isinstance(value, int | str):
        return value
    return str(value)


def csv_rows(results: Sequence[RunResult]) -> tuple[list[str], list[dict[str, Any]]]:
    """Header and rows: one row per run, every field flattened; a per-nation (or
    per-coalition) field becomes one `field:id` column per nation (or coalition), a list
    becomes a ;-separated cell and `coalitions_dissolved` also gets a count column."""
    fields = dataclasses.fields(RunResult)
    keys: dict[str, list[str]] = {}
    for f in fields:
        if any(isinstance(getattr(r, f.name), dict) for r in results):
            keys[f.name] = list(dict.fromkeys(k for r in results for k in getattr(r, f.name)))
    header: list[str] = []
    for f in fields:
        if f.name in keys:
            header += [f"{f.name}:{k}" for k in keys[f.name]]
        else:
            header.append(f.name)
        if f.name == "coalitions_dissolved":
            header.append("coalitions_dissolved_count")
    rows = []
    for result in results:
        row: dict[str, Any] = {}
        for f in fields:
            value = getattr(result, f.name)
            if f.name in keys:
                for k in keys[f.name]:
                    row[f"{f.name}:{k}"] = _cell(value.get(k))
            else:
                row[f.name] = _cell(value)
        row["coalitions_dissolved_count"] = len(result.coalitions_dissolved)
        rows.append(row)
    return header, rows


def write_csv(results: Sequence[RunResult], out: IO[str]) -> None:
    header, rows = csv_rows(results)
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
