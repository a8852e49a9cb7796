"""Staff estimates: a nation asks for a forecast of its orders; a worker pool plays it.

The request path only checks and records the request (a row in `staff_estimates`); the
games are played in a pool of processes (`estimate_workers` in the settings), so an
estimate never holds the server's own process or the game's lock, and the rules run
where they cannot slow anyone's page. Each estimate is played in chunks: after each, its
progress is written and a cancellation is noticed. One estimate at a time per seat, and at
most `estimates_per_game` running per game, so estimates cannot crowd out a game.

Control sees every estimate asked (who, when, what it said) and may turn them off for a
game; the after-action review sets each one beside what happened.
"""

from __future__ import annotations

import multiprocessing
import secrets
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter

from app import rules
from app.bots.estimate import (
    DEFAULT_OTHERS,
    DEFAULT_RUNS,
    Estimate,
    EstimateRefused,
    Horizon,
    Tally,
    check_options,
    game_seeds,
    play,
    prepare,
    summarise,
)
from app.i18n import gettext
from app.services.errors import Forbidden, NotFound, Rejected
from app.services.games import Clock, GameService
from app.services.seats import require_seat_token
from app.store.database import Database
from app.store.models import StaffEstimate
from app.store.repositories.estimates import EstimateRepository

CHUNK = 25
"""Games a worker plays before the estimate's progress is written and a cancel noticed."""

LOST_AFTER_SECONDS = 300.0
"""A running estimate older than this was lost with a process that stopped."""

_ESTIMATE = TypeAdapter(Estimate)


def estimate_to_dict(estimate: Estimate) -> dict[str, Any]:
    data: dict[str, Any] = _ESTIMATE.dump_python(estimate, mode="json")
    return data


def estimate_from_dict(data: Mapping[str, Any]) -> Estimate:
    return _ESTIMATE.validate_python(data)


@dataclass(frozen=True)
class EstimateRecord:
    """An estimate as the pages show it: the request, its progress and its forecast
    (for a what-if, the current orders' beside the draft's)."""

    id: int
    game_id: str
    nation_id: str
    turn: int
    kind: str
    status: str
    runs: int
    done: int
    horizon: str
    others: str
    asked_at: float
    current: Estimate | None
    draft: Estimate | None

    @property
    def finished(self) -> bool:
        return self.status != "running"


def _record(row: StaffEstimate) -> EstimateRecord:
    result = row.result or {}
    current = result.get("current")
    draft = result.get("draft")
    return EstimateRecord(
        id=row.id,
        game_id=row.game_id,
        nation_id=row.nation_id,
        turn=row.turn,
        kind=row.kind,
        status=row.status,
        runs=row.runs,
        done=row.done,
        horizon=row.horizon,
        others=row.others,
        asked_at=row.asked_at,
        current=estimate_from_dict(current) if current else None,
        draft=estimate_from_dict(draft) if draft else None,
    )


@dataclass(frozen=True)
class Hindsight:
    """What an estimate said of one of the nation's operations, and what happened."""

    turn: int
    nation_id: str
    kind: str  # "current" or "what-if" (the draft's forecast)
    operation_id: str
    success: float
    margin: float
    runs: int
    happened: str  # "success", "partial", "failure", "not attempted" or "not yet"


def hindsight(records: Sequence[EstimateRecord], state: rules.GameState) -> list[Hindsight]:
    """Each finished estimate beside the turn it forecast: per operation the nation had
    forces on in the orders estimated, the chance of success it gave and the result."""
    lines = []
    for record in sorted(records, key=lambda r: (r.turn, r.id)):
        for kind, forecast in (("current", record.current), ("what-if", record.draft)):
            if forecast is None:
                continue
            results = {o.operation_id: o.result for o in state.outcomes_of_turn(record.turn)}
            resolved = state.turn > record.turn or state.phase is rules.Phase.ENDED
            for operation in forecast.operations:
                if not operation.mine:
                    continue
                happened = str(results.get(operation.operation_id, "not attempted"))
                lines.append(
                    Hindsight(
                        turn=record.turn,
                        nation_id=record.nation_id,
                        kind=kind,
                        operation_id=operation.operation_id,
                        success=operation.success.p,
                        margin=operation.success.margin,
                        runs=forecast.runs,
                        happened=happened if resolved else "not yet",
                    )
                )
    return lines


def _play_chunk(
    start: rules.GameState, nation_id: str, seeds: Sequence[int], horizon: Horizon, others: str
) -> Tally:
    """In a worker process: one chunk of an estimate's games."""
    return play(start, nation_id, seeds, horizon=horizon, others=others)


def _pool(workers: int) -> Executor:
    # Spawned, not forked: the server's threads and database connections stay behind.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


class EstimateService:
    def __init__(
        self,
        database: Database,
        games: GameService,
        *,
        workers: int = 1,
        per_game: int = 2,
        clock: Clock = time.time,
        pool: Executor | None = None,
    ) -> None:
        self.database = database
        self.games = games
        self.workers = workers
        self.per_game = per_game
        self.clock = clock
        self._pool = pool
        self._pool_lock = threading.Lock()
        # Waits on the workers and writes progress: one thread per estimate running.
        self._dispatch = ThreadPoolExecutor(thread_name_prefix="estimate")

    @property
    def pool(self) -> Executor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = _pool(self.workers)
            return self._pool

    def close(self) -> None:
        self._dispatch.shutdown(wait=False, cancel_futures=True)
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    # --- asking -----------------------------------------------------------------------

    def ask(
        self,
        game_id: str,
        nation_id: str,
        *,
        seat_token: str | None,
        draft: Mapping[str, str | None] | None = None,
        runs: int = DEFAULT_RUNS,
        horizon: str = "turn",
        others: str = DEFAULT_OTHERS,
    ) -> EstimateRecord:
        """Record the request and start it; Rejected with the reason when it cannot be."""
        try:
            check_options(runs, horizon, others)
        except EstimateRefused as refused:
            raise Rejected(str(refused), "bad_estimate") from refused
        snapshot = self.games.snapshot(game_id)
        state = snapshot.state
        seed = secrets.randbelow(2**31)
        try:
            current, _ = prepare(state, nation_id, seed)
            drafted = prepare(state, nation_id, seed, draft) if draft is not None else None
        except EstimateRefused as refused:
            raise Rejected(str(refused), "no_estimate_now") from refused
        now = self.clock()
        with self.database.write() as session:
            if seat_token is not None:
                require_seat_token(session, game_id, nation_id, seat_token)
            repository = EstimateRepository(session)
            if not repository.allowed(game_id):
                raise Forbidden(gettext("Control has turned staff estimates off for this game."))
            running = repository.running(game_id, now - LOST_AFTER_SECONDS)
            if any(r.nation_id == nation_id for r in running):
                raise Rejected(
                    gettext(
                        "Your staff are still working on an estimate: wait for it or cancel it."
                    ),
                    "estimate_running",
                )
            if len(running) >= self.per_game:
                raise Rejected(
                    gettext(
                        "%(running)s estimates are running in this game; ask again when one "
                        "has finished.",
                        running=len(running),
                    ),
                    "estimates_busy",
                )
            row = repository.add(
                StaffEstimate(
                    game_id=game_id,
                    nation_id=nation_id,
                    turn=state.turn,
                    kind="what-if" if draft is not None else "current",
                    status="running",
                    runs=runs,
                    done=0,
                    horizon=horizon,
                    others=others,
                    seed=seed,
                    draft=dict(draft) if draft is not None else None,
                    asked_at=now,
                )
            )
            record = _record(row)
        chosen: Horizon = "game" if horizon == "game" else "turn"  # checked above
        self._dispatch.submit(
            self._run, record.id, nation_id, current, drafted, runs, chosen, others, seed
        )
        return record

    def _run(
        self,
        estimate_id: int,
        nation_id: str,
        current: rules.GameState,
        drafted: tuple[rules.GameState, tuple[tuple[str, str], ...]] | None,
        runs: int,
        horizon: Horizon,
        others: str,
        seed: int,
    ) -> None:
        """In a dispatch thread: play the chunks in the pool, write progress, summarise."""
        seeds = game_seeds(seed, runs)
        chunks = [seeds[i : i + CHUNK] for i in range(0, runs, CHUNK)]
        sides: list[tuple[str, rules.GameState, tuple[tuple[str, str], ...]]] = [
            ("current", current, ())
        ]
        if drafted is not None:
            sides.append(("draft", drafted[0], drafted[1]))
        try:
            futures: list[tuple[str, Future[Tally]]] = [
                (name, self.pool.submit(_play_chunk, start, nation_id, chunk, horizon, others))
                for name, start, _ in sides
                for chunk in chunks
            ]
            tallies: dict[str, Tally] = {name: Tally() for name, _, _ in sides}
            played = 0
            for name, future in futures:
                tally = future.result()
                tallies[name] = tallies[name].merge(tally)
                played += tally.runs
                with self.database.write() as session:
                    repository = EstimateRepository(session)
                    if repository.status(estimate_id) != "running":  # cancelled
                        for _, waiting in futures:
                            waiting.cancel()
                        return
                    repository.progress(estimate_id, played // len(sides))
            result = {
                name: estimate_to_dict(
                    summarise(
                        tallies[name],
                        start,
                        nation_id,
                        horizon=horizon,
                        seed=seed,
                        others=others,
                        refused=refused,
                    )
                )
                for name, start, refused in sides
            }
            with self.database.write() as session:
                EstimateRepository(session).finish(
                    estimate_id, "done", self.clock(), result, done=runs
                )
        except Exception:
            with self.database.write() as session:
                EstimateRepository(session).finish(estimate_id, "failed", self.clock())
            raise

    # --- reading ----------------------------------------------------------------------

    def get(self, game_id: str, nation_id: str | None, estimate_id: int) -> EstimateRecord:
        """One estimate; a nation's only to that nation (`nation_id` None: control)."""
        with self.database.read() as session:
            row = EstimateRepository(session).get(estimate_id)
            if (
                row is None
                or row.game_id != game_id
                or (nation_id is not None and row.nation_id != nation_id)
            ):
                raise NotFound(gettext("There is no such estimate."))
            return _record(row)

    def of_nation(self, game_id: str, nation_id: str) -> list[EstimateRecord]:
        with self.database.read() as session:
            return [_record(r) for r in EstimateRepository(session).of_game(game_id, nation_id)]

    def of_game(self, game_id: str) -> list[EstimateRecord]:
        """Every estimate of the game, newest first: control's record."""
        with self.database.read() as session:
            return [_record(r) for r in EstimateRepository(session).of_game(game_id)]

    def hindsight(self, game_id: str, state: rules.GameState) -> list[Hindsight]:
        return hindsight(self.of_game(game_id), state)

    def cancel(self, game_id: str, nation_id: str, estimate_id: int) -> bool:
        self.get(game_id, nation_id, estimate_id)  # NotFound if not this nation's
        with self.database.write() as session:
            return EstimateRepository(session).cancel(estimate_id, self.clock())

    # --- control ------------------------------------------------------------------------

    def allowed(self, game_id: str) -> bool:
        with self.database.read() as session:
            allowed = EstimateRepository(session).allowed(game_id)
        if allowed is None:
            raise NotFound(gettext("There is no game %(game)s.", game=repr(game_id)))
        return allowed

    def set_allowed(self, game_id: str, allowed: bool) -> None:
        self.allowed(game_id)  # NotFound for an unknown game
        with self.database.write() as session:
            EstimateRepository(session).set_allowed(game_id, allowed)
