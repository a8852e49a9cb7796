"""Benchmark: resolve one turn of 30 nations x 20 operations at 100, 1,000 and 10,000 units,
and of 100 nations at 1,000 units.

Run: `.venv/bin/python bench/bench_resolution.py` (add `--write` to update the table in
bench/README.md). Target (bench/README.md): well under 50 ms for 1,000 units on one
core, with 30 nations and with 100, and cost linear in units. Every unit is committed,
every operation is attempted, and there are coalitions, intelligence sharing, basing,
cost sharing and pledges, so every step of the resolution does real work.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import get_args

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import rules
from app.rules.state import (
    Agreement,
    Capability,
    Coalition,
    Commitment,
    Escalation,
    GameState,
    Nation,
    Operation,
    Phase,
    Pledge,
    Region,
    Relation,
    Unit,
)

NATIONS = 30
OPERATIONS = 20
CAPABILITIES: tuple[str, ...] = get_args(Capability)


def build_state(units: int, seed: int = 1, nations_count: int = NATIONS) -> GameState:
    """`units` spread over `nations_count` nations, every pair of them related."""
    rng = random.Random(seed)
    regions = tuple(Region(f"r{i}", f"Region {i}", 50 * i, 100) for i in range(8))
    operations = tuple(
        Operation(
            id=f"op{i}",
            name=f"Operation {i}",
            region=f"r{i % 8}",
            power="hard" if i % 2 else "soft",
            difficulty=max(1, units // OPERATIONS // 2),
            requirements=tuple(
                (cap, max(1, units // OPERATIONS // 4)) for cap in rng.sample(CAPABILITIES, 3)
            ),
            description="",
            risk=0.05,
            civilian_risk=0.1,
            duration=2,
        )
        for i in range(OPERATIONS)
    )
    per_nation = units // nations_count + 1
    nations = []
    made = 0
    for n in range(nations_count):
        count = min(per_nation, units - made)
        made += count
        nations.append(
            Nation(
                id=f"n{n}",
                name=f"Nation {n}",
                budget=10**9,
                domestic_support=60,
                interoperability=f"std{n % 4}",
                caveats=("no-offensive-ground",) if n % 7 == 0 else (),
                public_objective="",
                secret_objective="",
                units=tuple(
                    Unit(f"n{n}u{u}", f"Unit {u}", rng.choice(CAPABILITIES), rng.randint(1, 5), 3)
                    for u in range(count)
                ),
                controller="bot",
                capacity=rng.randint(20, 200),
            )
        )
    commitments = tuple(
        Commitment(unit.id, nation.id, f"op{rng.randrange(OPERATIONS)}")
        for nation in nations
        for unit in nation.units
    )
    relations = tuple(
        Relation(a.id, b.id, rng.randint(20, 90), rng.randint(20, 90))
        for a in nations
        for b in nations
        if a.id != b.id
    )
    coalitions = tuple(
        Coalition(
            id=f"c{c}",
            name=f"Coalition {c}",
            lead=f"n{c * 10}",
            members=tuple(f"n{m}" for m in range(c * 10, c * 10 + 10)),
            command=("integrated", "lead_nation", "parallel")[c],
            mandate="un",
            cohesion=60,
            operations=tuple(f"op{o}" for o in range(c * 6, c * 6 + 6)),
        )
        for c in range(3)
    )
    agreements = []
    pledges = []
    for i in range(0, nations_count - 1, 2):
        pair = (f"n{i}", f"n{i + 1}")
        agreements.append(
            Agreement(f"ag-i{i}", "intel_sharing", pair[0], pair, {}, 1, "signed", pair)
        )
        agreements.append(
            Agreement(
                f"ag-b{i}",
                "basing",
                pair[0],
                pair,
                {"host": pair[0], "region": "r1"},
                1,
                "signed",
                pair,
            )
        )
        agreements.append(
            Agreement(
                f"ag-c{i}",
                "cost_sharing",
                pair[0],
                pair,
                {"payer": pair[0], "operation_id": "op1", "share": 50},
                1,
                "signed",
                pair,
            )
        )
        agreements.append(
            Agreement(
                f"ag-p{i}",
                "force_pledge",
                pair[1],
                pair,
                {"nation": pair[1], "operation_id": "op2", "strength": 3, "turn": 1},
                1,
                "signed",
                pair,
            )
        )
        pledges.append(Pledge(f"ag-p{i}", pair[1], "op2", 3, 1))
    state = GameState(
        seed=seed,
        turn=1,
        turns=10,
        phase=Phase.ORDERS,
        deadline=0.0,
        orders_seconds=600,
        regions=regions,
        nations=tuple(nations),
        operations=operations,
        escalation=Escalation(level=3, max=10, threshold=7),
        commitments=commitments,
    )
    return replace(
        state,
        relations=relations,
        coalitions=coalitions,
        agreements=tuple(agreements),
        pledges=tuple(pledges),
    )


SIZES = ((NATIONS, 100), (NATIONS, 1_000), (NATIONS, 10_000), (100, 1_000))
"""(nations, units) of each row."""


def advanced(state: GameState, turn: int) -> GameState:
    """`state` played on to `turn`: each turn resolved with the same orders (its records
    behind it, coalitions that broke up gone: what the first turn does not show)."""
    while state.turn < turn and state.phase is Phase.ORDERS:
        state = replace(rules.resolve_turn(state, 0.0)[0], commitments=state.commitments)
    return state


def measure(units: int, repeats: int, nations: int = NATIONS, turn: int = 1) -> dict[str, float]:
    state = advanced(build_state(units, nations_count=nations), turn)
    rules.resolve_turn(state, 0.0)  # warm up
    times = []
    for _ in range(repeats):
        # CPU time, not wall time: other work on the machine does not count against the
        # resolution (it is one thread, on one core).
        started = time.process_time()
        rules.resolve_turn(state, 0.0)
        times.append((time.process_time() - started) * 1000)
    return {
        "nations": nations,
        "units": units,
        "median_ms": statistics.median(times),
        "min_ms": min(times),
        "p95_ms": sorted(times)[int(0.95 * (len(times) - 1))],
    }


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| nations | units | median (ms) | min (ms) | p95 (ms) | per 1,000 units (ms) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {int(row['nations'])} | {int(row['units']):,} | {row['median_ms']:.2f} | "
            f"{row['min_ms']:.2f} | {row['p95_ms']:.2f} | "
            f"{row['median_ms'] / row['units'] * 1000:.2f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument(
        "--turn",
        type=int,
        default=1,
        help="resolve this turn of each game, the earlier ones played with the same orders "
        "(not written: the table is the first turn's)",
    )
    args = parser.parse_args()
    rows = [
        measure(
            units,
            args.repeats if units < 10_000 else max(5, args.repeats // 5),
            nations,
            args.turn,
        )
        for nations, units in SIZES
    ]
    result = table(rows)
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    )
    print(f"Turn {args.turn} resolution, {OPERATIONS} operations ({machine}):")
    print(result)
    if args.write and args.turn == 1:
        readme = Path(__file__).with_name("README.md")
        text = readme.read_text() if readme.exists() else ""
        start, end = "<!-- resolution:start -->", "<!-- resolution:end -->"
        note = f"CPU time of the resolving process; measured with {machine}."
        block = f"{start}\n{result}\n\n{note}\n{end}"
        if start in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
        else:
            text += "\n" + block + "\n"
        readme.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
