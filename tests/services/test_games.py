"""Game use cases against the real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from app import rules
from app.services.errors import NotFound, Rejected
from app.services.games import GameService
from app.store.database import Database
from app.store.models import GameEvent
from tests.conftest import Clock
from tests.services.helpers import join_all, play_turn

SCENARIO = "meridian-strait"


def _first_legal_commit(state: rules.GameState, nation_id: str) -> rules.CommitUnit:
    return next(a for a in rules.legal_actions(state, nation_id) if isinstance(a, rules.CommitUnit))


def _commit_dict(action: rules.CommitUnit) -> dict[str, str]:
    return {"kind": "commit", "unit_id": action.unit_id, "operation_id": action.operation_id}


def test_create_game_makes_one_seat_per_nation_with_distinct_tokens(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    assert [s.nation_id for s in created.seats] == ["arvenia", "cardosa", "lindmark"]
    assert len({s.token for s in created.seats}) == 3
    snapshot = games.snapshot(created.game_id)
    assert snapshot.seq == 1
    assert snapshot.state.phase is rules.Phase.ORDERS
    assert [e.event.kind for e in games.events_after(created.game_id, 0)] == ["game_created"]


def test_unknown_scenario_and_unknown_token_are_not_found(games: GameService) -> None:
    with pytest.raises(NotFound):
        games.create_game("no-such-scenario")
    with pytest.raises(NotFound):
        games.join("not-a-token")


def test_join_announces_the_player_once(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    token = created.seats[0].token
    seat = games.join(token)
    games.join(token)  # a second visit (another device) changes nothing
    assert seat.nation_id == "arvenia"
    kinds = [e.event.kind for e in games.events_after(created.game_id, 0)]
    assert kinds == ["game_created", "seat_joined"]
    assert games.snapshot(created.game_id).state.nation("arvenia").controller == "human"


def test_accepted_actions_are_numbered_events_committed_before_the_ack(
    games: GameService, loaded_database: Database
) -> None:
    created = games.create_game(SCENARIO, seed=1)
    state = games.snapshot(created.game_id).state
    action = _first_legal_commit(state, "arvenia")
    result = games.act(created.game_id, "arvenia", _commit_dict(action))
    assert result.seq == 2
    # A separate session sees the event and the new snapshot: it was committed.
    with loaded_database.read() as session:
        row = session.get(GameEvent, (created.game_id, 2))
        assert row is not None
        assert row.kind == "unit_committed"
        assert row.action == {"nation_id": "arvenia", **_commit_dict(action)}
    assert games.snapshot(created.game_id).state.commitment(action.unit_id) is not None


def test_rejected_action_changes_nothing_and_says_why(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    with pytest.raises(Rejected) as rejected:
        games.act(
            created.game_id,
            "lindmark",
            {"kind": "commit", "unit_id": "nope", "operation_id": "open-lane"},
        )
    assert rejected.value.code == "unknown_unit"
    assert "nope" in rejected.value.message
    with pytest.raises(Rejected) as malformed:
        games.act(created.game_id, "lindmark", {"kind": "launch-missiles"})
    assert malformed.value.code == "unknown_action"
    assert games.snapshot(created.game_id).seq == 1


def test_doorbell_rings_after_commit_with_the_new_seq(
    loaded_database: Database, clock: Clock
) -> None:
    rung: list[tuple[str, int]] = []
    seen_in_db: list[int] = []

    def doorbell(game_id: str, seq: int) -> None:
        rung.append((game_id, seq))
        with loaded_database.read() as session:  # the event must already be visible
            seen_in_db.append(
                session.scalar(select(func.max(GameEvent.seq)).where(GameEvent.game_id == game_id))
                or 0
            )

    games = GameService(loaded_database, clock=clock, doorbell=doorbell)
    created = games.create_game(SCENARIO, seed=1)
    games.act(created.game_id, "arvenia", {"kind": "ready", "ready": True})
    assert rung == [(created.game_id, 1), (created.game_id, 2)]
    assert seen_in_db == [1, 2]


def test_turn_resolves_when_every_human_seat_is_ready(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    for seat in created.seats[:2]:
        games.join(seat.token)
    state = games.snapshot(created.game_id).state
    games.act(created.game_id, "arvenia", _commit_dict(_first_legal_commit(state, "arvenia")))
    games.act(created.game_id, "arvenia", {"kind": "ready", "ready": True})
    games.act(created.game_id, "cardosa", {"kind": "ready", "ready": True})
    # Lindmark's seat is still empty: its player may be late, so the turn waits for it.
    assert games.snapshot(created.game_id).state.turn == 1
    games.act(created.game_id, "cardosa", {"kind": "ready", "ready": False})
    games.join(created.seats[2].token)
    games.act(created.game_id, "lindmark", {"kind": "ready", "ready": True})
    assert games.snapshot(created.game_id).state.turn == 1
    result = games.act(created.game_id, "cardosa", {"kind": "ready", "ready": "true"})
    kinds = [e.event.kind for e in result.events]
    assert kinds == ["ready_changed", "turn_resolved"]
    assert [e.turn for e in result.events] == [1, 1]  # both belong to the turn resolved
    state = games.snapshot(created.game_id).state
    assert state.turn == 2
    assert state.commitments == ()
    assert any(o.result != "not_attempted" for o in state.outcomes)


def test_deadline_resolves_due_games_exactly_once(games: GameService, clock: Clock) -> None:
    created = games.create_game(SCENARIO, seed=1)
    assert games.advance_due_games() == []
    clock.advance(301)
    assert games.advance_due_games() == [created.game_id]
    assert games.advance_due_games() == []
    resolved = [
        e for e in games.events_after(created.game_id, 0) if e.event.kind == "turn_resolved"
    ]
    assert len(resolved) == 1
    assert games.snapshot(created.game_id).state.turn == 2


def test_racing_resolvers_resolve_a_turn_exactly_once(
    loaded_database: Database, clock: Clock
) -> None:
    """Two services (as two processes would) race for the same due game from threads."""
    setup = GameService(loaded_database, clock=clock)
    created = setup.create_game(SCENARIO, seed=3)
    clock.advance(301)
    racers = [GameService(loaded_database, clock=clock) for _ in range(4)]
    barrier = threading.Barrier(len(racers))
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def race(service: GameService) -> Callable[[], None]:
        def run() -> None:
            barrier.wait()
            try:
                results.append(service.advance_due_games())
            except BaseException as error:  # collected and asserted below
                errors.append(error)

        return run

    threads = [threading.Thread(target=race(s)) for s in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sum(len(r) for r in results) == 1
    events = setup.events_after(created.game_id, 0)
    assert [e.event.kind for e in events].count("turn_resolved") == 1
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


def test_concurrent_actions_all_land_with_gapless_seqs(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    state = games.snapshot(created.game_id).state
    nations = ["arvenia", "cardosa", "lindmark"]
    actions = [(n, _commit_dict(_first_legal_commit(state, n))) for n in nations]
    errors: list[BaseException] = []

    def act(nation: str, action: dict[str, str]) -> None:
        try:
            games.act(created.game_id, nation, action)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=act, args=a) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    final = games.snapshot(created.game_id)
    assert len(final.state.commitments) == 3
    assert [e.seq for e in games.events_after(created.game_id, 0)] == [1, 2, 3, 4]
    assert final.seq == 4


def test_replaying_the_logged_actions_rebuilds_the_snapshot(
    games: GameService, clock: Clock
) -> None:
    created = games.create_game(SCENARIO, seed=11)
    games.join(created.seats[0].token)
    state = games.snapshot(created.game_id).state
    games.act(created.game_id, "arvenia", _commit_dict(_first_legal_commit(state, "arvenia")))
    clock.advance(301)
    games.advance_due_games()
    logged = games.events_after(created.game_id, 0)
    resolved_at = clock.now
    # Rebuild from the scenario, the seed and the logged player actions only.
    from app.scenarios.build import opening_state
    from app.scenarios.loader import load_scenario
    from tests.conftest import SCENARIOS_DIR

    replay, _ = opening_state(
        load_scenario(SCENARIOS_DIR / "meridian-strait.yaml"), seed=11, now=resolved_at - 301
    )
    for entry in logged:
        if entry.event.kind == "seat_joined":
            outcome = rules.join_seat(replay, entry.event.actor or "")
        elif entry.event.kind in {"unit_committed", "unit_withdrawn", "ready_changed"}:
            with games.database.read() as session:
                row = session.get(GameEvent, (created.game_id, entry.seq))
                assert row is not None and row.action is not None
                action = rules.parse_action(
                    {k: v for k, v in row.action.items() if k != "nation_id"}
                )
            assert not isinstance(action, rules.Rejection)
            outcome = rules.apply(replay, entry.event.actor or "", action)
        elif entry.event.kind == "turn_resolved":
            replay, _ = rules.resolve_turn(replay, resolved_at)
            continue
        else:
            continue
        assert isinstance(outcome, rules.Accepted)
        replay = outcome.state
    assert rules.state_to_dict(replay) == rules.state_to_dict(games.snapshot(created.game_id).state)


def test_an_order_for_a_turn_not_yet_reached_is_not_called_resolved(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=1)
    state = games.snapshot(created.game_id).state
    order = {**_commit_dict(_first_legal_commit(state, "arvenia")), "turn": 2}
    with pytest.raises(Rejected) as refused:
        games.act(created.game_id, "arvenia", order)
    assert refused.value.code == "stale_turn"
    assert "already been resolved" not in str(refused.value)
    assert "given for turn 2, but the game is on turn 1" in str(refused.value)
    assert games.snapshot(created.game_id).state.commitments == ()


def test_an_order_for_a_resolved_turn_is_refused_not_applied_to_the_next(
    games: GameService, clock: Clock
) -> None:
    created = games.create_game(SCENARIO, seed=1)
    state = games.snapshot(created.game_id).state
    order = {**_commit_dict(_first_legal_commit(state, "arvenia")), "turn": 1}
    clock.now = state.deadline + 1  # the deadline passes before the clock task ticks
    with pytest.raises(Rejected) as refused:
        games.act(created.game_id, "arvenia", order)
    assert refused.value.code == "stale_turn"
    assert str(refused.value).startswith("Turn 1 has already been resolved")
    after = games.snapshot(created.game_id).state
    assert after.turn == 2  # the late order's arrival still resolved turn 1, exactly once
    assert after.commitments == ()
    kinds = [e.event.kind for e in games.latest_events(created.game_id, 10)]
    assert kinds.count("turn_resolved") == 1
    # The same order for the current turn is applied, and logged as parsed.
    accepted = games.act(created.game_id, "arvenia", {**order, "turn": "2", "junk": "x" * 50})
    assert accepted.events[0].event.kind == "unit_committed"
    assert accepted.events[0].turn == 2
    with games.database.read() as session:
        from app.store.repositories.games import GameRepository

        row = GameRepository(session).events_after(created.game_id, accepted.seq - 1, 1)[0]
    assert row.action is not None and "junk" not in row.action


def test_a_state_kept_after_its_write_is_the_state_the_store_holds(
    games: GameService, loaded_database: Database, clock: Clock
) -> None:
    """The live pages read each change from the states this process keeps (no parse):
    after every kind of write, the kept state is what a process that keeps none reads."""
    created = games.create_game(SCENARIO, seed=2)
    join_all(games, created)
    game_id = created.game_id
    elsewhere = GameService(loaded_database, clock=clock)  # another process: keeps nothing
    frigate = rules.CommitUnit("arv-1-frigate-sqn", "open-lane")
    for write in (
        lambda: play_turn(games, game_id),  # commits, ready, the turn resolved
        lambda: games.act(
            game_id, "cardosa", {"kind": "message", "channel_id": "public", "text": "Hi"}
        ),
        lambda: games.act(game_id, "arvenia", _commit_dict(frigate)),
        lambda: games.act(game_id, "arvenia", {"kind": "withdraw", "unit_id": frigate.unit_id}),
    ):
        result = write()
        kept = games.snapshot(game_id)
        assert kept.state is games.snapshot(game_id).state  # not parsed again
        assert kept == elsewhere.snapshot(game_id)
        if result is not None:
            assert kept.state is result.state  # the very state the action wrote
    # A write by another process is read from the store, not from what this one kept:
    # by an action (which starts from the latest state) as by a read.
    elsewhere.act(game_id, "lindmark", {"kind": "message", "channel_id": "public", "text": "Yo"})
    after = games.act(game_id, "cardosa", {"kind": "message", "channel_id": "public", "text": "!"})
    assert after.state.message_counts["public"] == 3
    elsewhere.act(game_id, "lindmark", {"kind": "message", "channel_id": "public", "text": "Yo"})
    latest = games.snapshot(game_id)
    assert latest == elsewhere.snapshot(game_id)
    assert latest.state.message_counts["public"] == 4


def test_a_change_kept_after_its_write_is_what_the_store_gives_back(
    games: GameService, loaded_database: Database, clock: Clock
) -> None:
    """The live pages take the change this process just wrote from memory: the same
    snapshot and events (their data as read back) a process that keeps nothing reads,
    and only for the seq it was written after."""
    created = games.create_game(SCENARIO, seed=2)
    join_all(games, created)
    game_id = created.game_id
    elsewhere = GameService(loaded_database, clock=clock)  # another process: keeps nothing
    frigate = rules.CommitUnit("arv-1-frigate-sqn", "open-lane")
    turn = games.snapshot(game_id).state.turn
    for nation, action in (
        ("arvenia", {**_commit_dict(frigate), "turn": turn}),
        ("cardosa", {"kind": "message", "channel_id": "public", "text": "Ça va ? «ok»"}),
        ("arvenia", {"kind": "withdraw", "unit_id": frigate.unit_id}),
        ("arvenia", {"kind": "ready", "ready": True}),
        ("cardosa", {"kind": "ready", "ready": True}),
        ("lindmark", {"kind": "ready", "ready": True}),  # the turn resolves: many events
    ):
        since = games.snapshot(game_id).seq
        result = games.act(game_id, nation, action)
        written = games.written_since(game_id, since)
        assert written is not None
        stored = elsewhere.changes_since(game_id, since)
        assert written[0].seq == result.seq == stored[0].seq
        assert written[0].name == stored[0].name
        assert rules.state_to_dict(written[0].state) == rules.state_to_dict(stored[0].state)
        assert written[1] == stored[1]
        assert len(written[1]) == result.seq - since
        # Only the change right after `since`: any other seq is read from the store.
        assert games.written_since(game_id, since - 1) is None
        assert games.written_since(game_id, result.seq) is None
    assert snapshot_turn(games, game_id) == turn + 1
    # Written by another process: this one has no change after its last write to give.
    since = games.snapshot(game_id).seq
    elsewhere.act(game_id, "lindmark", {"kind": "message", "channel_id": "public", "text": "Yo"})
    assert games.written_since(game_id, since) is None


def snapshot_turn(games: GameService, game_id: str) -> int:
    return games.snapshot(game_id).state.turn
