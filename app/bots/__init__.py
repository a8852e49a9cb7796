"""Automated players on top of `app.rules` (docs/architecture.md, "Layers" and "The rules").

Bots fill empty seats, take over a seat whose player has gone, and play many seeded games
for Monte Carlo studies and staff estimates. They import only the rules (and read
scenario strategies given to them); nothing from services, web or store.

`simulate` itself is not re-exported: the name is the module `app.bots.simulate`
(``from app.bots.simulate import simulate``).
"""

from app.bots.base import BaseBot, Bot, Hand
from app.bots.personalities import (
    PERSONALITIES,
    Cooperative,
    Dove,
    FreeRider,
    Hawk,
    Spoiler,
    make_bot,
)
from app.bots.simulate import (
    NationPlan,
    PlayStats,
    RunResult,
    StrategyPlan,
    Summary,
    UnknownStrategy,
    check_outcome,
    historical_checks,
    opening_state,
    play_game,
    run_result,
    simulate_scenario,
    strategy_for,
    summarise,
)

__all__ = [
    "PERSONALITIES",
    "BaseBot",
    "Bot",
    "Cooperative",
    "Dove",
    "FreeRider",
    "Hand",
    "Hawk",
    "NationPlan",
    "PlayStats",
    "RunResult",
    "Spoiler",
    "StrategyPlan",
    "Summary",
    "UnknownStrategy",
    "check_outcome",
    "historical_checks",
    "make_bot",
    "opening_state",
    "play_game",
    "run_result",
    "simulate_scenario",
    "strategy_for",
    "summarise",
]
