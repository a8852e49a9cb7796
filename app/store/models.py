"""SQLAlchemy models. Schema changes go through an Alembic migration in `migrations/`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class User(Base):
    """An instructor account (players join by seat link and have no account)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ScenarioVersion(Base):
    """One exact text of a scenario file; a game pins the version it started from."""

    __tablename__ = "scenario_versions"
    __table_args__ = (UniqueConstraint("scenario_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Game(Base):
    __tablename__ = "games"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    scenario_version_id: Mapped[int] = mapped_column(ForeignKey("scenario_versions.id"))
    seed: Mapped[int] = mapped_column(BigInteger)
    # Snapshot of the rules state after event `last_seq`; the events can rebuild it.
    state: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    # Optimistic lock: every write bumps it, and a write on a stale version fails.
    version: Mapped[int] = mapped_column(Integer, default=0)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    # Syndicates: the parallel games of one scenario set up together share an exercise id.
    exercise_id: Mapped[str | None] = mapped_column(String(32), index=True)
    syndicate: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A counterfactual game branched from another at the start of one of its turns.
    branched_from: Mapped[str | None] = mapped_column(String(32))
    branched_turn: Mapped[int | None] = mapped_column(Integer)
    # Copied out of `state` so the clock can find due games with an index.
    deadline: Mapped[float | None] = mapped_column(Float, index=True)
    # Control filed the ended game away: off the control home's main list. A column of its
    # own, not a status: the status follows the game's state on every write.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Control may turn the staff estimate off for an exercise (app/services/estimates.py).
    estimates_allowed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The language control chose for the exercise: a player who has chosen none gets it
    # when joining (None: each browser's own).
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Seat(Base):
    """A nation's seat in a game. Players take it with its join link (`token`) or by typing
    its short join code (`code`: 8 characters, stored upper-case without the hyphen)."""

    __tablename__ = "seats"
    __table_args__ = (
        UniqueConstraint("game_id", "nation_id"),
        UniqueConstraint("code", name="uq_seats_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    game_id: Mapped[str] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"), index=True)
    nation_id: Mapped[str] = mapped_column(String(100))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(16))
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class GameEvent(Base):
    """The numbered, append-only log of everything that happened in a game."""

    __tablename__ = "game_events"
    # A channel's messages, newest first, page by this index (messages are not in the state).
    __table_args__ = (Index("ix_game_events_channel", "game_id", "channel_id", "seq"),)

    game_id: Mapped[str] = mapped_column(
        ForeignKey("games.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    turn: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(50))
    actor: Mapped[str | None] = mapped_column(String(100))
    # For player actions, the action as submitted, so the game can be replayed.
    action: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    data: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    # The channel of a `message_sent` event (copied out of `data`); None for other events.
    channel_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TurnState(Base):
    """The state as each turn opened (and as the game ended): the AAR replays the game
    turn by turn from these, and control branches a counterfactual game from one."""

    __tablename__ = "turn_states"

    game_id: Mapped[str] = mapped_column(
        ForeignKey("games.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    turn: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(20))
    state: Mapped[dict[str, Any]] = mapped_column(JSONDocument)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChannelRead(Base):
    """How far a seat has read a channel: its messages up to `last_seq` are read."""

    __tablename__ = "channel_reads"

    game_id: Mapped[str] = mapped_column(
        ForeignKey("games.id", ondelete="CASCADE"), primary_key=True
    )
    nation_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)


class PagePresence(Base):
    """How many pages of a game one serving process has open, per seat (or "observer").

    Each process replaces its own rows every few seconds; rows not renewed for a while are
    of a process that has stopped, and readers ignore them. No foreign key: a report may
    race a game's deletion, and a stale row expires by itself."""

    __tablename__ = "page_presence"

    process_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    game_id: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)
    viewer_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    pages: Mapped[int] = mapped_column(Integer)
    seen_at: Mapped[float] = mapped_column(Float)


class InstructorSession(Base):
    """A signed-in browser of an instructor. The session cookie carries only a random
    token; this row, keyed by the token's SHA-256, is what makes it valid, so signing out,
    a password change or the account's removal ends it on every serving process."""

    __tablename__ = "instructor_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[float] = mapped_column(Float)
    last_seen_at: Mapped[float] = mapped_column(Float)
    # Idle expiry, pushed forward as the session is used (as the cookie's max age is).
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class ThrottleAttempt(Base):
    """One counted attempt (a wrong password, a wrong join code) under a throttle key,
    such as `sign-in:<address> <email>`. Shared by every serving process; rows older than
    the window are pruned."""

    __tablename__ = "throttle_attempts"
    __table_args__ = (Index("ix_throttle_attempts_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[float] = mapped_column(Float, index=True)


class StaffEstimate(Base):
    """A nation's staff estimate of its orders (app/bots/estimate.py): asked, played in
    the worker pool, its result kept for control and the after-action review."""

    __tablename__ = "staff_estimates"
    __table_args__ = (Index("ix_staff_estimates_game_status", "game_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    game_id: Mapped[str] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    nation_id: Mapped[str] = mapped_column(String(64))
    turn: Mapped[int] = mapped_column(Integer)
    # "current": the orders as given; "what-if": a draft compared with them.
    kind: Mapped[str] = mapped_column(String(16))
    # "running", "done", "cancelled" or "failed".
    status: Mapped[str] = mapped_column(String(16), default="running")
    runs: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    horizon: Mapped[str] = mapped_column(String(8))
    others: Mapped[str] = mapped_column(String(32))
    seed: Mapped[int] = mapped_column(BigInteger)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONDocument)
    asked_at: Mapped[float] = mapped_column(Float)
    finished_at: Mapped[float | None] = mapped_column(Float)
