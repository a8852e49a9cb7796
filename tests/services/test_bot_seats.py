"""Bot-played seats in live games, against the real database (GameService)."""

from __future__ import annotations

import pytest

from app import rules
from app.services.errors import Rejected
from app.services.games import GameService, LoggedEvent
from app.store.database import Database
from app.store.models import GameEvent
from tests.conftest import Clock

SCENARIO = "meridian-strait"
BOTS = {"cardosa": "profile", "lindmark": "cooperative"}


def _doorbell_games(database: Database, clock: Clock) -> tuple[GameService, list[int]]:
    rung: list[int] = []
    return GameService(database, clock=clock, doorbell=lambda _g, seq: rung.append(seq)), rung


def _by_bots(events: list[LoggedEvent]) -> list[LoggedEvent]:
    return [e for e in events if e.event.actor in BOTS]


def test_a_game_with_bot_seats_plays_turn_one_before_it_is_handed_out(
    loaded_database: Database, clock: Clock
) -> None:
    games, rung = _doorbell_games(loaded_database, clock)
    created = games.create_game(SCENARIO, seed=7, bots=BOTS)
    assert [(s.nation_id, s.bot) for s in created.seats] == [
        ("arvenia", None),
        ("cardosa", "profile"),
        ("lindmark", "cooperative"),
    ]
    assert [s.bot for s in games.seat_links(created.game_id)] == [None, "profile", "cooperative"]
    snapshot = games.snapshot(created.game_id)
    state = snapshot.state
    assert [(n.controller, n.bot) for n in state.nations] == [
        ("vacant", None),
        ("bot", "profile"),
        ("bot", "cooperative"),
    ]
    assert state.ready == frozenset(BOTS) and state.turn == 1
    assert any(c.nation_id == "lindmark" for c in state.commitments)
    logged = games.events_after(created.game_id, 0)
    kinds = [e.event.kind for e in logged]
    assert kinds[:3] == ["game_created", "seat_handed_to_bot", "seat_handed_to_bot"]
    assert [e.event.data["nation_id"] for e in logged[1:3]] == ["cardosa", "lindmark"]
    bot_events = _by_bots(logged)
    assert {e.event.actor for e in bot_events} == set(BOTS)
    assert {e.turn for e in bot_events} == {1}
    assert [e.seq for e in logged] == list(range(1, snapshot.seq + 1))
    assert rung == [snapshot.seq]  # the doorbell rang once, for everything
    # Each bot action is logged like a player's, marked as a bot's.
    with loaded_database.read() as session:
        for entry in bot_events:
            row = session.get(GameEvent, (created.game_id, entry.seq))
            assert row is not None and row.action is not None
            assert row.action["nation_id"] == entry.event.actor
            # The personality that played: Cardosa's political profile (cautious) is a dove's.
            assert (
                row.action["bot"]
                == {"cardosa": "dove", "lindmark": "cooperative"}[entry.event.actor or ""]
            )
            parsed = rules.parse_action(
                {k: v for k, v in row.action.items() if k not in ("nation_id", "bot")}
            )
            assert not isinstance(parsed, rules.Rejection)
    # The feed tells the players that bots play, not how.
    feed = [rules.view_event(state, e.event, rules.Viewer.of_nation("arvenia")) for e in logged]
    assert "Cardosa is now played by a bot." in [f["text"] for f in feed if f]


def test_bad_bot_seats_are_refused_and_create_nothing(games: GameService) -> None:
    with pytest.raises(Rejected) as personality:
        games.create_game(SCENARIO, seed=1, bots={"cardosa": "pacifist"})
    assert personality.value.code == "unknown_personality"
    with pytest.raises(Rejected) as nation:
        games.create_game(SCENARIO, seed=1, bots={"atlantis": "hawk"})
    assert nation.value.code == "unknown_nation"
    assert games.list_games() == []


def test_the_one_human_readies_and_the_turn_resolves_and_bots_play_the_next(
    loaded_database: Database, clock: Clock
) -> None:
    games, rung = _doorbell_games(loaded_database, clock)
    created = games.create_game(SCENARIO, seed=7, bots=BOTS)
    games.join(created.seats[0].token)
    rung.clear()
    result = games.act(created.game_id, "arvenia", {"kind": "ready", "ready": True})
    kinds = [e.event.kind for e in result.events]
    assert kinds[:2] == ["ready_changed", "turn_resolved"]
    assert [e.turn for e in result.events[:2]] == [1, 1]
    next_turn = _by_bots(result.events)
    assert next_turn and {e.turn for e in next_turn} == {2}
    assert {e.event.actor for e in next_turn if e.event.kind == "ready_changed"} == set(BOTS)
    state = games.snapshot(created.game_id).state
    assert state.turn == 2 and state.ready == frozenset(BOTS)  # Arvenia decides anew
    assert rung == [result.seq]
    # Only the human's "ready" is left to end turn 2 as well.
    result = games.act(created.game_id, "arvenia", {"kind": "ready", "ready": True})
    assert "turn_resolved" in [e.event.kind for e in result.events]
    assert games.snapshot(created.game_id).state.turn == 3


def test_a_proposal_to_a_bot_is_answered_in_the_same_change_and_orders_do_not_wake_bots(
    games: GameService,
) -> None:
    created = games.create_game(SCENARIO, seed=7, bots=BOTS)
    games.join(created.seats[0].token)
    state = games.snapshot(created.game_id).state
    commit = next(
        a for a in rules.legal_actions(state, "arvenia") if isinstance(a, rules.CommitUnit)
    )
    result = games.act(
        created.game_id,
        "arvenia",
        {"kind": "commit", "unit_id": commit.unit_id, "operation_id": commit.operation_id},
    )
    assert [e.event.kind for e in result.events] == ["unit_committed"]  # no bot stirs
    result = games.act(
        created.game_id,
        "arvenia",
        {
            "kind": "propose",
            "agreement": "coalition_membership",
            "parties": ["arvenia", "lindmark"],
            "terms": {"lead": "arvenia"},
        },
    )
    proposal = result.events[0]
    assert (proposal.event.kind, proposal.event.actor) == ("proposal_made", "arvenia")
    answer = result.events[1]
    assert (answer.event.kind, answer.event.actor) == ("proposal_signed", "lindmark")
    assert answer.event.data["agreement_id"] == proposal.event.data["agreement_id"]
    after = games.snapshot(created.game_id).state
    assert [c.members for c in after.coalitions_of("arvenia")] == [("arvenia", "lindmark")]
    assert after.ready == frozenset(BOTS)


def test_a_bot_seat_is_the_bots_until_control_takes_it_back(games: GameService) -> None:
    created = games.create_game(SCENARIO, seed=7, bots=BOTS)
    before = games.snapshot(created.game_id).seq
    games.join(created.seats[1].token)  # Cardosa's link does not unseat its bot
    assert games.snapshot(created.game_id).seq == before
    with pytest.raises(Rejected) as refused:
        games.act(created.game_id, "cardosa", {"kind": "ready", "ready": False})
    assert refused.value.code == "seat_held_by_bot"
    assert "cardosa" in games.snapshot(created.game_id).state.ready


def test_hand_a_seat_to_a_bot_mid_game_and_take_it_back(
    loaded_database: Database, clock: Clock
) -> None:
    games, rung = _doorbell_games(loaded_database, clock)
    created = games.create_game(SCENARIO, seed=5)
    for seat in created.seats:
        games.join(seat.token)
    games.act(created.game_id, "cardosa", {"kind": "ready", "ready": True})
    rung.clear()

    handed = games.hand_seat_to_bot(created.game_id, "cardosa", "hawk")
    assert handed.events[0].event.kind == "seat_handed_to_bot"
    assert handed.events[0].event.data == {
        "nation_id": "cardosa",
        "personality": "hawk",
        "previous": "human",
    }
    played = handed.events[1:]
    assert played and {e.event.actor for e in played if e.event.actor} == {"cardosa"}
    assert played[-1].event.kind == "ready_changed"  # the hawk gave its orders, then ready
    state = games.snapshot(created.game_id).state
    cardosa = state.nation("cardosa")
    assert cardosa is not None and (cardosa.controller, cardosa.bot) == ("bot", "hawk")
    assert "cardosa" in state.ready and state.turn == 1
    assert rung == [handed.seq]
    with pytest.raises(Rejected) as again:
        games.hand_seat_to_bot(created.game_id, "cardosa", "pacifist")
    assert again.value.code == "unknown_personality"

    back = games.take_seat_back(created.game_id, "cardosa")
    assert [e.event.kind for e in back.events] == ["seat_taken_back"]
    state = games.snapshot(created.game_id).state
    cardosa = state.nation("cardosa")
    assert cardosa is not None and (cardosa.controller, cardosa.bot) == ("human", None)
    assert "cardosa" not in state.ready  # its players decide again
    games.act(created.game_id, "cardosa", {"kind": "ready", "ready": True})  # theirs again
    with pytest.raises(Rejected) as not_a_bot:
        games.take_seat_back(created.game_id, "cardosa")
    assert not_a_bot.value.code == "not_a_bot"
    kinds = [e.event.kind for e in games.events_after(created.game_id, 0)]
    assert kinds.count("seat_handed_to_bot") == kinds.count("seat_taken_back") == 1


def test_the_last_seat_handed_to_a_bot_ends_the_turn_once_the_bot_is_ready(
    games: GameService,
) -> None:
    created = games.create_game(SCENARIO, seed=5)
    for seat in created.seats[:2]:
        games.join(seat.token)
        games.act(created.game_id, seat.nation_id, {"kind": "ready", "ready": True})
    assert games.snapshot(created.game_id).state.turn == 1  # Lindmark's seat is empty
    result = games.hand_seat_to_bot(created.game_id, "lindmark", "dove")
    kinds = [e.event.kind for e in result.events]
    assert kinds[0] == "seat_handed_to_bot" and "turn_resolved" in kinds
    resolved = kinds.index("turn_resolved")
    assert {e.turn for e in result.events[: resolved + 1]} == {1}
    assert {e.turn for e in result.events[resolved + 1 :]} == {2}
    state = games.snapshot(created.game_id).state
    assert state.turn == 2 and state.ready == frozenset({"lindmark"})


def test_at_the_deadline_the_turn_resolves_and_the_bots_play_the_next(
    games: GameService, clock: Clock
) -> None:
    created = games.create_game(SCENARIO, seed=9, bots=BOTS)
    clock.advance(301)
    assert games.advance_due_games() == [created.game_id]
    state = games.snapshot(created.game_id).state
    assert state.turn == 2 and state.ready == frozenset(BOTS)
    turn_two = [e for e in games.events_after(created.game_id, 0) if e.turn == 2]
    assert _by_bots(turn_two)
    assert games.advance_due_games() == []
