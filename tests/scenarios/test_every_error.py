"""Every error of a scenario file in one pass (issue 19): the schema's and the
cross-references' together, named by ids, without echoes of the stand-ins."""

from __future__ import annotations

import pytest

from app.scenarios.loader import ScenarioInvalid, parse_scenario
from app.services.scenarios import NEW_SCENARIO

# Four kinds of mistake: two the schema finds, two only the cross-checks find.
FOUR_MISTAKES = (
    NEW_SCENARIO.replace("turns: 4", "turns: many")
    .replace("strength: 3", "strength: 99")
    .replace("region: coast", "region: coastt")
    .replace("id: south\n", "id: north\n")
)


def _errors(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioInvalid) as caught:
        parse_scenario(text)
    return [(e.place, e.message) for e in caught.value.errors]


def test_a_file_with_four_kinds_of_mistake_lists_all_four_at_once() -> None:
    errors = _errors(FOUR_MISTAKES)
    assert [place for place, _ in errors] == [
        "turns",
        "nations[1].units[north-inf].strength",  # two nations are called north: numbered
        "nations[2].id",
        "operations[secure-coast].region",
    ]
    assert "duplicate nation id 'north' (already used at nations[1].id)" in errors[2][1]
    assert "unknown region 'coastt'" in errors[3][1]


def test_a_wrong_kind_does_not_bring_the_checks_of_its_stand_in() -> None:
    text = NEW_SCENARIO + (
        "events:\n"
        "  - id: storm\n"
        "    name: Storm\n"
        "    text: A storm.\n"
        "    trigger: {kind: turnn, value: 2}\n"
        "    effects: [{kind: support, target: nowhere, value: -5}]\n"
    )
    errors = _errors(text)
    # The unknown trigger kind, and the effect's unknown nation checked all the same; no
    # complaint about the value of a stand-in trigger kind.
    assert [place for place, _ in errors] == [
        "events[storm].trigger.kind",
        "events[storm].effects[1].target",
    ]
    assert "did you mean 'turn'" in errors[0][1] and "'nowhere'" in errors[1][1]


def test_what_refers_to_an_item_left_out_is_not_reported_again() -> None:
    # A unit that is not a mapping is left out of the cross-checks; the operation's
    # requirement does not name it, and nothing else complains about it.
    text = NEW_SCENARIO.replace(
        "      - {id: south-med, name: Field Hospital, capability: medical, strength: 2, cost: 3}",
        "      - {id: south-med, name: Field Hospital, capability: medics, strength: 2, cost: 3}",
    ).replace("region: coast", "region: nowhere")
    errors = _errors(text)
    assert [place for place, _ in errors] == [
        "nations[south].units[south-med].capability",
        "operations[secure-coast].region",
    ]
