"""Simulation results for people: a summary table, and one CSV row per run."""

from __future__ import annotations

import csv
import dataclasses
import textwrap
from collections.abc import Sequence
from typing import IO, Any

from app.bots.simulate import RunResult, StrategyPlan, Summary
from app.i18n import N_, _
from app.rules.state import GameState

__all__ = ["csv_rows", "format_summary", "write_csv"]

WIDTH = 96


# The words the interface has for these codes (the control pages' and the console's).
_WORDS = {
    "command": {
        "lead_nation": N_("lead-nation"),
        "parallel": N_("parallel"),
        "integrated": N_("integrated"),
    },
    "personality": {
        "cooperative": N_("cooperative"),
        "free_rider": N_("free rider"),
        "hawk": N_("hawk"),
        "dove": N_("dove"),
        "spoiler": N_("spoiler"),
        "profile": N_("political profile"),
    },
}


def term(group: str, code: str) -> str:
    """A code in the reader's words (the code, spaced, if it has none)."""
    word = _WORDS[group].get(code)
    return _(word) if word else code.replace("_", " ")


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
    command = (
        _(" (%(command)s command)", command=term("command", plan.command)) if plan.command else ""
    )
    speed = (
        _(
            " in %(seconds)s s, %(rate)s runs/s",
            seconds=f"{elapsed:.1f}",
            rate=f"{runs / elapsed:.0f}",
        )
        if elapsed is not None and elapsed > 0
        else ""
    )
    heads = [
        (
            _("Scenario"),
            _(
                "%(title)s: %(turns)s turns, %(nations)s nations, %(operations)s operations",
                title=title,
                turns=state.turns,
                nations=len(state.nations),
                operations=len(state.operations),
            ),
        ),
        *([(_("File"), source)] if source else []),
        (_("Strategy"), f"{plan.id}: {plan.name}{command}"),
        (
            _("Runs"),
            _("%(runs)s (seeds %(first)s-%(last)s)", runs=runs, first=seed, last=seed + runs - 1)
            + speed,
        ),
    ]
    figures = [
        (
            _("Coalition success rate"),
            _(
                "%(rate)s  (10th-90th percentile of runs: %(low)s-%(high)s)",
                rate=_percent(summary.success_rate),
                low=_percent(summary.success_rate_low),
                high=_percent(summary.success_rate_high),
            ),
        ),
        (
            _("Operations completed"),
            _(
                "%(completed)s of %(operations)s on average",
                completed=f"{summary.operations_succeeded:.1f}",
                operations=len(state.operations),
            ),
        ),
        (
            _("Mean cohesion"),
            _(
                "%(cohesion)s  (coalitions dissolved in %(rate)s of runs)",
                cohesion=f"{summary.mean_cohesion:.1f}",
                rate=_percent(summary.dissolved_rate),
            ),
        ),
        (
            _("Peak escalation"),
            _(
                "mean %(mean)s, max %(max)s (threshold %(threshold)s, start %(start)s)",
                mean=f"{summary.peak_escalation_mean:.1f}",
                max=summary.peak_escalation_max,
                threshold=state.escalation.threshold,
                start=state.escalation.level,
            ),
        ),
        (
            _("Final escalation"),
            _("mean %(mean)s", mean=f"{summary.final_escalation_mean:.1f}"),
        ),
        (
            _("Pledges"),
            _(
                "%(honoured)s honoured, %(broken)s broken",
                honoured=summary.pledges_honoured,
                broken=summary.pledges_broken,
            ),
        ),
        (_("Mean trust"), f"{summary.mean_trust:.1f}"),
    ]
    if summary.historical_runs is not None:
        figures.append(
            (
                _("Historical outcome"),
                _(
                    "reproduced in %(times)s/%(runs)s runs (%(rate)s)",
                    times=summary.historical_runs,
                    runs=runs,
                    rate=_percent(summary.historical_rate or 0.0),
                ),
            )
        )
    head_width = max(len(label) for label, _value in heads) + 1
    figure_width = max(len(label) for label, _value in figures) + 2
    lines = [f"{label:<{head_width}}  {value}" for label, value in heads]
    lines.append("")
    lines += [f"  {label:<{figure_width}}{value}" for label, value in figures]
    if summary.historical_runs is not None and historical:
        lines += textwrap.wrap(
            " ".join(historical.split()),
            WIDTH,
            initial_indent="    ",
            subsequent_indent="    ",
        )
    lines.append("")
    columns = (_("Burden share"), _("Final support"), _("Trust in it"))
    plays_title = _("Plays")
    nation_title = _("Nation")
    plays = {n.id: term("personality", plan.plan_for(n.id).personality) for n in state.nations}
    width = max([len(nation_title), *(len(n.name) for n in state.nations)])
    plays_width = max([12, len(plays_title), *(len(p) for p in plays.values())])
    widths = [max(len(c), 11) for c in columns]
    lines.append(
        f"  {nation_title:<{width}}  {plays_title:<{plays_width}}  "
        + "  ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True))
    )
    for nation in state.nations:
        cells = (
            _percent(summary.burden_share.get(nation.id, 0.0)),
            f"{summary.final_support.get(nation.id, 0.0):.1f}",
            f"{summary.trust_in.get(nation.id, 0.0):.1f}",
        )
        lines.append(
            f"  {nation.name:<{width}}  {plays[nation.id]:<{plays_width}}  "
            + "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))
        )
    lines.append("")
    lines += textwrap.wrap(
        _(
            "Success rate: per attempted operation-turn, a partial result counting half. "
            "Mean cohesion: over the turns with a coalition (0 if none ever formed). "
            "Burden share: the nation's share of all costs carried in the game. "
            "Final support: its domestic support at the end. Trust in it: how far the others "
            "trust it at the end. Every figure is a mean over the runs."
        ),
        WIDTH,
        initial_indent="  ",
        subsequent_indent="  ",
    )
    if summary.rejections:
        lines.append(
            "  "
            + _(
                "Warning: %(count)s bot action(s) were refused by the rules.",
                count=summary.rejections,
            )
        )
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
