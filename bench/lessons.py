"""The seeds' lessons, measured: what the rules and the bots make of the cheap tricks and
of a real coalition, on the shipped scenarios.

Run: `.venv/bin/python bench/lessons.py` (add `--write` to replace its block in
bench/README.md, `--runs N` for the Monte Carlo parts, default 40). Five measures:

1. The odds of a strength-1 unit whose capability matches nothing the operation needs.
2. Liberation of Kuwait (gulf-1990): the United States alone against the seven fighting
   members of the coalition, under parallel and under integrated command.
3. The escalation peak of every shipped scenario under each of its strategies and each
   personality played by every nation (mean and highest over the runs).
4. Each nation's own score in Crimea and the Gulf when it idles (gives no orders, signs
   nothing) while the others cooperate, against everyone cooperating.
5. The aid (budget points, in gifts of the smallest amount) one nation must give another
   to raise the receiver's trust in it by 20.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app import rules
from app.bots import PERSONALITIES, StrategyPlan, opening_state, strategy_for
from app.bots.simulate import historical_checks, play_game, simulate
from app.rules.resolution.adjudication import resolve_operation
from app.rules.scoring import nation_score
from app.rules.state import GameState, Operation
from app.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- lessons:start -->", "<!-- lessons:end -->"


def _scenario_state(name: str) -> tuple[object, GameState]:
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    return scenario, opening_state(scenario, seed=1)


def _operation(state: GameState, operation_id: str) -> Operation:
    operation = state.operation(operation_id)
    assert operation is not None, operation_id
    return operation


def _commit(
    state: GameState, nation_id: str, unit_ids: Iterable[str], operation_id: str
) -> GameState:
    for unit_id in unit_ids:
        outcome = rules.apply(state, nation_id, rules.CommitUnit(unit_id, operation_id))
        if isinstance(outcome, rules.Accepted):
            state = outcome.state
    return state


def _odds(state: GameState, operation_id: str) -> tuple[float, float]:
    import random

    outcome = resolve_operation(state, _operation(state, operation_id), random.Random(0))
    return outcome.probability_success, outcome.probability_partial


def token_unit() -> list[str]:
    """Measure 1: Syria's special forces (strength 1) on maritime interception (isr, maritime)."""
    _, state = _scenario_state("gulf-1990")
    state = _commit(state, "syria", ["syr-special-forces"], "maritime-interception")
    success, partial = _odds(state, "maritime-interception")
    return [
        "| strength-1 unit, no matching capability | P(success) | P(partial) | P(progress) |",
        "|---|---:|---:|---:|",
        f"| Syrian special forces on maritime interception (gulf-1990) | {success:.3f} "
        f"| {partial:.3f} | {success + partial:.3f} |",
    ]


FIGHTERS = ("usa", "uk", "france", "saudi-arabia", "egypt", "syria", "kuwait")


def kuwait_coalition() -> list[str]:
    """Measure 2: the odds of Liberation of Kuwait, alone and in coalition."""
    _, opening = _scenario_state("gulf-1990")
    # It opens on turn 5: opened now, so the forces of turn 1 can be measured against it.
    opening = opening.replace_operation(
        replace(_operation(opening, "liberate-kuwait"), opens_turn=1)
    )
    operation = _operation(opening, "liberate-kuwait")
    needed = {capability for capability, _ in operation.requirements}

    def units_of(state: GameState, nation_id: str) -> list[str]:
        nation = state.nation(nation_id)
        assert nation is not None
        return [u.id for u in nation.units if u.capability in needed]

    rows = ["| Liberation of Kuwait | nations | P(success) | P(partial) |", "|---|---:|---:|---:|"]
    alone = _commit(opening, "usa", units_of(opening, "usa"), operation.id)
    success, partial = _odds(alone, operation.id)
    rows.append(f"| United States alone | 1 | {success:.3f} | {partial:.3f} |")
    for command in ("parallel", "integrated"):
        state = opening
        coalition = state.coalition("gulf-coalition")
        assert coalition is not None
        state = state.replace_coalition(
            replace(coalition, command=command, operations=(*coalition.operations, operation.id))
        )  # type: ignore[arg-type]
        for nation_id in FIGHTERS:
            state = _commit(state, nation_id, units_of(state, nation_id), operation.id)
        success, partial = _odds(state, operation.id)
        rows.append(
            f"| the seven fighting members, {command} command | {len(FIGHTERS)} "
            f"| {success:.3f} | {partial:.3f} |"
        )
    return rows


def escalation_peaks(runs: int) -> list[str]:
    """Measure 3: the escalation peak per strategy, every shipped scenario."""
    rows = [
        "| scenario | strategy | start | threshold | mean peak | highest peak |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for path in sorted(SCENARIOS.glob("*.yaml")):
        scenario = load_scenario(path)
        state = opening_state(scenario, seed=1)
        names = list(dict.fromkeys([s.id for s in scenario.strategies] + sorted(PERSONALITIES)))
        for name in names:
            plan = strategy_for(scenario, name, state)
            results = simulate(state, plan, runs, seed=1, checks=historical_checks(scenario))
            peaks = [r.peak_escalation for r in results]
            rows.append(
                f"| {path.stem} | {name} | {state.escalation.level} "
                f"| {state.escalation.threshold} | {statistics.mean(peaks):.2f} | {max(peaks)} |"
            )
    return rows


def idle_scores(runs: int) -> list[str]:
    """Measure 4: a nation's own score idle (others cooperate) against all cooperating."""
    rows = [
        "| scenario | nation | own score, all cooperate | own score, it idles | idle - cooperate |",
        "|---|---|---:|---:|---:|",
    ]
    for name in ("crimea-2014", "gulf-1990"):
        _, state = _scenario_state(name)
        plan = StrategyPlan.everyone("cooperative")
        together: dict[str, list[int]] = {n.id: [] for n in state.nations}
        for run in range(runs):
            final = play_game(state, plan.bots(state), seed=1 + run)
            for nation in state.nations:
                together[nation.id].append(nation_score(final, nation.id)[0])
        for nation in state.nations:
            alone = []
            for run in range(runs):
                bots = {k: v for k, v in plan.bots(state).items() if k != nation.id}
                final = play_game(state, bots, seed=1 + run)
                alone.append(nation_score(final, nation.id)[0])
            cooperate, idle = statistics.mean(together[nation.id]), statistics.mean(alone)
            rows.append(
                f"| {name} | {nation.id} | {cooperate:.1f} | {idle:.1f} | {idle - cooperate:+.1f} |"
            )
    return rows


def _aid_row(giver: str, receiver: str, scenario: str, gift: int | None) -> str:
    """Gifts of `gift` (None: 10% of the giver's capacity) until trust rose by 20, the
    giver's budget ran out or 200 gifts were made."""
    _, state = _scenario_state(scenario)
    donor = state.nation(giver)
    assert donor is not None
    amount = gift or max(1, donor.capacity // 10)
    start = state.trust(receiver, giver)
    given = gifts = 0
    while state.trust(receiver, giver) < min(100, start + 20) and gifts < 200:
        proposal = rules.Propose(
            "aid", (giver, receiver), {"from": giver, "to": receiver, "amount": amount}
        )
        proposed = rules.apply(state, giver, proposal)
        if not isinstance(proposed, rules.Accepted):
            break  # over budget: rejected, nothing changed
        agreement_id = proposed.state.agreements[-1].id
        signed = rules.apply(proposed.state, receiver, rules.Sign(agreement_id))
        if not isinstance(signed, rules.Accepted):
            break
        state, given, gifts = signed.state, given + amount, gifts + 1
    reached = state.trust(receiver, giver)
    return (
        f"| {giver} to {receiver} ({scenario}), gifts of {amount} | {start} | {reached} "
        f"| {gifts} | {given} | {donor.budget} | {donor.capacity} |"
    )


def aid_for_trust(
    giver: str = "usa", receiver: str = "uk", scenario: str = "gulf-1990"
) -> list[str]:
    """Measure 5: budget given, in gifts of the smallest amount and in gifts of a tenth of
    the giver's capacity, to raise trust by 20 (all in one turn)."""
    return [
        "| aid for trust | trust before | trust after | gifts | budget given "
        "| giver's budget | giver's capacity |",
        "|---|---:|---:|---:|---:|---:|---:|",
        _aid_row(giver, receiver, scenario, 1),
        _aid_row(giver, receiver, scenario, None),
        _aid_row("usa", "syria", scenario, 10),
    ]


def report(runs: int) -> str:
    parts = [
        "### 1. A token unit\n",
        *token_unit(),
        "\n### 2. Alone or in coalition\n",
        *kuwait_coalition(),
        f"\n### 3. Escalation peaks ({runs} games each)\n",
        *escalation_peaks(runs),
        f"\n### 4. Idle or cooperative ({runs} games each)\n",
        *idle_scores(runs),
        "\n### 5. Buying trust with aid\n",
        *aid_for_trust(),
        f"\nMeasured with CPython {platform.python_version()}, {platform.machine()}.",
    ]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--write", action="store_true", help="update bench/README.md")
    args = parser.parse_args()
    text = report(args.runs)
    print(text)
    if args.write:
        readme = README.read_text()
        head, _, rest = readme.partition(START)
        _, _, tail = rest.partition(END)
        README.write_text(f"{head}{START}\n{text}\n{END}{tail}")


if __name__ == "__main__":
    main()
