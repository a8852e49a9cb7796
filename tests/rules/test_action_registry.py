"""The registries of actions (app/rules/actions, app/rules/control.py): every kind of player
action and of control action has its one entry (parse, check, apply), keyed by the kind
its input names; and every rejection the game builds carries a reason with words."""

from __future__ import annotations

import ast
from dataclasses import asdict
from pathlib import Path
from typing import Any, get_args

import pytest

from app import rules
from app.rules.action_types import (
    Action,
    CommitUnit,
    Counter,
    LeaveCoalition,
    OpenChannel,
    Propose,
    ReclaimUnit,
    RedCard,
    RedMove,
    RejectProposal,
    RequestMandate,
    SendMessage,
    SetReady,
    Sign,
    TransferAuthority,
    WithdrawProposal,
    WithdrawUnit,
)
from app.rules.actions import ACTIONS, ORDER_ACTIONS, UnknownAction, action_spec
from app.rules.control import CONTROL_ACTIONS, ControlAction
from app.rules.reasons import because
from app.rules.wording import words
from app.rules.wording.rejections import RejectionReason

APP = Path(__file__).resolve().parents[2] / "app"

# One of each kind, as a player could send it.
EXAMPLES: list[Action] = [
    SetReady(True),
    CommitUnit("u-1", "op-1"),
    WithdrawUnit("u-1"),
    TransferAuthority("u-1", "c-1"),
    ReclaimUnit("u-1"),
    RedCard("u-1"),
    Propose("aid", ("a", "b"), {"from": "a", "to": "b", "amount": 10}),
    Sign("ag-1"),
    RejectProposal("ag-1"),
    Counter("ag-1", {"amount": 5}),
    WithdrawProposal("ag-1"),
    SendMessage("ch-1", "hello"),
    OpenChannel(("a", "b"), "Back room"),
    LeaveCoalition("c-1"),
    RequestMandate("c-1", "un"),
]
# The nations' kinds: the red cell's move has no nation's entry (tests/rules/test_red_cell.py).
KINDS = [a.kind for a in get_args(Action) if a is not RedMove]


def test_the_examples_hold_every_kind_once() -> None:
    assert sorted(e.kind for e in EXAMPLES) == sorted(KINDS)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.kind)
def test_every_player_action_has_its_registry_entry(example: Action) -> None:
    spec = action_spec(example.kind)
    assert spec.kind == example.kind and spec.action is type(example)
    assert callable(spec.parse) and callable(spec.check) and callable(spec.apply)
    assert callable(spec.offers)
    # Its parser reads back what the log keeps of it (the action as a dict).
    assert rules.parse_action(asdict(example)) == example
    assert spec.changes_orders is (type(example) in ORDER_ACTIONS)


def test_the_registry_holds_exactly_the_kinds_of_action() -> None:
    assert set(ACTIONS) == set(KINDS)
    assert {CommitUnit, WithdrawUnit, TransferAuthority, ReclaimUnit, RedCard} == set(ORDER_ACTIONS)


def test_an_unknown_kind_is_a_clear_rejection_and_an_error_in_the_registry() -> None:
    refused = rules.parse_action({"kind": "fly"})
    assert isinstance(refused, rules.Rejection)
    assert (refused.code, refused.message) == ("unknown_action", "Unknown action kind 'fly'.")
    with pytest.raises(UnknownAction):
        action_spec("fly")


@pytest.mark.parametrize("cls", get_args(ControlAction), ids=lambda c: c.kind)
def test_every_control_action_has_its_registry_entry(cls: Any) -> None:
    spec = CONTROL_ACTIONS[cls.kind]
    assert spec.kind == cls.kind and spec.action is cls
    assert callable(spec.parse) and callable(spec.apply)


def test_the_control_registry_holds_exactly_the_kinds_of_control_action() -> None:
    assert set(CONTROL_ACTIONS) == {c.kind for c in get_args(ControlAction)}


def _rejections_built() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and (
                (isinstance(node.func, ast.Name) and node.func.id == "Rejection")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "Rejection")
            ):
                found.append((str(path.relative_to(APP.parent)), node.lineno, node))
    return found


def test_every_rejection_is_built_with_a_reason_not_a_sentence() -> None:
    calls = _rejections_built()
    assert len(calls) > 50  # the scan sees them
    sentences = [
        f"{path}:{line}"
        for path, line, call in calls
        if len(call.args) != 2 or isinstance(call.args[1], ast.Constant | ast.JoinedStr)
    ]
    assert not sentences, "a Rejection takes (code, because(RejectionReason..., ...))"


def test_every_rejection_reason_is_given_somewhere() -> None:
    words_module = APP / "rules" / "wording" / "rejections.py"
    source = "\n".join(p.read_text() for p in APP.rglob("*.py") if p != words_module)
    unused = [r.name for r in RejectionReason if f".{r.name}" not in source]
    assert not unused, f"reasons no rejection gives: {unused}"


def test_a_rejection_reads_its_reason() -> None:
    refused = rules.parse_action({"kind": "ready", "ready": "maybe"})
    assert isinstance(refused, rules.Rejection)
    assert refused.reason.code is RejectionReason.READY_NOT_TRUE_OR_FALSE
    assert refused.message == words(refused.reason) == "'ready' must be true or false."


def test_a_rejection_that_wraps_another_reason_reads_both() -> None:
    terms = because(RejectionReason.PLEDGE_TURN, first=3, last=5)
    wrapped = because(
        RejectionReason.NO_LONGER_POSSIBLE, fault=terms.code, fault_params=dict(terms.params)
    )
    assert words(wrapped) == "This deal is no longer possible: 'turn' must be from 3 to 5."
    # A text's fault is its own reason, worded inside the sentence of the rejection.
    refused = rules.parse_action({"kind": "message", "channel_id": "c", "text": "x\x00"})
    assert isinstance(refused, rules.Rejection)
    assert refused.reason.params["fault"] == RejectionReason.TEXT_FORBIDDEN_CHARACTER
    assert refused.message == "'text' contains a character that is not allowed (U+0000)."
