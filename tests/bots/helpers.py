"""Test helpers: a bot wrapper that records what the bot did; a scenario file with a
historical outcome."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

from app.bots.base import BaseBot
from app.rules.actions import Action
from app.rules.state import GameState
from tests.bots.conftest import MERIDIAN


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


def historical_meridian(tmp_path: Path, checks: list[dict[str, Any]]) -> Path:
    """Meridian Strait with a historical outcome and a 'historical' strategy."""
    data = yaml.safe_load(MERIDIAN.read_text(encoding="utf-8"))
    data["historical_outcome"] = {"summary": "The strait reopened.", "checks": checks}
    data["strategies"] = [
        *data.get("strategies", []),
        {
            "id": "historical",
            "name": "As it happened",
            "description": "Cardosa kept to relief.",
            "nations": {"cardosa": {"personality": "dove", "aims": {"regions": ["saltmarsh"]}}},
        },
    ]
    path = tmp_path / "meridian-historical.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
