"""Words for why an action (a player's or control's) was refused."""

from __future__ import annotations

from enum import StrEnum

from app.rules.wording.base import Words


class RejectionReason(StrEnum):
    pass


WORDS: dict[str, Words] = {}

CODES: tuple[str, ...] = tuple(RejectionReason)
