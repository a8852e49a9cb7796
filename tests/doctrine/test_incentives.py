"""No cheap trick wins (issue 14, part 5): on the shipped scenarios, a nation's own score
when it plays a trick is lower than when it plays its honest part in the coalition.

One factor changes at a time: the nation's own conduct, everyone else cooperating, on the
same seeds (a paired comparison). The tricks: abstaining (giving no orders, signing
nothing), over every shipped scenario, and token contributions (the free rider: one cheap
unit a turn, pledges broken, never paying), over Crimea and the Gulf. Power: 24 paired
games per nation and trick; the score differences are whole objectives (10-20 points),
and the test asks for the mean difference to exceed three standard errors of the paired
differences (or, with no spread at all, to be negative). Measured (docs/rules/incentives.md):
every effect is 9.6 points or more below honest play; the thinnest margins beyond the
3-sigma bar are the Baltic states free riding (-12.5 ± 3.3, margin 2.6: the spread of the
operations' luck) and China idle in Haiyan (-10.4 ± 1.8, margin 5.0). The abstention
games of the four scenarios added in issue 14's part 8 cost ~7 s on two cores.
"""

from __future__ import annotations

import math
import os
import statistics
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import pytest

from app.bots import StrategyPlan
from app.bots.simulate import NationPlan, play_game
from app.rules.scoring import nation_score
from tests.doctrine.conftest import FIRST_SEED, opening

HONEST = "honest"
IDLE = "idle"  # no bot: no orders, no signatures

pytestmark = [pytest.mark.montecarlo, pytest.mark.timeout(900)]

# Abstention over every shipped scenario; free riding over the two the bots' free rider
# was tuned on (elsewhere its one cheap unit can still be a nation's honest part).
SCENARIOS = (
    "crimea-2014",
    "gulf-1990",
    "haiyan-2013",
    "meridian-strait",
    "northern-reach",
    "unasur",
    "provide-comfort-1991",
    "vietnam-1965",
)
TRICKS = {scenario: (IDLE,) for scenario in SCENARIOS} | {
    "crimea-2014": (IDLE, "free_rider"),
    "gulf-1990": (IDLE, "free_rider"),
}
RUNS = 24


def _seeds() -> range:
    return range(FIRST_SEED, FIRST_SEED + RUNS)


def _play(job: tuple[str, str, str]) -> tuple[tuple[str, str, str], tuple[int, ...]]:
    """One job's games. (scenario, "*", honest): every nation's score in each
    all-cooperative game, nation by nation. (scenario, nation, conduct): that nation's own
    score in each game where it plays `conduct` (idle: no bot at all) and every other
    nation plays cooperative."""
    scenario, nation_id, conduct = job
    state = opening(scenario)
    if conduct == HONEST:
        plan = StrategyPlan.everyone("cooperative")
        finals = [play_game(state, plan.bots(state), seed) for seed in _seeds()]
        return job, tuple(nation_score(f, n.id)[0] for f in finals for n in state.nations)
    personalities = {} if conduct == IDLE else {nation_id: NationPlan(conduct)}
    plan = StrategyPlan(id=conduct, name=conduct, nations=personalities, default="cooperative")
    scores = []
    for seed in _seeds():
        bots = plan.bots(state)
        if conduct == IDLE:
            del bots[nation_id]
        scores.append(nation_score(play_game(state, bots, seed), nation_id)[0])
    return job, tuple(scores)


@cache
def own_scores() -> dict[tuple[str, str, str], tuple[int, ...]]:
    """Every nation of the scenarios, honest and playing each of its scenario's tricks:
    the games are shared by the tests below. The honest games are the same for every
    nation of a scenario, so they are played once."""
    jobs = []
    for scenario in SCENARIOS:
        jobs.append((scenario, "*", HONEST))
        for nation in opening(scenario).nations:
            jobs += [(scenario, nation.id, trick) for trick in TRICKS[scenario]]
    workers = max(1, min(4, os.cpu_count() or 1))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return dict(pool.map(_play, jobs, chunksize=4))


def _honest(scenario: str, nation_id: str) -> tuple[int, ...]:
    nations = [n.id for n in opening(scenario).nations]
    flat = own_scores()[(scenario, "*", HONEST)]
    index = nations.index(nation_id)
    return flat[index :: len(nations)]


def _paired(honest: tuple[int, ...], trick: tuple[int, ...]) -> tuple[float, float]:
    """The mean of trick - honest over the paired seeds, and its standard error."""
    differences = [t - h for h, t in zip(honest, trick, strict=True)]
    error = statistics.stdev(differences) / math.sqrt(len(differences))
    return statistics.mean(differences), error


def _check_trick(trick: str) -> None:
    failures, lines = [], []
    for scenario in (s for s in SCENARIOS if trick in TRICKS[s]):
        for nation in opening(scenario).nations:
            honest = _honest(scenario, nation.id)
            tricked = own_scores()[(scenario, nation.id, trick)]
            difference, error = _paired(honest, tricked)
            margin = -difference - 3 * error
            line = (
                f"{scenario} {nation.id}: honest {statistics.mean(honest):.1f}, "
                f"{trick} {statistics.mean(tricked):.1f}, effect {difference:+.1f} "
                f"± {error:.1f} (margin {margin:.1f})"
            )
            lines.append(line)
            if not (difference < 0 and margin > 0):
                failures.append(line)
    print("\n".join(lines))
    assert not failures, "a cheap trick beats honest play:\n" + "\n".join(failures)


def test_abstaining_scores_less_than_playing_an_honest_part() -> None:
    """Idle (no orders, nothing signed) while the others cooperate: the nation misses its
    fair share of the crisis's costs, and whatever needed it. Before issue 14 France in
    Crimea (35 vs 34.6), Canada (20 vs 14.5) and Japan in the Gulf (30 vs 15) did better
    idle; before the fair-share and crisis-won objectives reached the other four
    scenarios, so did China in Haiyan (32.5 vs 26.2), Cardosa in the Meridian Strait
    (32.5 vs 22.9), Aldmark (35 vs 31.7) and Fenwick (40 vs 19.2) in the Northern Reach,
    and Brazil (15 vs 0) and Ecuador (30 vs 16.2) in UNASUR."""
    _check_trick(IDLE)


def test_token_contributions_score_less_than_playing_an_honest_part() -> None:
    """The free rider: one cheap unit a turn (a flag planted), pledges mostly broken, never
    paying. Before issue 14 Japan in the Gulf scored 16.5 this way, more than cooperating."""
    _check_trick("free_rider")
