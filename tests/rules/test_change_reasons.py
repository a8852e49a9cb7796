"""Changes, factors and outcome summaries are data (a code and its parameters), worded
for the viewer; games stored when they were sentences still load and read the same."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from typing import Any

from app import rules
from app.rules import Accepted, CommitUnit, apply, resolve_turn, state_from_dict, state_to_dict
from app.rules.reasons import TEXT, Reason
from app.rules.resolution.tuning import FORCE_RATIO_CAP, RESULTS_TABLE
from app.rules.state import Override
from app.rules.wording import CODES, words
from app.rules.wording.changes import (
    ChangeReason,
    FactorName,
    FactorReason,
    Judgement,
    OutcomeReason,
)

ORDERS = (
    ("aurora", "aur-guards", "hammerfall"),
    ("aurora", "aur-jets", "hammerfall"),
    ("borealis", "bor-rifles", "hammerfall"),
    ("borealis", "bor-medics", "wellspring"),
    ("caldera", "cal-hospital", "wellspring"),
    ("caldera", "cal-sappers", "wellspring"),
)


def _resolved(state: rules.GameState) -> rules.GameState:
    for nation, unit, operation in ORDERS:
        result = apply(state, nation, CommitUnit(unit, operation))
        assert isinstance(result, Accepted), result
        state = result.state
    # Control adjudicates one operation, so its factor and summary are on record too.
    state = replace(state, overrides=(Override("hammerfall", "failure", "the bridge was down"),))
    resolved, _events = resolve_turn(state, 0)
    return resolved


def _worded(reason: Reason, state: rules.GameState) -> str:
    said = words(reason, state)
    assert said.strip() and "{" not in said, (reason, said)
    return said


def test_a_resolved_turns_changes_factors_and_summaries_are_codes_with_words(game) -> None:
    resolved = _resolved(game)
    changes = resolved.records[-1].changes
    assert changes
    for change in changes:
        assert change.reason.code in CODES
        _worded(change.reason, resolved)
    assert {c.reason.code for c in changes} <= set(ChangeReason) | {TEXT}
    assert any(c.reason.code in set(ChangeReason) for c in changes)
    for outcome in resolved.outcomes:
        assert outcome.summary.code in set(OutcomeReason)
        _worded(outcome.summary, resolved)
        for factor in outcome.factors:
            assert factor.name in set(FactorName) and factor.detail.code in set(FactorReason)
            _worded(Reason(factor.name), resolved)
            _worded(factor.detail, resolved)
    for nation in resolved.nations:
        for judged in rules.nation_score(resolved, nation.id)[1]:
            assert judged.detail.code in set(Judgement)
            _worded(judged.detail, resolved)


def test_the_worded_factors_and_summary_are_the_computations_numbers(game) -> None:
    resolved = _resolved(game)
    (outcome,) = [o for o in resolved.outcomes if o.operation_id == "wellspring"]
    factors = {f.name: f for f in outcome.factors}
    operation = resolved.operation("wellspring")
    assert operation is not None
    strength = sum(c.strength for c in outcome.contributions)
    force_ratio = factors[FactorName.FORCE_RATIO]
    assert words(force_ratio.detail, resolved) == (
        f"committed strength {strength} against difficulty {operation.difficulty}"
    )
    assert force_ratio.value == min(FORCE_RATIO_CAP, strength / operation.difficulty)
    assert outcome.effectiveness == math.prod(
        f.value for f in outcome.factors if f.name != FactorName.FORCE_RATIO
    )
    score = outcome.effectiveness * force_ratio.value
    column = [c for c in RESULTS_TABLE if score >= c.lowest][-1]
    assert (outcome.probability_success, outcome.probability_partial) == (
        column.success,
        column.partial,
    )
    assert words(outcome.summary, resolved) == (
        f"{operation.name}: {outcome.result} (effectiveness {outcome.effectiveness:.2f} x "
        f"force ratio {force_ratio.value:.2f} = {score:.2f}: column {column.label}, "
        f"{column.success:.0%} success, {column.partial:.0%} partial; roll {outcome.roll:.2f})."
    )
    # Control's adjudication reads after the rules' summary; its factor keeps the data.
    (overridden,) = [o for o in resolved.outcomes if o.operation_id == "hammerfall"]
    assert words(overridden.summary, resolved).endswith(
        " Control adjudicated it a failure: the bridge was down"
    )
    adjudication = overridden.factors[-1]
    assert adjudication.name == FactorName.CONTROL_ADJUDICATION
    assert adjudication.detail.params == {"result": "failure", "text": "the bridge was down"}


def _as_stored_before_codes(state: rules.GameState) -> dict[str, Any]:
    """The state as a game stored it when reasons were sentences and factors had names."""
    data = state_to_dict(state)
    for record in data["records"]:
        for change in record["changes"]:
            change["reason"] = words(Reason(**change["reason"]), state)
    for outcome in data["outcomes"]:
        outcome["summary"] = words(Reason(**outcome["summary"]), state)
        for factor in outcome["factors"]:
            factor["name"] = words(Reason(factor["name"]))
            factor["detail"] = words(Reason(**factor["detail"]), state)
    return data


def _worded_view(state: rules.GameState) -> dict[str, Any]:
    seen = rules.view(state, rules.Viewer.control())
    return {
        "changes": [
            (c["subject"], c["delta"], c["reason"]) for r in seen["records"] for c in r["changes"]
        ],
        "outcomes": [
            (o["summary"], [(f["name"], f["value"], f["detail"]) for f in o["factors"]])
            for o in seen["last_results"]["outcomes"]
        ],
    }


def test_a_game_stored_with_sentences_loads_and_reads_as_before(game) -> None:
    resolved = _resolved(game)
    stored = _as_stored_before_codes(resolved)
    assert isinstance(stored["outcomes"][0]["summary"], str)
    loaded = state_from_dict(stored)
    # The sentences load as TEXT reasons, the old factor names as their codes.
    assert all(c.reason.code == TEXT for c in loaded.records[-1].changes)
    assert [f.name for o in loaded.outcomes for f in o.factors] == [
        f.name for o in resolved.outcomes for f in o.factors
    ]
    assert _worded_view(loaded) == _worded_view(resolved)
    # And it stores again as it loaded.
    assert state_from_dict(state_to_dict(loaded)) == loaded


def test_every_factor_name_stored_before_codes_loads_as_the_code_with_those_words() -> None:
    from app.rules.records import _FACTOR_NAMES_BEFORE_CODES

    for name in FactorName:
        old_name = words(Reason(name))
        assert _FACTOR_NAMES_BEFORE_CODES.get(old_name, old_name) == name


def test_the_resolution_event_carries_support_reasons_as_json_data(game) -> None:
    state = game
    for nation, unit, operation in ORDERS:
        result = apply(state, nation, CommitUnit(unit, operation))
        assert isinstance(result, Accepted)
        state = result.state
    resolved, (event, *_rest) = resolve_turn(state, 0)
    support = [c for changes in event.data["support"].values() for c in changes]
    assert support
    for change in support:
        assert words(Reason(**change["reason"]), resolved)
    json.dumps(event.data)  # events are stored as JSON
