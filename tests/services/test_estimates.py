"""The estimate service: one at a time per seat, a bound per game, cancellation, and each
estimate set beside what happened once its turn resolves."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest

from app.services.errors import Forbidden, Rejected
from app.services.estimates import EstimateRecord, EstimateService
from app.services.games import CreatedGame, GameService
from tests.conftest import Clock


class GatedPool(ThreadPoolExecutor):
    """A worker pool whose games wait until the test opens the gate: the test decides
    when an estimate is still running, rather than racing it."""

    def __init__(self) -> None:
        super().__init__(max_workers=2)
        self.gate = threading.Event()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        def gated() -> Any:
            self.gate.wait(60)
            return fn(*args, **kwargs)

        return super().submit(gated)


@pytest.fixture
def pool() -> Iterator[GatedPool]:
    gated = GatedPool()
    yield gated
    gated.gate.set()
    gated.shutdown(wait=True)


@pytest.fixture
def estimates(games: GameService, pool: GatedPool, clock: Clock) -> Iterator[EstimateService]:
    service = EstimateService(games.database, games, per_game=2, clock=clock, pool=pool)
    yield service
    service.close()


@pytest.fixture
def created(games: GameService) -> CreatedGame:
    return games.create_game("meridian-strait", seed=4)


def _finished(estimates: EstimateService, record: EstimateRecord) -> EstimateRecord:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = estimates.get(record.game_id, record.nation_id, record.id)
        if now.finished:
            return now
        time.sleep(0.02)
    raise AssertionError("the estimate never finished")


def test_one_estimate_at_a_time_per_seat_and_a_bound_per_game(
    estimates: EstimateService, created: CreatedGame, pool: GatedPool
) -> None:
    game_id = created.game_id
    first = estimates.ask(game_id, "arvenia", seat_token=None, runs=30)
    assert first.status == "running"
    with pytest.raises(Rejected, match="still working on an estimate"):
        estimates.ask(game_id, "arvenia", seat_token=None, runs=30)
    estimates.ask(game_id, "lindmark", seat_token=None, runs=30)
    with pytest.raises(Rejected, match="2 estimates are running"):
        estimates.ask(game_id, "cardosa", seat_token=None, runs=30)
    pool.gate.set()
    done = _finished(estimates, first)
    assert done.status == "done" and done.current is not None and done.current.runs == 30
    estimates.ask(game_id, "cardosa", seat_token=None, runs=30)  # room again


def test_a_cancelled_estimate_stops(
    estimates: EstimateService, created: CreatedGame, pool: GatedPool
) -> None:
    record = estimates.ask(created.game_id, "arvenia", seat_token=None, runs=100)
    assert estimates.cancel(created.game_id, "arvenia", record.id)
    pool.gate.set()
    stopped = _finished(estimates, record)
    assert stopped.status == "cancelled" and stopped.current is None
    # Cancelled, the seat may ask again at once.
    estimates.ask(created.game_id, "arvenia", seat_token=None, runs=10)


def test_a_wrong_seat_token_and_a_game_with_estimates_off_are_refused(
    estimates: EstimateService, created: CreatedGame
) -> None:
    with pytest.raises(Forbidden):
        estimates.ask(created.game_id, "arvenia", seat_token="not-the-token", runs=10)
    estimates.set_allowed(created.game_id, False)
    with pytest.raises(Forbidden, match="turned staff estimates off"):
        estimates.ask(created.game_id, "arvenia", seat_token=None, runs=10)


def test_the_review_sets_each_estimate_beside_what_happened(
    estimates: EstimateService,
    games: GameService,
    created: CreatedGame,
    pool: GatedPool,
    clock: Clock,
) -> None:
    game_id = created.game_id
    games.act(
        game_id,
        "arvenia",
        {"kind": "commit", "unit_id": "arv-1-frigate-sqn", "operation_id": "open-lane"},
    )
    pool.gate.set()
    record = _finished(estimates, estimates.ask(game_id, "arvenia", seat_token=None, runs=40))
    before = estimates.hindsight(game_id, games.snapshot(game_id).state)
    assert [(h.operation_id, h.happened) for h in before] == [("open-lane", "not yet")]
    clock.advance(10_000)
    games.advance_due_games()
    state = games.snapshot(game_id).state
    (line,) = estimates.hindsight(game_id, state)
    outcome = next(o for o in state.outcomes_of_turn(record.turn) if o.operation_id == "open-lane")
    assert line.happened == outcome.result
    assert record.current is not None
    forecast = record.current.operation("open-lane")
    assert forecast is not None and line.success == forecast.success.p and line.runs == 40
