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

from app.rules.events import EventKind, Payload, Unknown, stored_kind
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


@dataclass(frozen=True, init=False)
class Event:
    """Something that happened, with full detail; `views.view_event` redacts it per viewer.

    Built with its kind's payload (`app.rules.events.PAYLOADS`), so the data is typed where
    it is told; read as a plain dict by whoever shows or stores it."""

    kind: EventKind
    actor: str | None
    data: dict[str, Any]

    def __init__(self, kind: EventKind, actor: str | None, data: Payload) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "actor", actor)
        object.__setattr__(self, "data", data)

    @classmethod
    def from_log(cls, kind: str, actor: str | None, data: dict[str, Any]) -> Event:
        """An event read back from the game's log. One of a kind this code does not know
        loads as `UNKNOWN`, keeping what was stored, so no page fails on it (no viewer
        sees it)."""
        known = stored_kind(kind)
        if known is None or known is EventKind.UNKNOWN:
            return cls(EventKind.UNKNOWN, actor, Unknown(kind=kind, data=data))
        # Stored by this code's own rules, so shaped as the kind's payload.
        return cls(known, actor, data)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Accepted:
    state: GameState
    events: tuple[Event, ...]
