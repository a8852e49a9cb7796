"""Leaving a coalition: a rules action with its reason code, and what it would cost said
beforehand from the same computation that leaving makes."""

from __future__ import annotations

from dataclasses import replace

from app import rules
from app.rules import diplomacy
from app.rules.agreements.common import adjust_trust
from app.rules.state import Channel, Coalition, Transfer, replace_state
from app.rules.wording import words
from app.rules.wording.changes import Leaving


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


def test_the_warning_follows_every_part_of_the_state_leaving_reads(
    game: rules.GameState,
) -> None:
    """`leaving_costs` is kept between states that share what it reads: a state that
    differs in any one of those parts gets its own warning, never the one kept."""
    state = with_coalition(game, ("aurora", "borealis", "caldera"))
    state = replace_state(state, nations=tuple(replace(n, capacity=100) for n in state.nations))

    def said(state: rules.GameState) -> list[str]:
        return [words(r, state) for r in diplomacy.leaving_costs(state, "aurora", "co-1")]

    before = said(state)
    assert said(state) == before
    assert any(s.startswith("Borealis, Caldera would trust you less") for s in before)
    assert not any("under your command" in s or "channel" in s for s in before)
    # Trust: Borealis's can fall no lower.
    distrusted = adjust_trust(state, "borealis", "aurora", -100)
    assert next(s for s in said(distrusted) if "trust you less" in s).startswith("Caldera ")
    # Membership: a pair left by one dissolves.
    pair = state.replace_coalition(replace(state.coalitions[0], members=("aurora", "borealis")))
    assert "Northern Shield would dissolve: too few members would remain." in said(pair)
    assert "Northern Shield would dissolve: too few members would remain." not in before
    # Capacity: the lead passes to the strongest member.
    strong = replace(state.nation("caldera"), capacity=500)  # type: ignore[type-var]
    assert "The lead would pass to Caldera." in said(state.replace_nation(strong))
    assert "The lead would pass to Caldera." not in before
    # Transfers: a unit under the coalition's command goes home.
    unit = state.nation("aurora").units[0].id  # type: ignore[union-attr]
    placed = replace_state(state, transfers=(Transfer(unit, "aurora", "co-1"),))
    codes = [r.code for r in diplomacy.leaving_costs(placed, "aurora", "co-1")]
    assert Leaving.UNITS_HOME in codes
    # Channels: the coalition's channel closes to the leaver.
    channel = Channel("coalition-co-1", "Northern Shield", "coalition", ("aurora", "borealis"))
    talking = replace_state(state, channels=(*state.channels, channel))
    codes = [r.code for r in diplomacy.leaving_costs(talking, "aurora", "co-1")]
    assert Leaving.CHANNEL in codes
    assert said(state) == before


def test_an_order_keeps_the_warning_worked_out(game: rules.GameState) -> None:
    """An order changes none of what leaving reads: the warning is not worked out anew."""
    state = with_coalition(game, ("aurora", "borealis", "caldera"))
    costs = diplomacy.leaving_costs(state, "aurora", "co-1")
    commit = next(
        a for a in rules.legal_actions(state, "aurora") if isinstance(a, rules.CommitUnit)
    )
    committed = rules.apply(state, "aurora", commit)
    assert isinstance(committed, rules.Accepted)
    assert diplomacy.leaving_costs(committed.state, "aurora", "co-1") is costs
