"""The database's units of work: connections kept and set up once; on SQLite, the
process's writers queued in the process rather than in SQLite's busy handler."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from app.store.database import POOL_SIZE, Database, EncodedJSON, json_bytes, json_text


def _count_connects(database: Database) -> list[int]:
    connects = [0]

    def connected(*_: Any) -> None:
        connects[0] += 1

    event.listen(database.engine, "connect", connected)
    return connects


def test_as_many_sessions_as_the_server_has_threads_reuse_their_connections(
    database: Database,
) -> None:
    # The server runs database calls on up to 40 threads at once; a pool smaller than
    # that opened (and set up) a new connection for every call past its size, and closed
    # it again on return.
    threads = min(POOL_SIZE, 20)  # past the 5 + 10 SQLAlchemy gives a SQLite file
    connects = _count_connects(database)
    for _ in range(3):
        together = threading.Barrier(threads)

        def read(together: threading.Barrier = together) -> None:
            with database.read() as session:
                session.execute(text("SELECT 1"))
                together.wait(timeout=10)  # every session open at once

        workers = [threading.Thread(target=read) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert connects[0] <= threads  # each opened once, in the first round; none since


def test_sqlite_writers_of_one_process_queue_before_taking_the_database(tmp_path: Path) -> None:
    """The second writer begins its transaction only once the first has committed: it
    waits in the process, not in SQLite's busy handler, which sleeps and polls."""
    database = Database(f"sqlite:///{tmp_path / 'entente.db'}")
    order: list[str] = []
    traced = threading.Event()

    def _statement(statement: str) -> None:
        # What the driver runs (BEGIN is the dialect's, not a statement SQLAlchemy sees).
        if traced.is_set() and statement in ("BEGIN IMMEDIATE", "COMMIT"):
            word = "begin" if statement.startswith("BEGIN") else "commit"
            order.append(f"{word} {threading.current_thread().name}")

    @event.listens_for(database.engine, "connect")
    def _trace(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.set_trace_callback(_statement)

    try:
        with database.write() as session:
            session.execute(text("CREATE TABLE t (n INTEGER)"))
        traced.set()

        first_in = threading.Event()

        def second() -> None:
            first_in.wait(timeout=10)
            with database.write() as session:
                session.execute(text("INSERT INTO t VALUES (2)"))

        waiting = threading.Thread(target=second, name="second")
        waiting.start()
        with database.write() as session:
            session.execute(text("INSERT INTO t VALUES (1)"))
            first_in.set()
            waiting.join(timeout=0.3)  # long enough for the second to try
            assert waiting.is_alive()
        waiting.join(timeout=10)
        main = threading.current_thread().name
        assert order == [f"begin {main}", f"commit {main}", "begin second", "commit second"]
        with database.read() as session:
            assert session.scalars(text("SELECT n FROM t ORDER BY n")).all() == [1, 2]
    finally:
        database.dispose()


def test_a_failed_write_frees_the_queue(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'entente.db'}")
    try:
        try:
            with database.write() as session:
                session.execute(text("CREATE TABLE t (n INTEGER)"))
                raise RuntimeError("a change that failed")
        except RuntimeError:
            pass
        done = threading.Event()

        def write() -> None:
            with database.write() as session:
                session.execute(text("CREATE TABLE t (n INTEGER)"))  # rolled back above
            done.set()

        other = threading.Thread(target=write)
        other.start()
        other.join(timeout=10)
        assert done.is_set()
    finally:
        database.dispose()


def test_json_columns_get_the_document_json_dumps_gives() -> None:
    document = {"name": "Zürich \u2014 talks", "ready": ["uk", "usa"], "n": 1.5, "none": None}
    assert json.loads(json_bytes(document)) == json.loads(json.dumps(document))
    assert json.loads(json_text(document)) == document
    # Already encoded (a state an action wrote): stored as it is.
    assert json_bytes(EncodedJSON(b'{"a": 1}')) == b'{"a": 1}'
    # A lone surrogate only json.dumps can write (escaped), as before.
    assert json.loads(json_text({"name": "\udfff"})) == {"name": "\udfff"}
