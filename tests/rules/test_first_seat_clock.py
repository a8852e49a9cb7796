"""A game whose clock waits for the first player (the demo): the first seat taken starts
the whole phase; later seats change nothing; without the setting a seat leaves the clock."""

from __future__ import annotations

from dataclasses import replace

from app import rules

NOW = 2_000_000.0


def waiting(game: rules.GameState) -> rules.GameState:
    return replace(
        game, deadline=None, paused_remaining=float(game.orders_seconds), starts_on_first_seat=True
    )


def test_the_first_player_starts_the_clock_with_the_whole_phase(game) -> None:
    state = waiting(game)
    first = rules.join_seat(state, "aurora", now=NOW)
    assert isinstance(first, rules.Accepted)
    assert first.state.deadline == NOW + game.orders_seconds
    assert (first.state.paused_remaining, first.state.starts_on_first_seat) == (None, False)
    assert [e.kind for e in first.events] == [
        rules.EventKind.SEAT_JOINED,
        rules.EventKind.CLOCK_RESUMED,
    ]
    line = rules.view_event(first.state, first.events[1], rules.Viewer.observer())
    assert line is not None and "The clock has started: Aurora took the first seat" in line["text"]

    second = rules.join_seat(first.state, "borealis", now=NOW + 60)
    assert isinstance(second, rules.Accepted)
    assert second.state.deadline == NOW + game.orders_seconds
    assert [e.kind for e in second.events] == [rules.EventKind.SEAT_JOINED]


def test_a_clock_paused_by_control_waits_for_control(game) -> None:
    paused = replace(game, deadline=None, paused_remaining=float(game.orders_seconds))
    joined = rules.join_seat(paused, "aurora", now=NOW)
    assert isinstance(joined, rules.Accepted)
    assert joined.state.deadline is None
    assert joined.state.paused_remaining == game.orders_seconds
