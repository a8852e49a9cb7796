"""Bots on the seats of a live game (app/bots/live), and the seat hand-over in the rules."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from app.bots.live import (
    BOT_PERSONALITIES,
    BotPlay,
    logged_action,
    personality_of,
    play_bot_seats,
)
from app.rules import actions as acts
from app.rules.actions import (
    Accepted,
    CommitUnit,
    Propose,
    Rejection,
    RejectProposal,
    SetReady,
    Sign,
    apply,
    hand_seat_to_bot,
    legal_actions,
    parse_action,
    set_controller,
    take_seat_back,
)
from app.rules.resolution import resolve_turn
from app.rules.state import GameState, Phase, state_from_dict, state_to_dict
from app.rules.views import Viewer, view_event

BOTS = {"cardosa": "profile", "lindmark": "cooperative"}


def ok(outcome: Accepted | Rejection) -> Accepted:
    assert isinstance(outcome, Accepted), outcome
    return outcome


def seated(state: GameState, bots: dict[str, str] = BOTS) -> GameState:
    for nation_id, personality in bots.items():
        state = ok(hand_seat_to_bot(state, nation_id, personality)).state
    for nation in state.nations:  # a player has joined every other seat
        if nation.controller != "bot":
            state = ok(acts.join_seat(state, nation.id)).state
    return state


def assert_legal_replay(start: GameState, play: BotPlay) -> None:
    """Every move, taken in order from `start`, is legal then and gives the same events."""
    assert play.refused == ()
    state = start
    for move in play.moves:
        if not isinstance(move.action, Propose):  # talks are open-ended: apply judges them
            assert move.action in legal_actions(state, move.nation_id), move
        result = ok(apply(state, move.nation_id, move.action))
        assert result.events == move.events
        state = result.state
    assert state_to_dict(state) == state_to_dict(play.state)


# --- the state keeps the personality --------------------------------------------------


def test_the_personality_survives_a_round_trip_and_old_states_still_load(
    meridian_state: GameState,
) -> None:
    state = seated(meridian_state)
    data = state_to_dict(state)
    assert [n["bot"] for n in data["nations"]] == [None, "profile", "cooperative"]
    assert state_from_dict(data) == state
    for nation in data["nations"]:  # a state stored before bots played live seats
        del nation["bot"]
    old = state_from_dict(data)
    assert [n.bot for n in old.nations] == [None, None, None]
    assert [n.controller for n in old.nations] == ["human", "bot", "bot"]


# --- handing seats over (rules) ------------------------------------------------------------


def test_handing_a_seat_to_a_bot_and_back(meridian_state: GameState) -> None:
    state = ok(apply(meridian_state, "cardosa", SetReady(True))).state
    handed = ok(hand_seat_to_bot(state, "cardosa", "hawk"))
    cardosa = handed.state.nation("cardosa")
    assert cardosa is not None and (cardosa.controller, cardosa.bot) == ("bot", "hawk")
    assert "cardosa" not in handed.state.ready  # the bot gives its own orders
    assert [(e.kind, e.actor, e.data) for e in handed.events] == [
        (
            "seat_handed_to_bot",
            None,
            {"nation_id": "cardosa", "personality": "hawk", "previous": "vacant"},
        )
    ]
    assert ok(hand_seat_to_bot(handed.state, "cardosa", "hawk")).events == ()
    changed = ok(hand_seat_to_bot(handed.state, "cardosa", "dove"))
    assert changed.state.nation("cardosa").bot == "dove"  # type: ignore[union-attr]

    back = ok(take_seat_back(changed.state, "cardosa"))
    cardosa = back.state.nation("cardosa")
    assert cardosa is not None and (cardosa.controller, cardosa.bot) == ("human", None)
    assert [(e.kind, e.data) for e in back.events] == [
        (
            "seat_taken_back",
            {"nation_id": "cardosa", "personality": "dove", "controller": "human"},
        )
    ]
    vacant = ok(take_seat_back(changed.state, "cardosa", "vacant")).state
    assert vacant.nation("cardosa").controller == "vacant"  # type: ignore[union-attr]

    def code(outcome: Accepted | Rejection) -> str:
        assert isinstance(outcome, Rejection)
        return outcome.code

    assert code(take_seat_back(back.state, "cardosa")) == "not_a_bot"
    assert code(take_seat_back(state, "atlantis")) == "unknown_nation"
    assert code(hand_seat_to_bot(state, "atlantis", "hawk")) == "unknown_nation"
    assert code(hand_seat_to_bot(state, "cardosa", "  ")) == "malformed"
    ended = replace(state, phase=Phase.ENDED)
    assert code(hand_seat_to_bot(ended, "cardosa", "hawk")) == "game_over"
    # set_controller (simulations) never leaves a personality on a seat no bot plays.
    assert set_controller(handed.state, "cardosa", "human").nation("cardosa").bot is None  # type: ignore[union-attr]


def test_the_feed_says_a_bot_plays_and_only_control_and_the_seat_learn_how(
    meridian_state: GameState,
) -> None:
    handed = ok(hand_seat_to_bot(meridian_state, "cardosa", "free_rider"))
    event = handed.events[0]
    public = view_event(handed.state, event, Viewer.of_nation("arvenia"))
    assert public == {
        "kind": "seat_handed_to_bot",
        "nation_id": "cardosa",
        "text": "Cardosa is now played by a bot.",
    }
    assert view_event(handed.state, event, Viewer.observer()) == public
    control = view_event(handed.state, event, Viewer.control())
    assert control is not None and control["text"] == "Cardosa is now played by a bot (free rider)."
    assert control["personality"] == "free_rider"
    own = view_event(handed.state, event, Viewer.of_nation("cardosa"))
    assert own is not None and own["personality"] == "free_rider"

    back = ok(take_seat_back(handed.state, "cardosa"))
    text = view_event(back.state, back.events[0], Viewer.of_nation("arvenia"))
    assert (
        text is not None
        and text["text"] == "Cardosa is played by its players again, no longer by a bot."
    )
    assert "personality" not in text
    vacant = ok(take_seat_back(handed.state, "cardosa", "vacant"))
    text = view_event(vacant.state, vacant.events[0], Viewer.observer())
    assert text is not None and "awaits a player" in text["text"]


def test_a_profile_bot_plays_the_nations_current_political_profile(
    meridian_state: GameState,
) -> None:
    cardosa = meridian_state.nation("cardosa")
    assert cardosa is not None and cardosa.profile == "cautious"
    assert personality_of(replace(cardosa, bot="profile")) == "dove"
    assert personality_of(replace(cardosa, bot=None)) == "dove"
    assert personality_of(replace(cardosa, bot="profile", profile="hawkish")) == "hawk"
    assert personality_of(replace(cardosa, bot="spoiler")) == "spoiler"
    assert set(BOT_PERSONALITIES) == {
        "cooperative",
        "free_rider",
        "hawk",
        "dove",
        "spoiler",
        "profile",
    }


# --- playing ----------------------------------------------------------------------------


def test_bots_play_their_seats_legally_and_end_ready(meridian_state: GameState) -> None:
    start = seated(meridian_state)
    play = play_bot_seats(start, now=0.0)
    assert {m.nation_id for m in play.moves} == {"cardosa", "lindmark"}  # never arvenia's seat
    assert play.state.ready == frozenset({"cardosa", "lindmark"})
    assert any(isinstance(m.action, CommitUnit) for m in play.moves)
    assert play.events == [(m.nation_id, e) for m in play.moves for e in m.events]
    assert_legal_replay(start, play)
    # Each bot said it was ready exactly once.
    readies = [m.nation_id for m in play.moves if isinstance(m.action, SetReady)]
    assert sorted(readies) == ["cardosa", "lindmark"]
    # The log keeps each action as a player's, which parses back to the same action.
    for move in play.moves:
        entry = logged_action(move)
        assert (entry["nation_id"], entry["bot"]) == (move.nation_id, move.personality)
        assert parse_action({k: v for k, v in entry.items() if k not in ("nation_id", "bot")}) == (
            move.action
        )
    assert {m.personality for m in play.moves} == {"dove", "cooperative"}  # profile: cautious


def test_bots_are_deterministic_for_a_seed(meridian_state: GameState) -> None:
    start = seated(meridian_state, {"arvenia": "cooperative", **BOTS})
    plays = []
    for global_seed in (1, 2):  # the global generator plays no part
        random.seed(global_seed)
        plays.append(play_bot_seats(start, now=0.0))
    first, second = plays
    assert first.moves and first.moves == second.moves
    assert state_to_dict(first.state) == state_to_dict(second.state)


def test_settled_bots_stay_quiet_and_a_partners_orders_do_not_wake_them(
    meridian_state: GameState,
) -> None:
    settled = play_bot_seats(seated(meridian_state), now=0.0).state
    again = play_bot_seats(settled, now=0.0, before=settled)
    assert again.moves == () and again.state is settled
    commit = next(a for a in legal_actions(settled, "arvenia") if isinstance(a, CommitUnit))
    after = ok(apply(settled, "arvenia", commit)).state
    assert play_bot_seats(after, now=0.0, before=settled).moves == ()
    # Without `before` (a new phase, a new seat) every bot thinks again, but a ready bot
    # with nothing new to do never says "ready" again.
    fresh = play_bot_seats(after, now=0.0)
    assert not any(isinstance(m.action, SetReady) for m in fresh.moves)
    assert fresh.state.ready == frozenset({"cardosa", "lindmark"})


def test_a_proposal_addressed_to_a_bot_is_answered(meridian_state: GameState) -> None:
    settled = play_bot_seats(seated(meridian_state), now=0.0).state
    proposal = Propose("coalition_membership", ("arvenia", "lindmark"), {"lead": "arvenia"})
    after = ok(apply(settled, "arvenia", proposal)).state
    agreement = next(a for a in after.agreements if a.status == "open" and a.proposer == "arvenia")
    play = play_bot_seats(after, now=0.0, before=settled)
    answers = [
        m
        for m in play.moves
        if isinstance(m.action, Sign | RejectProposal) and m.action.agreement_id == agreement.id
    ]
    assert [m.nation_id for m in answers] == ["lindmark"]
    answered = play.state.agreement(agreement.id)
    # A cooperative Lindmark trusts Arvenia (70) and is in no coalition yet: it joins.
    assert answered is not None and answered.status == "signed"
    assert [c.members for c in play.state.coalitions_of("lindmark")] == [("arvenia", "lindmark")]
    # Cardosa is no party to the proposal: it plays only once the coalition it reads of
    # exists (it asks to join), and, ready already, does not say so again.
    assert play.moves[0] == answers[0]
    cardosa = [m.action for m in play.moves if m.nation_id == "cardosa"]
    assert cardosa and not any(isinstance(a, SetReady) for a in cardosa)
    assert all(isinstance(a, Propose) and a.agreement == "coalition_membership" for a in cardosa)
    assert "lindmark" in play.state.ready
    assert_legal_replay(after, play)


def test_bots_give_no_orders_past_the_deadline_or_outside_the_orders_phase(
    meridian_state: GameState,
) -> None:
    start = seated(meridian_state)
    assert start.deadline is not None
    late = play_bot_seats(start, now=start.deadline)
    assert late.moves == () and late.state is start
    ended = replace(start, phase=Phase.ENDED)
    assert play_bot_seats(ended, now=0.0).moves == ()
    assert play_bot_seats(meridian_state, now=0.0).moves == ()  # no bot seats


@pytest.mark.parametrize("rounds", [1, 2])
def test_few_rounds_still_end_with_every_bot_ready(meridian_state: GameState, rounds: int) -> None:
    everyone = seated(meridian_state, {"arvenia": "cooperative", **BOTS})
    play = play_bot_seats(everyone, rounds=rounds)
    assert play.state.ready == frozenset({"arvenia", "cardosa", "lindmark"})
    assert_legal_replay(everyone, play)


def test_bots_play_a_whole_game_turn_by_turn(meridian_state: GameState) -> None:
    state = seated(meridian_state, {"arvenia": "hawk", "cardosa": "spoiler", "lindmark": "dove"})
    clock = 0.0
    while state.phase is Phase.ORDERS:
        play = play_bot_seats(state, now=clock)
        assert_legal_replay(state, play)
        assert play.state.ready == frozenset(n.id for n in state.nations)
        clock += 10
        state, _events = resolve_turn(play.state, clock)
    assert state.phase is Phase.ENDED and len(state.records) == state.turns
    assert any(o.result != "not_attempted" for o in state.outcomes)
