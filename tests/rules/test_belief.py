"""A nation's belief (`belief_state`) holds nothing it may not see: changing what is
hidden from it leaves its belief exactly as it was, changing what it sees does not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.bots.simulate import opening_state
from app.rules.belief import belief_state
from app.rules.state import Commitment, GameState
from tests.rules.hidden_changes import ME, commit_first_open, hidden_changes, others


@pytest.fixture
def opening(meridian_scenario) -> GameState:  # type: ignore[no-untyped-def]
    return opening_state(meridian_scenario, seed=3)


def test_what_a_nation_cannot_see_does_not_change_its_belief(opening: GameState) -> None:
    mine = commit_first_open(opening, ME)
    believed = belief_state(mine, ME, seed=11)
    for what, changed in hidden_changes(mine).items():
        assert belief_state(changed, ME, seed=11) == believed, what


def test_the_belief_keeps_the_nations_own_orders_and_what_it_sees(opening: GameState) -> None:
    mine = commit_first_open(opening, ME)
    believed = belief_state(mine, ME, seed=11)
    assert believed.commitments_of(ME) == mine.commitments_of(ME)
    assert belief_state(opening, ME, seed=11) != believed  # its own orders count
    nation = believed.nation(ME)
    assert nation == mine.nation(ME)  # its secrets are its own to plan with
    # What it does see of the others stays: their forces, support and public objective.
    for other in others(mine):
        real, seen = mine.nation(other), believed.nation(other)
        assert real is not None and seen is not None
        assert (seen.units, seen.domestic_support, seen.public_objective) == (
            real.units,
            real.domestic_support,
            real.public_objective,
        )
        assert not any(o.secret for o in seen.objectives)


def test_in_open_fog_the_others_orders_are_seen(opening: GameState) -> None:
    other = others(opening)[0]
    open_fog = commit_first_open(replace(opening, fog="open"), other)
    assert belief_state(open_fog, ME, seed=1).commitments == open_fog.commitments
    standard = replace(open_fog, fog="standard")
    assert belief_state(standard, ME, seed=1).commitments == ()


def test_the_belief_never_carries_the_games_seed(opening: GameState) -> None:
    assert belief_state(opening, ME, seed=42).seed == 42
    # Commitments of others never appear under standard fog, whoever made them.
    assert all(
        c.nation_id == ME
        for c in belief_state(
            replace(opening, commitments=(Commitment("x", "cardosa", "open-lane"),)), ME, 1
        ).commitments
    )
