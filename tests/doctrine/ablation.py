"""Helpers for one-factor ablations: the effect size and its margin in words, and bot
games in which only some nations play (the rest give no orders and sign nothing)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from app import rules
from app.bots.base import BaseBot
from app.bots.hand import Hand
from app.bots.measures import RunResult, run_result
from app.bots.orders import Plan
from app.bots.personalities import Cooperative, make_bot
from app.bots.simulate import NationPlan, play_game
from tests.doctrine.conftest import FIRST_SEED, mean_and_error


@dataclass(frozen=True)
class Effect:
    """How much larger a measure is in one arm than in the other, in standard errors."""

    higher: float
    lower: float
    difference: float
    error: float

    @property
    def sigmas(self) -> float:
        return self.difference / self.error if self.error else math.inf

    def clear(self, sigmas: float = 3.0) -> bool:
        return self.difference > sigmas * self.error

    def __str__(self) -> str:
        return (
            f"{self.higher:.3f} vs {self.lower:.3f}: effect {self.difference:+.3f} "
            f"± {self.error:.3f} ({self.sigmas:.1f} standard errors, the bar is 3)"
        )


def effect(
    higher: Sequence[RunResult], lower: Sequence[RunResult], measure: Callable[[RunResult], float]
) -> Effect:
    a, a_error = mean_and_error(higher, measure)
    b, b_error = mean_and_error(lower, measure)
    return Effect(a, b, a - b, math.hypot(a_error, b_error))


class TokenBot(Cooperative):
    """Sends its cheapest usable unit to every open operation, and nothing more: a flag
    on every operation, for the least it can pay."""

    def draw_up(self, hand: Hand) -> Plan:
        state, nation = hand.state, hand.nation
        units = [u for u in nation.units if state.transfer(u.id) is None]
        plan = Plan(hand, units, nation.budget)
        for operation in state.operations:
            if not operation.open_at(state.turn):
                continue
            usable = [
                u
                for u in plan.free
                if plan.affordable(u, nation.budget) and hand.allowed(u, operation)
            ]
            if usable:
                plan.add(min(usable, key=lambda u: (u.cost, u.strength, u.id)), operation)
        return plan


Players = Mapping[str, NationPlan]


def _bots(players: Players, command: str | None) -> dict[str, BaseBot]:
    return {
        nation_id: TokenBot(plan.intents, command=command)  # type: ignore[arg-type]
        if plan.personality == "token"
        else make_bot(plan.personality, plan.intents, command=command)  # type: ignore[arg-type]
        for nation_id, plan in players.items()
    }


def _chunk(
    args: tuple[rules.GameState, Players, str | None, int, int, tuple[Any, ...]],
) -> list[RunResult]:
    state, players, command, seed, runs, checks = args
    results = []
    for game_seed in range(seed, seed + runs):
        final = play_game(state, _bots(players, command), seed=game_seed)
        results.append(run_result(final, game_seed, checks=checks))
    return results


def play_some(
    state: rules.GameState,
    players: Players,
    runs: int,
    command: str | None = None,
    checks: Sequence[Any] = (),
) -> list[RunResult]:
    """`runs` games in which only `players` act (each with its plan; the personality
    "token" is `TokenBot`);
    `checks` (historical-outcome checks) are judged at the end of each, as `historical`."""
    workers = 2
    size = math.ceil(runs / workers)
    jobs = [
        (state, dict(players), command, FIRST_SEED + start, min(size, runs - start), tuple(checks))
        for start in range(0, runs, size)
    ]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [r for chunk in pool.map(_chunk, jobs) for r in chunk]
