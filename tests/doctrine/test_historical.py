"""Historical tests: each case study reproduces its historical outcome in a clear majority
of 200 seeded games under its `historical` strategy, and a strategy history did not follow
changes the outcome.

"Clear majority" is at least 60% of games (with 200 games the standard error of a share
near 60% is about 3.5 points, so 60% is well above a coin toss); "changes it" means the
alternative reproduces history at least 30 points less often. The outcome checks are the
scenario's own `historical_outcome.checks`, so an instructor can read what is tested.
"""

from __future__ import annotations

import pytest

from app.bots.simulate import StrategyPlan
from app.scenarios.loader import load_scenario
from tests.doctrine.conftest import RUNS, SCENARIOS, opening, play_many

CLEAR_MAJORITY = 0.6
CHANGED_BY = 0.3

CASES = {
    # scenario: the alternative strategy that history did not follow
    "gulf-1990": "sanctions-only",
    "haiyan-2013": "securitised",
    "crimea-2014": "each-alone",
    "unasur": "cooperative",
    # Issue 15 part 7: the two further case studies of the design.
    "provide-comfort-1991": "relief-only",
    "vietnam-1965": "combined-command",
}

# Monte Carlo: 200 seeded games a side; CI runs these in a step of their own.
pytestmark = [pytest.mark.montecarlo, pytest.mark.timeout(600)]


def _share(scenario_name: str, strategy_id: str) -> float:
    scenario = load_scenario(SCENARIOS / f"{scenario_name}.yaml")
    assert scenario.historical_outcome is not None
    strategy = next(s for s in scenario.strategies if s.id == strategy_id)
    results = play_many(
        opening(scenario_name),
        StrategyPlan.from_scenario(strategy),
        checks=scenario.historical_outcome.checks,
    )
    assert len(results) == RUNS
    return sum(1 for r in results if r.historical) / RUNS


@pytest.mark.parametrize(("scenario_name", "alternative"), CASES.items())
def test_case_study_reproduces_history_and_another_strategy_changes_it(
    scenario_name: str, alternative: str
) -> None:
    historical = _share(scenario_name, "historical")
    other = _share(scenario_name, alternative)
    print(f"{scenario_name}: historical {historical:.0%}, {alternative} {other:.0%}")
    assert historical >= CLEAR_MAJORITY
    assert historical - other >= CHANGED_BY
