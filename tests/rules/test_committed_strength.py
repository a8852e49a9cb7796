"""An operation's committed strength per capability, as far as the viewer may see it: its
own units always; everyone's in open fog and for control; never another nation's in
standard or strict fog (not even a count for the operation)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app import rules


def committed(game: rules.GameState) -> rules.GameState:
    for nation, unit in (("aurora", "aur-frigates"), ("borealis", "bor-corvettes")):
        result = rules.apply(game, nation, rules.CommitUnit(unit, "hammerfall"))
        assert isinstance(result, rules.Accepted), result
        game = result.state
    return game


def strength(state: rules.GameState, viewer: rules.Viewer) -> dict[str, object]:
    (op,) = [o for o in rules.view(state, viewer)["operations"] if o["id"] == "hammerfall"]
    return dict(op["committed_strength"])


@pytest.mark.parametrize("fog", ["standard", "strict"])
def test_a_nation_counts_only_its_own_units_under_fog(game: rules.GameState, fog: str) -> None:
    state = committed(replace(game, fog=fog))
    seen = strength(state, rules.Viewer.of_nation("aurora"))
    assert seen == {"by_capability": {"maritime": 4}, "all_seen": False}
    assert strength(state, rules.Viewer.of_nation("caldera"))["by_capability"] == {}


def test_open_fog_and_control_count_everyone(game: rules.GameState) -> None:
    state = committed(replace(game, fog="open"))
    everyone = {"by_capability": {"maritime": 7}, "all_seen": True}
    assert strength(state, rules.Viewer.of_nation("caldera")) == everyone
    assert strength(replace(state, fog="strict"), rules.Viewer.control()) == everyone
