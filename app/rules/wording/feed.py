"""Words for what the game's log tells each viewer about an event."""

from __future__ import annotations

from enum import StrEnum

from app.rules.wording.base import Words


class FeedLine(StrEnum):
    pass


WORDS: dict[str, Words] = {}

CODES: tuple[str, ...] = tuple(FeedLine)
