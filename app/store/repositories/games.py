"""Queries on games, their seats and their event log."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Insert,
    ScalarSelect,
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, defer

from app.store.database import WRITE_CONNECTION, EncodedJSON
from app.store.models import ChannelRead, Game, GameEvent, Seat, TurnState, utcnow

MESSAGE_KIND = "message_sent"


@dataclass(frozen=True)
class GameHead:
    name: str
    last_seq: int
    version: int


@dataclass(frozen=True)
class LockedGame:
    """What a change reads of a game whose row it has locked: its state (None: not read)
    and what writing the next state back needs. Plain columns, not an ORM object: every
    action reads one, and loading it into the session cost more than the read."""

    id: str
    name: str
    version: int
    last_seq: int
    state: dict[str, Any] | None


class StaleGame(Exception):
    """The game changed since it was read; the caller re-reads and tries again."""


class GameRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._bound: Connection | None = None

    def get(
        self, game_id: str, *, for_update: bool = False, with_state: bool = True
    ) -> Game | None:
        """The game; without its state (read when first used) if `with_state` is false."""
        query = _GET_GAME[with_state, for_update]
        return self.session.scalars(query, {"game_id": game_id}).one_or_none()

    def lock(
        self, game_id: str, nation_id: str | None = None, *, with_state: bool
    ) -> tuple[LockedGame | None, str | None]:
        """The game, its row locked for update, and with `nation_id` the join token of its
        seat of that nation (None: no such seat), in one statement: an action reads both."""
        row = (
            self._connection()
            .execute(
                _LOCK[with_state, nation_id is not None],
                {"game_id": game_id, "nation_id": nation_id},
            )
            .one_or_none()
        )
        if row is None:
            return None, None
        state = row[4] if with_state else None
        game = LockedGame(row[0], row[1], row[2], row[3], state)
        return game, (row[-1] if nation_id is not None else None)

    def state_of(self, game_id: str) -> dict[str, Any] | None:
        """The game's state alone (a game locked without it, whose kept state is stale)."""
        state: dict[str, Any] | None = (
            self._connection().execute(_STATE, {"game_id": game_id}).scalar_one_or_none()
        )
        return state

    def _connection(self) -> Connection:
        # The session's connection, asked for once (a write session's, not at all): each
        # ask goes through the session's transaction bookkeeping, a cost on every action.
        if self._bound is None:
            self._bound = self.session.info.get(WRITE_CONNECTION) or self.session.connection()
        return self._bound

    def head(self, game_id: str) -> GameHead | None:
        """The game's name, latest seq and version, without its state (a large JSON
        document to read and parse)."""
        row = self.session.connection().execute(_HEAD, {"game_id": game_id}).one_or_none()
        return None if row is None else GameHead(row.name, row.last_seq, row.version)

    def last_seq(self, game_id: str) -> int | None:
        return self.session.scalars(select(Game.last_seq).where(Game.id == game_id)).one_or_none()

    def add(self, game: Game) -> None:
        self.session.add(game)
        self.session.flush()

    def list_active(self) -> Sequence[Game]:
        return self.session.scalars(
            select(Game).where(Game.status == "active").order_by(Game.created_at.desc(), Game.id)
        ).all()

    def last_action_times(self, game_id: str) -> dict[str, datetime]:
        """When each actor last acted (a nation's order, message, proposal, ready...;
        events the rules make themselves have no actor)."""
        rows = self.session.execute(
            select(GameEvent.actor, func.max(GameEvent.created_at))
            .where(GameEvent.game_id == game_id, GameEvent.actor.is_not(None))
            .group_by(GameEvent.actor)
        ).all()
        return {actor: _aware(when) for actor, when in rows if actor and when}

    def list_all(self) -> Sequence[Game]:
        return self.session.scalars(select(Game).order_by(Game.created_at.desc(), Game.id)).all()

    def file_under_exercise(
        self, game_id: str, exercise_id: str, syndicate: int, created_by: int | None
    ) -> None:
        game = self.session.get(Game, game_id)
        if game is not None:
            game.exercise_id, game.syndicate, game.created_by = exercise_id, syndicate, created_by

    def set_language(self, game_id: str, language: str | None) -> None:
        game = self.session.get(Game, game_id)
        if game is not None:
            game.language = language

    def set_archived(self, game: Game, archived_at: datetime | None) -> None:
        """File the game away (off control's main list), or back with None."""
        game.archived_at = archived_at
        self.session.flush()

    def delete(self, game_id: str) -> bool:
        """Delete the game for good; the database deletes its seats, events, turn states
        and channel read markers with it (ON DELETE CASCADE). Branches made from it keep
        their own rows: `branched_from` only names it. Whether there was such a game."""
        result = self.session.execute(
            delete(Game).where(Game.id == game_id).execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def in_exercise(self, exercise_id: str) -> Sequence[Game]:
        return self.session.scalars(
            select(Game).where(Game.exercise_id == exercise_id).order_by(Game.syndicate)
        ).all()

    def add_turn_state(
        self, game_id: str, seq: int, turn: int, phase: str, state: dict[str, Any]
    ) -> None:
        self.session.add(TurnState(game_id=game_id, seq=seq, turn=turn, phase=phase, state=state))

    def turn_states(self, game_id: str) -> Sequence[TurnState]:
        return self.session.scalars(
            select(TurnState).where(TurnState.game_id == game_id).order_by(TurnState.seq)
        ).all()

    def opened_turns(self, game_id: str, phase: str) -> list[int]:
        """The turns whose state as `phase` opened is kept, without reading the states."""
        return sorted(
            set(
                self.session.scalars(
                    select(TurnState.turn).where(
                        TurnState.game_id == game_id, TurnState.phase == phase
                    )
                ).all()
            )
        )

    def due_game_ids(self, now: float) -> Sequence[str]:
        return self.session.scalars(
            select(Game.id).where(Game.status == "active", Game.deadline <= now)
        ).all()

    def save_state(
        self,
        game: Game | LockedGame,
        state: dict[str, Any] | bytes,
        *,
        deadline: float | None,
        status: str,
        last_seq: int,
    ) -> None:
        """Write a new snapshot if nobody else has since `game.version` was read. The state
        as a dict, or already encoded as JSON (bytes), as it is then written."""
        # A Core statement built once: every action runs it, and the ORM's bulk-update
        # path (and building the statement anew) cost more than the write itself.
        result = self._connection().execute(
            _SAVE_STATE,
            {
                "game_id": game.id,
                "read_version": game.version,
                "state": EncodedJSON(state) if isinstance(state, bytes) else state,
                "deadline": deadline,
                "status": status,
                "last_seq": last_seq,
                "version": game.version + 1,
            },
        )
        if result.rowcount != 1:
            raise StaleGame(game.id)
        if isinstance(game, Game):  # its columns are now stale in the session
            self.session.expire(game)

    def save_and_log(
        self,
        game: LockedGame,
        state: bytes,
        rows: Sequence[Mapping[str, Any]],
        *,
        deadline: float | None,
        status: str,
        last_seq: int,
    ) -> None:
        """`save_state` then `log_events` (the state already encoded as JSON). On
        PostgreSQL one statement, the UPDATE in a CTE and the events inserted from its row
        (none if the version moved on: StaleGame): a round trip and a statement's work
        fewer on every action. SQLite has no UPDATE in a CTE: two statements there."""
        connection = self._connection()
        if connection.dialect.name != "postgresql" or not 1 <= len(rows) <= MERGED_ROWS:
            self.save_state(game, state, deadline=deadline, status=status, last_seq=last_seq)
            self.log_events(rows)
            return
        parameters: dict[str, Any] = {
            "game_id": game.id,
            "read_version": game.version,
            "state": EncodedJSON(state),
            "deadline": deadline,
            "status": status,
            "last_seq": last_seq,
            "version": game.version + 1,
        }
        now = utcnow()
        for n, row in enumerate(rows):
            for name in _LOGGED_COLUMNS:
                parameters[f"{name}_{n}"] = row.get(name)
            parameters[f"created_at_{n}"] = row.get("created_at") or now
        result = connection.execute(_SAVE_AND_LOG[len(rows) - 1], parameters)
        if result.rowcount != len(rows):
            raise StaleGame(game.id)

    def append_events(self, events: Sequence[GameEvent]) -> None:
        self.session.add_all(events)
        self.session.flush()

    def log_events(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Append events given as column values (`game_id`, `seq`, `turn`, `kind`,
        `actor`, `action`, `data`, `channel_id`; `created_at` defaults to now) in one
        Core statement: no ORM objects to build, track and flush on every action."""
        if len(rows) == 1:  # most actions log one event: a plain execute, no executemany
            self._connection().execute(_LOG_EVENT, rows[0])
        elif rows:
            self._connection().execute(_LOG_EVENT, list(rows))

    def events_after(self, game_id: str, seq: int, limit: int = 500) -> Sequence[GameEvent]:
        return self.session.scalars(
            _EVENTS_AFTER, {"game_id": game_id, "seq": seq, "limit": limit}
        ).all()

    def events_of_kinds(self, game_id: str, kinds: Collection[str]) -> Sequence[GameEvent]:
        """Every event of these kinds, oldest first (the after-action review's timeline,
        without the messages and orders in between)."""
        return self.session.scalars(
            select(GameEvent)
            .where(GameEvent.game_id == game_id, GameEvent.kind.in_(sorted(kinds)))
            .order_by(GameEvent.seq)
        ).all()

    def latest_events(self, game_id: str, limit: int) -> Sequence[GameEvent]:
        rows = self.session.scalars(
            select(GameEvent)
            .where(GameEvent.game_id == game_id)
            .order_by(GameEvent.seq.desc())
            .limit(limit)
        ).all()
        return list(reversed(rows))

    def messages(
        self,
        game_id: str,
        channel_id: str,
        before_seq: int | None,
        limit: int,
        *,
        after_seq: int | None = None,
        first_message: int = 0,
    ) -> Sequence[GameEvent]:
        """A channel's messages, oldest first: the newest `limit` before `before_seq` (or
        the newest of all); with `after_seq`, the oldest `limit` after it (to catch up).
        Only those from message id `first_message` on (a member that joined late)."""
        query = select(GameEvent).where(
            GameEvent.game_id == game_id,
            GameEvent.channel_id == channel_id,
            GameEvent.kind == MESSAGE_KIND,
        )
        if first_message:
            query = query.where(_message_id() >= first_message)
        if before_seq is not None:
            query = query.where(GameEvent.seq < before_seq)
        if after_seq is not None:
            query = query.where(GameEvent.seq > after_seq)
            return self.session.scalars(query.order_by(GameEvent.seq).limit(limit)).all()
        rows = self.session.scalars(query.order_by(GameEvent.seq.desc()).limit(limit)).all()
        return list(reversed(rows))

    def message_counts(
        self,
        game_id: str,
        nation_id: str,
        channel_ids: Sequence[str],
        first_messages: Mapping[str, int] | None = None,
    ) -> dict[str, tuple[int, int]]:
        """Per channel with messages: (messages, unread by `nation_id`), in one grouped
        query. Unread: after the nation's read marker, and not sent by the nation. In a
        channel of `first_messages` only those from that message id on count."""
        if not channel_ids:
            return {}
        late = {c: first for c, first in (first_messages or {}).items() if first}
        readable = (
            or_(
                GameEvent.channel_id.not_in(sorted(late)),
                *(
                    and_(GameEvent.channel_id == c, _message_id() >= first)
                    for c, first in sorted(late.items())
                ),
            )
            if late
            else true()
        )
        unread = case(
            (
                and_(
                    GameEvent.seq > func.coalesce(ChannelRead.last_seq, 0),
                    or_(GameEvent.actor.is_(None), GameEvent.actor != nation_id),
                ),
                1,
            ),
            else_=0,
        )
        rows = self.session.execute(
            select(GameEvent.channel_id, func.count(), func.sum(unread))
            .select_from(GameEvent)
            .outerjoin(
                ChannelRead,
                and_(
                    ChannelRead.game_id == GameEvent.game_id,
                    ChannelRead.channel_id == GameEvent.channel_id,
                    ChannelRead.nation_id == nation_id,
                ),
            )
            .where(
                GameEvent.game_id == game_id,
                GameEvent.channel_id.in_(channel_ids),
                GameEvent.kind == MESSAGE_KIND,
                readable,
            )
            .group_by(GameEvent.channel_id)
        ).all()
        return {str(channel): (int(total), int(new or 0)) for channel, total, new in rows}

    def mark_read(self, game_id: str, nation_id: str, channel_id: str, seq: int) -> None:
        """Move the nation's read marker in the channel forward to `seq` (never back)."""
        insert = (
            postgresql.insert
            if self.session.get_bind().dialect.name == "postgresql"
            else sqlite.insert
        )
        statement = insert(ChannelRead).values(
            game_id=game_id, nation_id=nation_id, channel_id=channel_id, last_seq=seq
        )
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["game_id", "nation_id", "channel_id"],
                set_={"last_seq": statement.excluded.last_seq},
                where=ChannelRead.last_seq < statement.excluded.last_seq,
            )
        )


class SeatRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_all(self, seats: Sequence[Seat]) -> None:
        self.session.add_all(seats)
        self.session.flush()

    def by_token(self, token: str) -> Seat | None:
        return self.session.scalars(select(Seat).where(Seat.token == token)).one_or_none()

    def by_code(self, code: str) -> Seat | None:
        """The seat with this join code (as stored: upper-case, no hyphen)."""
        return self.session.scalars(select(Seat).where(Seat.code == code)).one_or_none()

    def codes_in_use(self, codes: Collection[str]) -> set[str]:
        """Which of `codes` some seat already has."""
        if not codes:
            return set()
        return set(self.session.scalars(select(Seat.code).where(Seat.code.in_(list(codes)))))

    def token_of(self, game_id: str, nation_id: str) -> str | None:
        """The seat's join token (None: no such seat), without loading the seat."""
        token: str | None = (
            self.session.connection()
            .execute(_SEAT_TOKEN, {"game_id": game_id, "nation_id": nation_id})
            .scalar_one_or_none()
        )
        return token

    def of_nation(self, game_id: str, nation_id: str) -> Seat | None:
        return self.session.scalars(
            select(Seat).where(Seat.game_id == game_id, Seat.nation_id == nation_id)
        ).one_or_none()

    def for_game(self, game_id: str) -> Sequence[Seat]:
        return self.session.scalars(
            select(Seat).where(Seat.game_id == game_id).order_by(Seat.id)
        ).all()


# The tables themselves (declarative types them as any FROM clause).
_GAMES = cast(Table, Game.__table__)
_SAVE_STATE = (
    update(_GAMES)
    .where(
        _GAMES.c.id == bindparam("game_id"),
        _GAMES.c.version == bindparam("read_version"),
    )
    .values(
        state=bindparam("state"),
        deadline=bindparam("deadline"),
        status=bindparam("status"),
        last_seq=bindparam("last_seq"),
        version=bindparam("version"),
    )
)


def _game_query(*, with_state: bool, for_update: bool) -> Select[Game]:
    query = select(Game).where(Game.id == bindparam("game_id"))
    if not with_state:
        query = query.options(defer(Game.state))
    return query.with_for_update() if for_update else query


# The game read by id, with or without its state, with or without its row's lock: one
# statement each, built once (every action reads the game; building the statement anew
# cost about as much as running it).
_GET_GAME = {
    (with_state, for_update): _game_query(with_state=with_state, for_update=for_update)
    for with_state in (False, True)
    for for_update in (False, True)
}
# Every page reads these after each change (the hub's read, one per game and change).
_HEAD = select(_GAMES.c.name, _GAMES.c.last_seq, _GAMES.c.version).where(
    _GAMES.c.id == bindparam("game_id")
)
_EVENTS_AFTER = (
    select(GameEvent)
    .where(GameEvent.game_id == bindparam("game_id"), GameEvent.seq > bindparam("seq"))
    .order_by(GameEvent.seq)
    .limit(bindparam("limit"))
)
_SEATS = cast(Table, Seat.__table__)
_SEAT_TOKEN = select(_SEATS.c.token).where(
    _SEATS.c.game_id == bindparam("game_id"), _SEATS.c.nation_id == bindparam("nation_id")
)


def _lock_query(*, with_state: bool, with_token: bool) -> Select[Any]:
    columns: list[ColumnElement[Any] | ScalarSelect[Any]] = [
        _GAMES.c.id,
        _GAMES.c.name,
        _GAMES.c.version,
        _GAMES.c.last_seq,
    ]
    if with_state:
        columns.append(_GAMES.c.state)
    if with_token:
        # A subquery in the select list, not a join: PostgreSQL's FOR UPDATE then locks
        # the game's row alone (and would refuse the nullable side of an outer join).
        columns.append(_SEAT_TOKEN.scalar_subquery())
    return select(*columns).where(_GAMES.c.id == bindparam("game_id")).with_for_update()


# The game's row locked for a change, with or without its state, with or without a
# seat's token: Core statements built once (every action runs one).
_LOCK = {
    (with_state, with_token): _lock_query(with_state=with_state, with_token=with_token)
    for with_state in (False, True)
    for with_token in (False, True)
}
_STATE = select(_GAMES.c.state).where(_GAMES.c.id == bindparam("game_id"))
_LOG_EVENT = cast(Table, GameEvent.__table__).insert()


# What an event row gives beyond its game (`saved`'s id) and time (`created_at`).
_LOGGED_COLUMNS = ("seq", "turn", "kind", "actor", "action", "data", "channel_id")
MERGED_ROWS = 4
"""Events up to which `save_and_log` writes in one statement on PostgreSQL (an action
logs one; a turn's resolution, more, goes as two statements)."""


def _save_and_log_query(rows: int) -> Insert:
    saved = _SAVE_STATE.returning(_GAMES.c.id).cte("saved")
    events = cast(Table, GameEvent.__table__)

    def row(n: int) -> Select[Any]:
        values = [bindparam(f"{name}_{n}", type_=events.c[name].type) for name in _LOGGED_COLUMNS]
        created = bindparam(f"created_at_{n}", type_=events.c.created_at.type)
        return select(saved.c.id, *values, created)

    selected = row(0) if rows == 1 else union_all(*(row(n) for n in range(rows)))
    columns = ["game_id", *_LOGGED_COLUMNS, "created_at"]
    # The rows inserted say whether the UPDATE matched: SQLAlchemy keeps an INSERT's
    # rowcount only when asked.
    return (
        events.insert()
        .from_select(columns, selected, include_defaults=False)
        .execution_options(preserve_rowcount=True)
    )


# The state written and its events appended in one PostgreSQL statement, one per number
# of events (built once each).
_SAVE_AND_LOG = [_save_and_log_query(rows) for rows in range(1, MERGED_ROWS + 1)]


def _message_id() -> ColumnElement[int]:
    """A message's id (`data.message_id`): ids grow with the log, like seq."""
    message_id: ColumnElement[int] = GameEvent.data["message_id"].as_integer()
    return message_id


def _aware(when: datetime) -> datetime:
    # SQLite gives back naive datetimes; every time stored is UTC.
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
