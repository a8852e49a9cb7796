"""The cheap lookups bot games lean on give what the plain computations give."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.bots.hand import AgreementIndex
from app.rules.state import Agreement, GameState, replace_state


def _agreement(number: int, kind: str, parties: tuple[str, ...], status: str = "open") -> Agreement:
    return Agreement(
        id=f"ag-{number}",
        kind=kind,  # type: ignore[arg-type]
        proposer=parties[0],
        parties=parties,
        terms={},
        turn=1,
        status=status,  # type: ignore[arg-type]
    )


def _lookups(index: AgreementIndex, agreements: tuple[Agreement, ...]) -> dict[object, list[str]]:
    """Every lookup a bot could make on `agreements` (by kind, by kind and parties), as ids
    and statuses, in the order given."""
    keys = {(a.kind, frozenset(a.parties)) for a in agreements} | {("basing", frozenset("xy"))}
    found: dict[object, list[str]] = {}
    for kind, parties in keys:
        for wanted in (parties, None):
            got = index.of_kind(agreements, kind, wanted)
            found[(kind, wanted)] = [f"{a.id}:{a.status}" for a in got]
    return found


def test_agreement_index_kept_up_to_date_gives_what_a_rebuild_gives() -> None:
    a = _agreement(1, "intel_sharing", ("fr", "uk"))
    b = _agreement(2, "basing", ("fr", "de"))
    c = _agreement(3, "intel_sharing", ("uk", "fr"))  # the same parties, another order
    d = _agreement(4, "liaison_officers", ("de", "uk"))
    steps = [
        (a,),
        (a, b),  # a proposal appended
        (replace(a, status="signed"), b),  # signed in place
        (replace(a, status="signed"), replace(b, status="rejected"), c, d),  # both at once
        (replace(a, status="signed"), c, d),  # one gone (a rebuild)
        (replace(a, parties=("fr", "de")), c, d),  # other parties (a rebuild)
        (),
        (d,),
    ]
    kept = AgreementIndex()
    for agreements in steps:
        assert _lookups(kept, agreements) == _lookups(AgreementIndex(), agreements)


def test_agreement_index_does_not_change_lists_already_handed_out() -> None:
    a = _agreement(1, "intel_sharing", ("fr", "uk"))
    index = AgreementIndex()
    first = index.of_kind((a,), "intel_sharing", None)
    index.of_kind((a, _agreement(2, "intel_sharing", ("fr", "de"))), "intel_sharing", None)
    index.of_kind((replace(a, status="signed"),), "intel_sharing", None)
    assert first == [a]


def test_replace_state_gives_the_state_replace_gives(meridian_state: GameState) -> None:
    state = meridian_state
    nations = tuple(replace(n, budget=n.budget + 1) for n in state.nations)
    relations = tuple(state.relations)  # a plain tuple, made a `Relations` as replace does
    state.nation(nations[0].id)  # a lookup cached on the old state...
    fast = replace_state(state, nations=nations, relations=relations, next_id=99)
    assert fast == replace(state, nations=nations, relations=relations, next_id=99)
    assert fast.nation(nations[0].id) is nations[0]  # ...is not carried over
    assert type(fast.relations) is type(state.relations)
    assert replace_state(state) == state


def test_replace_state_refuses_a_field_the_state_does_not_have(
    meridian_state: GameState,
) -> None:
    with pytest.raises(TypeError, match="nation_count"):
        replace_state(meridian_state, nation_count=3)
