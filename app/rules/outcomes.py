"""What applying an action gives back: `Accepted` (a new state and its events) or a
`Rejection` (a code and a reason), and the `Event` every change of the game is told as.

Every module of `app.rules` that applies something (actions, diplomacy, control,
resolution, injects) builds these. They live apart from `actions`, which calls
`diplomacy`, so that `diplomacy` builds them without importing `actions` back (see
docs/architecture.md, "Layers").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.rules.reasons import Reason
from app.rules.state import GameState
from app.rules.wording import words


@dataclass(frozen=True)
class Rejection:
    """A refused action: a stable machine code (what the web layer and tests branch on) and
    its reason (a `RejectionReason` and its parameters), worded as `message`."""

    code: str
    reason: Reason

    @property
    def message(self) -> str:
        """The reason in words, for the player (never stored, so its names are in it)."""
        return words(self.reason)


@dataclass(frozen=True)
class Event:
    """Something that happened, with full detail; `views.view_event` redacts it per viewer."""

    kind: str
    actor: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Accepted:
    state: GameState
    events: tuple[Event, ...]
