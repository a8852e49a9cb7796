"""Test helpers: a bot wrapper that records what the bot did."""

from __future__ import annotations

import random

from app.bots.base import BaseBot
from app.rules.actions import Action
from app.rules.state import GameState


class Recording:
    """Plays like `bot` and keeps every action it took, with the turn."""

    def __init__(self, bot: BaseBot) -> None:
        self.bot = bot
        self.log: list[tuple[int, Action]] = []

    def decide(self, state: GameState, nation_id: str, rng: random.Random) -> list[Action]:
        actions = self.bot.decide(state, nation_id, rng)
        self.log.extend((state.turn, a) for a in actions)
        return actions

    def view_key(self, state: GameState, nation_id: str) -> tuple[object, ...]:
        return self.bot.view_key(state, nation_id)

    @property
    def refusals(self) -> int:
        return self.bot.refusals

    def actions(self, kind: type) -> list[Action]:
        return [a for _, a in self.log if isinstance(a, kind)]
