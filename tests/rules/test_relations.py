"""A state's relations keep their lookups from state to state: trust moved on a few pairs
gives the relations (and lookups) that rebuilding them from scratch gives."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from app import rules
from app.rules.agreements.common import adjust_trust_many
from app.rules.ledger import Ledger
from app.rules.reasons import because
from app.rules.state import Relation, Relations
from app.rules.wording.changes import ChangeReason


def _rebuilt(relations: tuple[Relation, ...], deltas: dict[tuple[str, str], int]) -> list[Relation]:
    """Trust moved the plain way: every relation looked at, unlisted pairs added last."""
    left = dict(deltas)
    moved = [
        replace(r, trust=max(0, min(100, r.trust + left.pop((r.nation, r.other)))))
        if (r.nation, r.other) in left
        else r
        for r in relations
    ]
    return moved + [Relation(a, b, max(0, min(100, 50 + d)), 50) for (a, b), d in left.items()]


def test_moving_trust_gives_the_relations_and_lookups_a_rebuild_gives(
    meridian: rules.GameState,
) -> None:
    relations = meridian.relations
    assert isinstance(relations, Relations) and relations.positions is not None
    first, second = relations[0], relations[-1]
    deltas = {
        (first.nation, first.other): 7,
        ("nowhere", first.nation): -3,  # a pair the scenario does not list
        (second.nation, second.other): -200,  # bounded at 0
    }
    moved = adjust_trust_many(meridian, deltas)
    assert list(moved.relations) == _rebuilt(relations, deltas)
    assert moved.trust(first.nation, first.other) == min(100, first.trust + 7)
    assert moved.trust("nowhere", first.nation) == 47
    assert moved.trust(second.nation, second.other) == 0
    # The carried-over lookups are those of the new relations, built afresh.
    fresh = Relations(tuple(moved.relations))
    assert moved.relation_table.by_pair == fresh.by_pair
    assert moved.relation_table.positions == fresh.positions
    # The state it came from is untouched.
    assert meridian.trust(first.nation, first.other) == first.trust
    assert meridian.relation("nowhere", first.nation) is None


def test_a_pair_listed_twice_counts_as_its_later_listing(meridian: rules.GameState) -> None:
    first = meridian.relations[0]
    twice = replace(meridian, relations=(*meridian.relations, replace(first, trust=11)))
    assert twice.relation_table.positions is None
    assert twice.trust(first.nation, first.other) == 11
    moved = adjust_trust_many(twice, {(first.nation, first.other): 5})
    # Trust moves on the first listing, as it always did; lookups see the later one.
    assert moved.relations[0].trust == min(100, first.trust + 5)
    assert moved.trust(first.nation, first.other) == 11


def test_a_state_made_from_another_shares_its_relations_and_their_lookups(
    meridian: rules.GameState,
) -> None:
    lookups = meridian.relation_table.by_pair
    later = replace(meridian, turn=meridian.turn + 1)
    assert later.relations is meridian.relations
    assert later.relation_table.by_pair is lookups
    assert rules.state_from_dict(rules.state_to_dict(later)) == later


def test_the_turn_record_keeps_each_nations_mean_trust_from_the_others(
    meridian: rules.GameState,
) -> None:
    state, _ = rules.resolve_turn(meridian, 0.0)
    record = state.records[-1]
    ids = [n.id for n in state.nations]
    for nation in ids:
        held = [state.trust(other, nation) for other in ids if other != nation]
        assert record.mean_trust[nation] == round(sum(held) / len(held), 2)


def _settles(state: rules.GameState, later: bool) -> tuple[rules.GameState, Ledger, list[int]]:
    """Two trust settles and a cooperation settle, on listed and unlisted pairs, across the
    bounds; `later`: the trust put off until the cooperation (only `read` held between).
    Returns the end state, the ledger and the trust of the read pairs between settles."""
    nations = [n.id for n in state.nations]
    a, b, c = nations[:3]
    read = frozenset({(a, b), (b, a)})
    ledger = Ledger()
    reason = because(ChangeReason.JOINT_SUCCESS, op="op")
    ledger.trust_changes_among([a, b, c, "nowhere"], 1, reason)
    ledger.trust_change(a, b, -300, reason)  # bounded at 0
    ledger.trust_change(c, "elsewhere", 5, reason)
    state = ledger.settle_trust(state, read if later else None)
    seen = [state.trust(*pair) for pair in sorted(read)]
    ledger.trust_change(b, a, 200, reason)  # bounded at 100
    ledger.trust_change("nowhere", a, -1, reason)  # back to 50, but listed
    ledger.trust_change("other", a, 2, reason)
    state = ledger.settle_trust(state)
    seen += [state.trust(*pair) for pair in sorted(read)]
    moves: Counter[tuple[str, str]] = Counter({(a, c): 250, (c, a): 3, ("late", a): 4, (a, b): 1})
    state, bounded = ledger.settled(state, moves, cooperation=True)
    assert ledger.unsettled is None
    return state, ledger, [*seen, *(value for bound in bounded for value in bound[1:])]


def test_trust_put_off_until_the_cooperation_settles_as_one_settle_after_another(
    meridian: rules.GameState,
) -> None:
    one_by_one, ledger, seen = _settles(meridian, later=False)
    put_off, put_off_ledger, put_off_seen = _settles(meridian, later=True)
    assert put_off.relations == one_by_one.relations
    assert list(put_off.relations) == list(one_by_one.relations)  # the same order
    assert put_off_seen == seen
    assert put_off_ledger.changes == ledger.changes
    assert put_off_ledger.pairs == ledger.pairs
    fresh = Relations(tuple(put_off.relations))
    assert put_off.relation_table.by_pair == fresh.by_pair
    assert put_off.relation_table.positions == fresh.positions
