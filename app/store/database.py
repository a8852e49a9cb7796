"""Engine and transactions for SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import json
import select
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic_core import PydanticSerializationError, to_json
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

WRITE_CONNECTION = "entente_write_connection"
"""The key, in a write session's `info`, of the connection its transaction runs on: the
repositories' Core statements use it as it is, without asking the session again (each
ask goes through its transaction's bookkeeping, a cost on every action)."""

POOL_SIZE = 40
"""Connections each process keeps open: one per worker thread that runs database calls
(the 40 of the server's thread pool). With fewer, every request past the pool's size
opened a connection of its own and closed it on return, setting it up each time; the
overflow is left for the rare session opened inside another."""
MAX_OVERFLOW = 10
POSTGRES_POOL_SIZE = 20
"""Fewer on PostgreSQL, where each connection is a server process and several serving
processes share its `max_connections` (100 by default): two processes hold at most 60."""
BUSY_TIMEOUT_SECONDS = 30
"""How long a SQLite write waits for the database (or, in the process, for the writer
before it) before it fails."""


class EncodedJSON(bytes):
    """A document already encoded as JSON (UTF-8), which a JSON column stores as it is."""


def json_bytes(value: Any) -> bytes:
    """JSON for the JSON columns, as `json.dumps` writes it but for its spacing and its
    non-ASCII characters (kept as UTF-8, not escaped): the same document, encoded in Rust
    (pydantic's), several times faster than `json.dumps` on the state every action
    writes. A string `to_json` refuses (a lone surrogate, which only SQLite can store)
    goes through `json.dumps`, which escapes it, as before."""
    if type(value) is EncodedJSON:
        return bytes(value)
    try:
        return to_json(value, inf_nan_mode="constants")
    except PydanticSerializationError:
        return json.dumps(value).encode()


def json_text(value: Any) -> str:
    """`json_bytes` as text, which SQLite's driver stores as TEXT (bytes would be a BLOB)."""
    if type(value) is EncodedJSON:  # a state an action wrote: decoded with no copy first
        return value.decode()
    return json_bytes(value).decode()


def closed_by_server(dbapi_connection: Any) -> bool:
    """Whether a pooled psycopg connection, idle, has been closed by the server (ended
    by an administrator, an idle timeout, a restart): the server then sends its reason
    and closes the socket, so an idle connection with anything to read is one not to use.
    A poll of the socket, no round trip: the check `pool_pre_ping` made with a `SELECT 1`
    on every checkout (about 40 us of CPU an action, and a round trip of wait)."""
    if dbapi_connection.closed or dbapi_connection.broken:
        return True
    poller = select.poll()  # not select.select: a descriptor past 1023 is fine
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


def _check_on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    # The pool's documented way to refuse a connection: it drops it and checks out (or
    # opens) another. A connection that dies after this check fails its first statement
    # as a disconnect, which invalidates the pool; an action retries once (`GameService`).
    if closed_by_server(dbapi_connection):
        raise DisconnectionError("The server closed this connection while it was pooled.")


_opening = threading.local()
"""`write`: whether the transaction this thread is opening is a write's (`_sqlite_begin`)."""


def _sqlite_begin(dbapi_connection: Any) -> None:
    # Writers take the lock up front, so two writers queue instead of one failing
    # half-way with SQLITE_BUSY; readers stay concurrent under WAL.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("BEGIN IMMEDIATE" if getattr(_opening, "write", False) else "BEGIN")
    finally:
        cursor.close()


def lost_connection(error: BaseException) -> bool:
    """Whether `error` is a statement's failure because its connection was gone (the
    server closed it): SQLAlchemy has then invalidated it and the pool's older ones, so a
    transaction begun again gets a new connection."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(
            url,
            pool_size=POSTGRES_POOL_SIZE,
            max_overflow=MAX_OVERFLOW,
            json_serializer=json_bytes,  # psycopg takes bytes as they are
        )
        event.listen(engine, "checkout", _check_on_checkout)
        return engine
    in_memory = not parsed.database or parsed.database == ":memory:"
    if parsed.database and not in_memory:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    # An in-memory database lives in its one connection: its own pool class keeps it.
    pool: dict[str, Any] = (
        {} if in_memory else {"pool_size": POOL_SIZE, "max_overflow": MAX_OVERFLOW}
    )
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS},
        json_serializer=json_text,
        **pool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # BEGIN is issued by `_sqlite_begin`, not implicitly by the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs the log at checkpoints, not at every commit: a commit
        # survives the server process crashing or being killed (it is in the WAL file),
        # and only a power loss or an OS crash can undo the last ones, never corrupt the
        # database. The fsync of FULL was the larger part of each action's commit.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()

    # BEGIN is the dialect's own step, not a `begin` event listener as SQLAlchemy's
    # SQLite docs show: any connection event listener makes every statement of the
    # engine go through the event dispatch (a few microseconds each), and the listener's
    # BEGIN through `exec_driver_sql` cost about 20 us more than the driver's cursor.
    # Errors still come out wrapped as SQLAlchemy's (`do_begin` runs inside its handler).
    engine.dialect.do_begin = _sqlite_begin  # type: ignore[method-assign]
    return engine


class Database:
    """Owns the engine; hands out read and write units of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time. Writers of this process queue here, each handed
        # the lock the moment the one before commits, instead of all waiting in SQLite's
        # busy handler, which polls with growing sleeps and collapsed under load (seconds
        # per action). Re-entrant, so a write opened inside another fails as before
        # (SQLITE_BUSY) rather than waiting on itself. PostgreSQL locks the game's row.
        self._write_lock = threading.RLock() if self.is_sqlite else None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception.

        The transaction is the connection's, which the session joins only if used: a
        player's action runs Core statements alone (on `WRITE_CONNECTION`), and the
        session's own transaction (begin, commit, close) cost more than its statements."""
        lock = self._write_lock
        if lock is not None and not lock.acquire(timeout=BUSY_TIMEOUT_SECONDS):
            raise TimeoutError(f"Database writes were queued for over {BUSY_TIMEOUT_SECONDS} s.")
        try:
            with self.engine.connect() as connection:
                _opening.write = True
                try:
                    transaction = connection.begin()
                finally:
                    _opening.write = False
                session = Session(
                    bind=connection, expire_on_commit=False, join_transaction_mode="rollback_only"
                )
                session.info[WRITE_CONNECTION] = connection
                try:
                    yield session
                    if session.in_transaction():  # it flushes what is pending, commits nothing
                        session.commit()
                    transaction.commit()
                except BaseException:
                    if connection.in_transaction():  # not if a failed flush rolled it back
                        transaction.rollback()
                    raise
                finally:
                    # A session no write used (a player's action) holds nothing to let go
                    # of: closing it (its expunge, its transaction's end) cost three times
                    # what making it does.
                    if session.in_transaction() or session.identity_map:
                        session.close()
        finally:
            if lock is not None:
                lock.release()

    def dispose(self) -> None:
        self.engine.dispose()
