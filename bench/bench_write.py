"""Benchmark: what a player's action costs in CPU through `GameService.act`, in one process.

K games of gulf-1990 (the same seed, made as `bench_load.py` makes them) on a fresh
database, SQLite (a temporary file) or PostgreSQL (a new `entente_bench_*` database on the
server of `--database-url`, dropped after); each of the 8 players of each game in turn
takes its next step of the load benchmark's cycle (commit a unit, a public message,
withdraw it, a public message) through `GameService.act` with its seat's token. CPU time
of this thread per action: the whole action, and its write alone (the write's
transaction opened and committed, the game's row locked and read, `append_events`: the
state encoded and written, the events appended). No HTTP, sockets or pages. A quick way
to compare two versions of the write on one machine: run each in turn, a few times.

Run: `.venv/bin/python bench/bench_write.py` (`--database-url`, `--games`, `--actions`);
nothing is written but the database it makes and drops.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import app.services.games as games_module
from app import rules
from app.services import game_log
from app.services.games import GameService
from app.services.scenarios import ScenarioService
from app.store.database import Database
from app.store.migrations import upgrade
from app.store.repositories.games import GameRepository

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "gulf-1990"
PLAYERS = 8
CYCLE = ("commit", "message", "withdraw", "message")


class WriteClock:
    """This thread's CPU time in the action's write, summed over the actions."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def timed(self, call: Callable[..., Any]) -> Callable[..., Any]:
        def timed_call(*args: Any, **kwargs: Any) -> Any:
            started = time.thread_time()
            try:
                return call(*args, **kwargs)
            finally:
                self.seconds += time.thread_time() - started

        return timed_call

    def watch(self, database: Database) -> None:
        """Time the write's enter and exit, the lock and `append_events` from now on."""
        write = database.write

        @contextlib.contextmanager
        def timed_write() -> Iterator[Any]:
            unit = write()
            session = self.timed(unit.__enter__)()
            try:
                yield session
            except BaseException as error:
                if not unit.__exit__(type(error), error, error.__traceback__):
                    raise
            else:
                self.timed(unit.__exit__)(None, None, None)

        database.write = timed_write  # type: ignore[method-assign]
        GameRepository.lock = self.timed(GameRepository.lock)  # type: ignore[method-assign]
        # `_change` calls the name it imported: that one is replaced.
        setattr(games_module, "append_events", self.timed(game_log.append_events))  # noqa: B010


def run(url: str, games: int, actions: int) -> tuple[float, float]:
    """CPU ms per action: the whole action, and its write."""
    upgrade(url, "head")
    database = Database(url)
    try:
        ScenarioService(database).sync_directory(ROOT / "scenarios")
        service = GameService(database)
        players: list[tuple[str, str, str, rules.CommitUnit]] = []
        for n in range(games):
            created = service.create_game(SCENARIO, name=f"bench {n + 1}", seed=1)
            state = service.snapshot(created.game_id).state
            for seat in created.seats[:PLAYERS]:
                commit = next(
                    a
                    for a in rules.legal_actions(state, seat.nation_id)
                    if isinstance(a, rules.CommitUnit)
                )
                players.append((created.game_id, seat.nation_id, seat.token, commit))

        def act(count: int) -> float:
            spent = 0.0
            for n in range(count):
                game_id, nation_id, token, commit = players[n % len(players)]
                kind = CYCLE[(n // len(players)) % len(CYCLE)]
                order = {"unit_id": commit.unit_id, "operation_id": commit.operation_id}
                body: dict[str, Any] = (
                    {"kind": "commit", **order}
                    if kind == "commit"
                    else {"kind": "withdraw", "unit_id": commit.unit_id}
                    if kind == "withdraw"
                    else {"kind": "message", "channel_id": "public", "text": f"message {n}"}
                )
                started = time.thread_time()
                service.act(game_id, nation_id, body, seat_token=token)
                spent += time.thread_time() - started
            return spent

        act(len(players) * len(CYCLE))  # warm-up: every player through the cycle once
        clock = WriteClock()
        clock.watch(database)
        spent = act(actions)
        return spent / actions * 1000, clock.seconds / actions * 1000
    finally:
        database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server's URL (default: SQLite)")
    parser.add_argument("--games", type=int, default=4, help="games played in turn (4)")
    parser.add_argument("--actions", type=int, default=2048, help="actions timed (2048)")
    args = parser.parse_args()
    if args.database_url is None:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{directory}/bench.db"
            action, write = run(url, args.games, args.actions)
        name = "SQLite"
    else:
        admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        database = f"entente_bench_{uuid.uuid4().hex[:12]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{database}"'))
        try:
            target = make_url(args.database_url).set(database=database)
            action, write = run(
                target.render_as_string(hide_password=False), args.games, args.actions
            )
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            admin.dispose()
        name = "PostgreSQL"
    print(f"{name}: {action:.3f} ms of CPU per action, its write {write:.3f} ms")


if __name__ == "__main__":
    main()
