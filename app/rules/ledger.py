"""The ledger of a resolution (or of injects fired): every change, its reason, who sees it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.rules import diplomacy
from app.rules.reasons import Reason
from app.rules.state import Change, GameState


@dataclass
class Ledger:
    """The changes of one resolution, collected as they are decided."""

    changes: list[Change] = field(default_factory=list)
    support: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    trust: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def trust_change(self, nation: str, other: str, delta: int) -> None:
        """Collected, then applied in one pass by `settle_trust`."""
        if nation != other:
            self.trust[(nation, other)] += delta

    def settle_trust(self, state: GameState) -> GameState:
        state = diplomacy.adjust_trust_many(state, dict(self.trust))
        self.trust.clear()
        return state

    def add(
        self, subject: str, delta: float, reason: Reason, visible_to: Iterable[str] = ()
    ) -> None:
        if delta:
            self.changes.append(Change(subject, round(delta, 3), reason, tuple(visible_to)))

    def support_change(
        self, nation_id: str, delta: float, reason: Reason, public: bool = True
    ) -> None:
        if delta:
            self.support[nation_id] += delta
            self.add(f"support:{nation_id}", delta, reason, () if public else (nation_id,))
