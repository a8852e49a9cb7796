"""The scenario checked by simulation (issue 19): how often each event fires and on
which turn, each operation completes and each objective is met, within a bound."""

from __future__ import annotations

import itertools

from app.bots.scenario_check import check_runs, format_check, play_runs
from app.scenarios.loader import parse_scenario
from app.services.scenarios import MAX_SIMULATION_RUNS, NEW_SCENARIO, simulate_scenario_check

# Two injects: one on turn 2 (always fires, on turn 2), one at the top rung of the
# ladder, which nothing in this quiet scenario reaches (a dead event).
EVENTS = """\
events:
  - id: storm
    name: A storm
    text: A storm closes the coast road.
    trigger: {kind: turn, value: 2}
    effects: [{kind: support, target: north, value: -5}]
  - id: war
    name: Open war
    text: The adversary attacks.
    trigger: {kind: escalation_at_least, value: 10}
"""
OBJECTIVE = """\
    objectives:
      - {id: coast, text: The coast is secure., kind: operation_succeeds, target: secure-coast}
"""
SCENARIO = parse_scenario(
    NEW_SCENARIO.replace(
        "    secret_objective: Keep our own losses low.\n",
        "    secret_objective: Keep our own losses low.\n" + OBJECTIVE,
    )
    + EVENTS
)


def test_a_turn_event_fires_every_game_on_its_turn_and_a_dead_one_never() -> None:
    strategy, finals = play_runs(SCENARIO, 6, seed=3)
    played = list(finals)
    check = check_runs(SCENARIO, played, asked=6, strategy=strategy)
    assert check.runs == 6 and not check.notes
    storm, war = check.events
    assert (storm.id, storm.times, storm.turns) == ("storm", 6, ((2, 6),))
    assert (war.id, war.times, war.turns) == ("war", 0, ())
    # The objective is met exactly when its operation completed.
    (operation,) = check.operations
    (objective,) = check.objectives
    assert objective.owner == "Northland" and objective.times == operation.times
    completed = sum(1 for final in played for op in final.operations if op.status == "completed")
    assert operation.times == completed
    assert check.peak_escalation is not None
    assert 2 <= check.peak_escalation.low <= check.peak_escalation.high <= 10
    text = format_check(check)
    assert "A storm [storm]: 6/6 (100%); turn 2 x6" in text
    assert "Open war [war]: 0/6 (0%); never fired" in text


def test_the_editor_check_is_capped_and_stops_when_its_time_is_up() -> None:
    ticks = itertools.count(step=100)  # each reading of the clock: 100 s later
    check = simulate_scenario_check(SCENARIO, 10_000, seconds=150, clock=lambda: next(ticks))
    assert check.asked == MAX_SIMULATION_RUNS
    assert check.runs == 2  # started at 0; after the first game 100, after the second 200
    assert check.notes == (
        f"Time ran out: 2 of the {MAX_SIMULATION_RUNS} games asked for were played.",
    )
