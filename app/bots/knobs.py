"""The personality knobs every bot reads, and the memo that spares it recomputing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ClassVar, TypeVar

from app.rules.state import CommandStructure, Power

__all__ = ["Knobs"]

T = TypeVar("T")


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    return len(old) == len(new) and all(
        a is b or (isinstance(a, int | str | tuple) and type(a) is type(b) and a == b)
        for a, b in zip(old, new, strict=True)
    )


class Knobs:
    """The settings a personality gives a bot (class attributes, overridden per personality),
    its focus and preferred command structure, and its memo of decisions."""

    personality: ClassVar[str] = "base"
    # Which operations it will put forces into.
    powers: ClassVar[tuple[Power, ...]] = ("hard", "soft")
    # Trust (0-100) it needs in a partner to deal with it.
    trust_threshold: ClassVar[int] = 45
    # Founds and leads coalitions (invites, command, statements) / asks to join them.
    founds: ClassVar[bool] = True
    joins: ClassVar[bool] = True
    shares_intelligence: ClassVar[bool] = True
    # Spending per turn as a multiple of an even spread of its money over the turns left;
    # None: everything it has.
    pace: ClassVar[float | None] = 1.3
    # Strength it aims for on an operation, as a multiple of the difficulty.
    target_ratio: ClassVar[float] = 1.2
    # Also commit units whose capability the operation does not ask for (raw strength).
    extra_units: ClassVar[bool] = False
    # Skip an operation when even its best effort would score below this (0: never skip).
    hopeless: ClassVar[float] = 0.4
    # Share of its pledges it honours (drawn per pledge, fixed for the game).
    honour_rate: ClassVar[float] = 1.0
    # Pays others' costs under cost sharing and gives aid.
    pays: ClassVar[bool] = True
    # Keeps hard power within its coalition's agreed operations (unilateral action costs
    # trust with the partners).
    respects_mandate: ClassVar[bool] = True
    # Interleaves hard and soft operations (a mixed posture).
    mixes: ClassVar[bool] = False
    # Moves its spending towards its fair share (capacity) of the coalition's burden.
    fair_share: ClassVar[bool] = False
    # Units it places in a turn beyond those its pledges need (None: no limit).
    max_units: ClassVar[int | None] = None
    # Prefers the cheapest units to the most useful ones.
    cheap: ClassVar[bool] = False
    # Pledges to its coalition lead the forces it plans to send.
    pledges: ClassVar[bool] = True

    def __init__(self, focus: Iterable[str] = (), command: CommandStructure | None = None) -> None:
        self.focus: tuple[str, ...] = tuple(focus)
        self.command: CommandStructure | None = command
        self.refusals = 0  # actions it took the rules refused (must stay 0)
        self._allowed: dict[tuple[object, ...], bool] = {}
        self._memo: dict[str, tuple[tuple[object, ...], object]] = {}  # name -> (key, value)

    def memo(self, name: str, key: tuple[object, ...], compute: Callable[[], T]) -> T:
        """`compute()`, remembered while every part of `key` stays the same: the same
        object (parts of the immutable state), or an equal number or text."""
        cached = self._memo.get(name)
        if cached is not None and _same(cached[0], key):
            return cached[1]  # type: ignore[return-value]
        value = compute()
        self._memo[name] = (key, value)
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(focus={self.focus!r}, command={self.command!r})"

    @property
    def preferred_command(self) -> CommandStructure:
        return self.command or "integrated"
