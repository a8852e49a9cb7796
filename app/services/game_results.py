"""The result types of the game use cases (`GameService`, its seats and its talks)."""

from __future__ import annotations

from dataclasses import dataclass

from app import rules
from app.store.models import GameEvent


def grouped_code(code: str) -> str:
    """A code as people read and type it: `K7QM3XPA` -> `K7QM-3XPA`."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if code else ""


@dataclass(frozen=True)
class SeatLink:
    nation_id: str
    nation_name: str
    token: str
    bot: str | None = None
    """The personality of the bot that plays the seat, if one does."""
    code: str = ""
    """The seat's join code as stored (`K7QM3XPA`); `grouped_code` shows it."""

    @property
    def grouped_code(self) -> str:
        return grouped_code(self.code)


@dataclass(frozen=True)
class CreatedGame:
    game_id: str
    name: str
    seats: list[SeatLink]


@dataclass(frozen=True)
class GameSummary:
    game_id: str
    name: str
    status: str
    nation_names: dict[str, str]


@dataclass(frozen=True)
class SeatInvitation:
    """The seat a join link offers: which nation in which game."""

    game_id: str
    nation_id: str
    game_name: str
    nation_name: str


@dataclass(frozen=True)
class Snapshot:
    """A game's state at `seq`, read in one transaction."""

    game_id: str
    name: str
    seq: int
    state: rules.GameState


@dataclass(frozen=True)
class LoggedEvent:
    seq: int
    turn: int
    event: rules.Event

    @classmethod
    def of_row(cls, row: GameEvent) -> LoggedEvent:
        return cls(row.seq, row.turn, rules.Event.from_log(row.kind, row.actor, row.data))


@dataclass(frozen=True)
class ActionResult:
    seq: int
    state: rules.GameState
    events: list[LoggedEvent]


@dataclass(frozen=True)
class ChannelPage:
    """A page of one channel's messages (`message_sent` events), oldest first."""

    channel_id: str
    messages: list[LoggedEvent]
    more: bool
    """More messages lie beyond this page: older ones, or newer ones when paging forward."""
    total: int
    """Messages in the channel the reader may read according to `state` (read before the
    messages)."""
    state: rules.GameState


@dataclass(frozen=True)
class ChannelCount:
    messages: int
    unread: int
