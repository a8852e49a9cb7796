"""Leaving a coalition: a rules action with its reason code, and what it would cost said
beforehand from the same computation that leaving makes."""

from __future__ import annotations

from dataclasses import replace

from app import rules
from app.rules import diplomacy
from app.rules.state import Coalition
from app.rules.wording import words


def with_coalition(game: rules.GameState, members: tuple[str, ...]) -> rules.GameState:
    coalition = Coalition(
        id="co-1",
        name="Northern Shield",
        lead="aurora",
        members=members,
        command="lead_nation",
        mandate="none",
        cohesion=60,
        operations=("hammerfall",),
        formed_turn=1,
    )
    return replace(game, coalitions=(coalition,))


def test_the_warning_says_what_leaving_then_does(game: rules.GameState) -> None:
    state = with_coalition(game, ("aurora", "borealis", "caldera"))
    said = [words(r, state) for r in diplomacy.leaving_costs(state, "aurora", "co-1")]
    left = rules.apply(state, "aurora", rules.LeaveCoalition("co-1"))
    assert isinstance(left, rules.Accepted)
    drop = left.state.trust("borealis", "aurora") - state.trust("borealis", "aurora")
    assert drop < 0
    assert f"Borealis, Caldera would trust you less: {drop} each." in said
    coalition = left.state.coalition("co-1")
    assert coalition is not None and coalition.active
    assert f"The lead would pass to {left.state.nation(coalition.lead).name}." in said  # type: ignore[union-attr]


def test_leaving_a_pair_dissolves_it_and_says_so(game: rules.GameState) -> None:
    state = with_coalition(game, ("aurora", "borealis"))
    said = [words(r, state) for r in diplomacy.leaving_costs(state, "borealis", "co-1")]
    assert "Northern Shield would dissolve: too few members would remain." in said
    left = rules.apply(state, "borealis", rules.LeaveCoalition("co-1"))
    assert isinstance(left, rules.Accepted)
    assert not left.state.coalition("co-1").active  # type: ignore[union-attr]


def test_a_nation_outside_it_may_not_leave(game: rules.GameState) -> None:
    state = with_coalition(game, ("aurora", "borealis"))
    refused = rules.apply(state, "caldera", rules.LeaveCoalition("co-1"))
    assert isinstance(refused, rules.Rejection)
    assert refused.code
    assert diplomacy.leaving_costs(state, "caldera", "co-1") == ()
    offered = [
        a for a in rules.legal_actions(state, "aurora") if isinstance(a, rules.LeaveCoalition)
    ]
    assert offered == [rules.LeaveCoalition("co-1")]
