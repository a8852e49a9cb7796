"""The personality knobs every bot reads, and the memo that spares it recomputing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, TypeVar

from app.bots.intents import Intents
from app.rules.state import CommandStructure, Operation, Power, Unit

if TYPE_CHECKING:
    from app.bots.hand import Hand

__all__ = ["Knobs"]

T = TypeVar("T")


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    return len(old) == len(new) and all(
        a is b or (isinstance(a, int | str | tuple) and type(a) is type(b) and a == b)
        for a, b in zip(old, new, strict=True)
    )


class Knobs:
    """The settings a personality gives a bot (class attributes, overridden per personality),
    the nation's intents (aims, red lines, agreements sought: `app.bots.intents`), the
    strategy's command structure, and its memo of decisions."""

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
    # Offers to pay part of its lead's costs (whatever its intents) when it has this share
    # of its budget to spare.
    offers_to_pay: ClassVar[bool] = False
    pays_rather_than_fights: ClassVar[float] = 0.3

    def __init__(
        self, intents: Intents | None = None, command: CommandStructure | None = None
    ) -> None:
        self.intents: Intents = intents or Intents()
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
        return f"{type(self).__name__}(intents={self.intents!r}, command={self.command!r})"

    def aims(self, hand: Hand) -> dict[str, int]:
        """The open operations it wants, by its intents: operation id -> interest (in
        objective points, above 0), only those its powers and red lines allow."""
        state, nation = hand.state, hand.nation
        key = (state.turn, nation.objectives, state.operations)
        return self.memo(
            "aims",
            key,
            lambda: {
                op.id: points
                for op in state.operations
                if op.open_at(state.turn)
                and op.power in self.powers
                and (points := self.intents.interest(state, nation, op)) > 0
            },
        )

    def willing(self, hand: Hand, unit: Unit, operation: Operation) -> bool:
        """No caveat of its own and none of its red lines keep `unit` off `operation`."""
        return (
            hand.allowed(unit, operation)
            and self.intents.permits(hand.nation, operation)
            and self.intents.permits_unit(unit, operation)
        )

    @property
    def preferred_command(self) -> CommandStructure:
        return self.intents.command or self.command or "integrated"
