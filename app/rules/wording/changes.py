"""Words for why a number moved (ledger changes), what each factor of an operation
measured, and how an operation went."""

from __future__ import annotations

from enum import StrEnum

from app.rules.wording.base import Words


class ChangeReason(StrEnum):
    pass


WORDS: dict[str, Words] = {}

CODES: tuple[str, ...] = tuple(ChangeReason)
