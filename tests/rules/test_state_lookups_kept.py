"""What a state keeps of itself once computed (`cached_property`: a nation's committed
cost, each nation's active coalitions, each operation's coalition, the channels by id, each
nation's relations): a state is immutable, so each is kept with the state it was computed
from, and a state that changes any of its inputs (a new state) computes it anew."""

from __future__ import annotations

from dataclasses import replace

from app import rules
from app.rules.state import Channel, Coalition, Relation, Relations, replace_state


def _committed(game: rules.GameState) -> rules.GameState:
    aurora = game.nation("aurora")
    assert aurora is not None
    committed = rules.apply(game, "aurora", rules.CommitUnit(aurora.units[0].id, "wellspring"))
    assert isinstance(committed, rules.Accepted)
    return committed.state


def test_committed_cost_follows_the_commitments_and_the_nation(game: rules.GameState) -> None:
    aurora = game.nation("aurora")
    assert aurora is not None
    assert game.committed_cost(aurora) == 0  # kept on `game`
    state = _committed(game)
    unit = aurora.units[0]
    assert state.committed_cost(aurora) == unit.cost  # the commitments changed
    assert game.committed_cost(aurora) == 0  # the first state keeps its own
    # The nation passed changed (its unit dearer): costed as it is, not as kept.
    dearer = replace(aurora, units=(replace(unit, cost=unit.cost + 7), *aurora.units[1:]))
    assert state.committed_cost(dearer) == unit.cost + 7
    assert state.committed_cost(aurora) == unit.cost
    # Its units changed in the state (as resolution remakes nations): the new state's.
    cheaper = replace(aurora, units=(replace(unit, cost=1), *aurora.units[1:]))
    assert state.replace_nation(cheaper).committed_cost(cheaper) == 1
    # Another nation's is its own.
    borealis = state.nation("borealis")
    assert borealis is not None
    assert state.committed_cost(borealis) == 0
    # Withdrawn: none again.
    withdrawn = rules.apply(state, "aurora", rules.WithdrawUnit(unit.id))
    assert isinstance(withdrawn, rules.Accepted)
    assert withdrawn.state.committed_cost(aurora) == 0


def _coalition(members: tuple[str, ...], operations: tuple[str, ...] = ()) -> Coalition:
    return Coalition(
        id="harbour-group",
        name="Harbour Group",
        lead=members[0],
        members=members,
        command="lead_nation",
        mandate="none",
        cohesion=60,
        operations=operations,
    )


def test_coalitions_of_and_an_operations_coalition_follow_the_coalitions(
    game: rules.GameState,
) -> None:
    assert game.coalitions_of("aurora") == ()
    assert game.coalition_for_operation("wellspring") is None
    formed = _coalition(("aurora", "borealis"), ("wellspring",))
    state = replace_state(game, coalitions=(formed,))
    assert state.coalitions_of("aurora") == (formed,)
    assert state.coalitions_of("borealis") == (formed,)
    assert state.coalitions_of("caldera") == ()
    assert state.coalition_for_operation("wellspring") is formed
    assert state.coalition_for_operation("hammerfall") is None
    # A member joins, another operation is taken on: the new state's.
    grown = replace(formed, members=("aurora", "borealis", "caldera"), operations=("hammerfall",))
    joined = replace_state(state, coalitions=(grown,))
    assert joined.coalitions_of("caldera") == (grown,)
    assert joined.coalition_for_operation("hammerfall") is grown
    assert joined.coalition_for_operation("wellspring") is None
    assert state.coalitions_of("caldera") == ()  # the state before keeps its own
    # Dissolved: no longer anyone's, nor any operation's; listed twice, counted once.
    dissolved = replace_state(joined, coalitions=(replace(grown, dissolved_turn=1),))
    assert dissolved.coalitions_of("aurora") == ()
    assert dissolved.coalition_for_operation("hammerfall") is None
    twice = replace(formed, members=("aurora", "aurora", "borealis"))
    assert replace_state(game, coalitions=(twice,)).coalitions_of("aurora") == (twice,)
    # Of two active coalitions that took the same operation on, the first.
    other = replace(formed, id="other-group")
    both = replace_state(game, coalitions=(other, formed))
    assert both.coalition_for_operation("wellspring") is other
    assert both.coalitions_of("aurora") == (other, formed)


def test_a_channel_follows_the_channels(game: rules.GameState) -> None:
    assert game.channel("harbour-talks") is None
    talks = Channel("harbour-talks", "Harbour talks", "private", ("aurora", "borealis"))
    state = replace_state(game, channels=(*game.channels, talks))
    assert state.channel("harbour-talks") is talks
    renamed = replace(talks, name="Quay talks")
    again = replace_state(state, channels=(*game.channels, renamed))
    assert again.channel("harbour-talks") is renamed
    assert state.channel("harbour-talks") is talks
    # Listed twice: the first, as a scan finds it.
    twice = replace_state(state, channels=(*state.channels, renamed))
    assert twice.channel("harbour-talks") is talks


def test_a_nations_relations_follow_the_relations(game: rules.GameState) -> None:
    ids = [n.id for n in game.nations]
    pairs = [(a, b) for a in ids for b in ids if a != b]
    game = replace_state(
        game, relations=tuple(Relation(a, b, 40 + i, 50) for i, (a, b) in enumerate(pairs))
    )
    table = game.relation_table
    mine = tuple(r for r in game.relations if r.nation == "aurora")
    theirs = tuple(r for r in game.relations if r.other == "aurora")
    assert mine and theirs
    assert table.held_by["aurora"] == mine
    assert table.held_of["aurora"] == theirs
    # Trust moved (`with_trust`, as a turn moves it): the new relations' own.
    moved = table.with_trust({("aurora", "borealis"): 99, ("borealis", "aurora"): 3})
    assert [r.trust for r in moved.held_by["aurora"] if r.other == "borealis"] == [99]
    assert [r.trust for r in moved.held_of["aurora"] if r.nation == "borealis"] == [3]
    assert table.held_by["aurora"] == mine  # the relations before keep their own
    # A pair added: listed last.
    added = Relations((*game.relations, Relation("aurora", "nowhere", 10, 20)))
    assert added.held_by["aurora"][-1] == Relation("aurora", "nowhere", 10, 20)
    assert added.held_of["nowhere"] == (Relation("aurora", "nowhere", 10, 20),)
    # The page reads them through the view: the new trust shows.
    viewer = rules.Viewer.of_nation("aurora")
    state = replace_state(game, relations=moved)
    me = rules.view(state, viewer)["me"]
    assert me["trust_in"]["borealis"] == 99
    assert me["trusted_by"]["borealis"] == 3
    assert rules.view(game, viewer)["me"]["trust_in"]["borealis"] != 99
