"""A joint success's trust and cooperation changes are listed once per operation
(`PairChanges`): each pair's change is what it was when listed one by one, each viewer
sees exactly the pairs it saw then, and records stored before load as they were."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from itertools import permutations
from pathlib import Path

from app import rules
from app.bots import StrategyPlan, opening_state
from app.bots.simulate import play_game
from app.rules.belief import belief_state
from app.rules.reasons import because
from app.rules.records import Change, PairChanges, TurnRecord, in_order
from app.rules.state import state_from_dict, state_to_dict, state_to_json
from app.rules.viewer import changes_seen
from app.rules.wording.changes import ChangeReason
from app.scenarios.loader import load_scenario

GULF = Path(__file__).resolve().parents[2] / "scenarios" / "gulf-1990.yaml"


@cache
def _played() -> rules.GameState:
    """A cooperative game of the Gulf scenario: its coalitions succeed together."""
    state = opening_state(load_scenario(GULF), seed=3)
    return play_game(state, StrategyPlan.everyone("cooperative").bots(state), 1)


def _records_with_pairs() -> list[TurnRecord]:
    records = [r for r in _played().records if r.pairs]
    assert records, "the game has joint successes"
    return records


def _old_filter(changes: list[Change], viewer: rules.Viewer) -> list[Change]:
    return [c for c in changes if not c.visible_to or viewer.among(c.visible_to)]


def test_a_joint_success_is_listed_once_and_stands_for_every_pair() -> None:
    kinds = set()
    for record in _records_with_pairs():
        for group in record.pairs:
            kinds.add(group.kind)
            pairs = list(permutations(group.nations, 2))
            assert [c.subject for c in group.changes()] == [
                f"{group.kind}:{a}>{b}" for a, b in pairs
            ]
            assert [c.visible_to for c in group.changes()] == pairs
            assert {c.delta for c in group.changes()} == {group.delta}
        # The pairs are not listed one by one as well.
        assert not [c for c in record.changes if c.reason.code == ChangeReason.JOINT_SUCCESS]
        listed = record.listed()
        assert len(listed) == len(record.changes) + sum(len(g.changes()) for g in record.pairs)
    assert kinds == {"trust", "cooperation"}


def test_each_viewer_sees_the_pairs_it_is_in_and_no_other() -> None:
    state = _played()
    for record in _records_with_pairs():
        every = record.listed()
        assert changes_seen(record, rules.Viewer.control()) == every
        for viewer in (rules.Viewer.observer(), rules.Viewer.red_cell()):
            seen = changes_seen(record, viewer)
            assert seen == _old_filter(every, viewer)
            assert not [c for c in seen if c.visible_to]
        for nation in state.nations:
            viewer = rules.Viewer.of_nation(nation.id)
            seen = changes_seen(record, viewer)
            assert seen == _old_filter(every, viewer)
            assert all(nation.id in c.visible_to for c in seen if c.visible_to)
            # A bot's belief holds the same changes, one by one.
            believed = belief_state(state, nation.id, 0).records[record.turn - 1]
            assert believed.pairs == ()
            assert list(believed.changes) == seen


def test_the_view_lists_a_nations_pair_changes_as_before() -> None:
    state = _played()
    nation = next(iter({g.nations[0] for r in _records_with_pairs() for g in r.pairs}))
    viewer = rules.Viewer.of_nation(nation)
    shown = rules.view(state, viewer)["records"]
    for record, data in zip(state.records, shown, strict=True):
        expected = _old_filter(record.listed(), viewer)
        assert [(c["subject"], c["delta"]) for c in data["changes"]] == [
            (c.subject, c.delta) for c in expected
        ]


def test_a_nation_listed_twice_sees_its_pairs_in_order() -> None:
    reason = because(ChangeReason.JOINT_SUCCESS, op="op1")
    group = PairChanges("trust", ("a", "b", "a", "c"), 1, reason, 0)
    every = group.changes()
    assert [c.subject for c in every] == [
        f"trust:{x}>{y}" for x in "abac" for y in "abac" if x != y
    ]
    for nation in ("a", "b", "c", "z"):
        assert group.seen_by(nation) == [c for c in every if nation in c.visible_to]
    assert group.seen_by(None) == []


def test_groups_come_at_their_place_among_the_changes() -> None:
    reason = because(ChangeReason.JOINT_SUCCESS, op="op1")
    changes = [Change(f"support:n{i}", 1, reason) for i in range(3)]
    first = PairChanges("trust", ("a", "b"), 1, reason, 0)
    middle = PairChanges("cooperation", ("a", "b"), 4, reason, 2)
    last = PairChanges("trust", ("b", "c"), 1, reason, 3)
    listed = in_order(changes, [first, middle, last])
    assert [c.subject for c in listed] == [
        "trust:a>b",
        "trust:b>a",
        "support:n0",
        "support:n1",
        "cooperation:a>b",
        "cooperation:b>a",
        "support:n2",
        "trust:b>c",
        "trust:c>b",
    ]


def test_a_record_stored_with_every_pair_listed_loads_as_it_was() -> None:
    state = _played()
    data = state_to_dict(state)
    # As games stored their records before: each pair's change among `changes`.
    old = state_to_dict(
        replace(
            state,
            records=tuple(replace(r, changes=tuple(r.listed()), pairs=()) for r in state.records),
        )
    )
    for stored in old["records"]:
        del stored["pairs"]
    loaded = state_from_dict(old)
    for before, after in zip(loaded.records, state.records, strict=True):
        assert before.pairs == ()
        assert before.listed() == after.listed()
    for nation in state.nations:
        viewer = rules.Viewer.of_nation(nation.id)
        assert rules.view(loaded, viewer)["records"] == rules.view(state, viewer)["records"]
    # And a record with its groups round-trips.
    assert state_from_dict(data) == state
    assert state_to_json(state_from_dict(data)) == state_to_json(state)
