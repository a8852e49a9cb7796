"""aid: `from` gives `amount` of its budget to `to`, at signature. Public."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import (
    AgreementSpec,
    Names,
    Terms,
    adjust_trust,
    int_term,
    partners,
    party_term,
    reject,
)
from app.rules.outcomes import Event, Rejection
from app.rules.reasons import because
from app.rules.state import Agreement, GameState, Nation
from app.rules.wording.rejections import RejectionReason as R


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    giver = party_term(terms, "from", parties)
    receiver = party_term(terms, "to", parties)
    for value in (giver, receiver):
        if not isinstance(value, str):
            return value
    if giver == receiver:
        return reject(R.AID_TO_ITSELF)
    amount = int_term(terms, "amount", 1, 1_000_000)
    if amount is None:
        return reject(R.AID_AMOUNT)
    return {"from": str(giver), "to": str(receiver), "amount": amount}


def check_signature(state: GameState, terms: Terms, signer: str) -> Rejection | None:
    """The giver, signing, must still have the amount left this turn."""
    if signer != terms["from"]:
        return None
    giver = state.nation(str(terms["from"]))
    assert giver is not None
    amount = int(terms["amount"])
    left = giver.budget - state.committed_cost(giver)
    if amount > left:
        return Rejection(
            "over_budget", because(R.AID_OVER_BUDGET, giver=giver.name, left=left, amount=amount)
        )
    return None


def enact(state: GameState, agreement: Agreement) -> tuple[GameState, list[Event]]:
    terms = agreement.terms
    giver, receiver = state.nation(str(terms["from"])), state.nation(str(terms["to"]))
    assert giver is not None and receiver is not None
    amount = int(terms["amount"])
    state = state.replace_nation(replace(giver, budget=giver.budget - amount))
    state = state.replace_nation(replace(receiver, budget=receiver.budget + amount))
    return adjust_trust(state, receiver.id, giver.id, 3), []


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    if nation.budget < 10:
        return []
    return [
        Propose("aid", (nation.id, other.id), {"from": nation.id, "to": other.id, "amount": 10})
        for other in partners(state, nation)
    ]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return (
        f"{names.nation(terms.get('from'))} gives {terms.get('amount')} of its budget "
        f"to {names.nation(terms.get('to'))}."
    )


SPEC = AgreementSpec(
    kind="aid",
    label="aid",
    help="One party gives part of its budget to another, at signature.",
    public=True,
    normalise=normalise,
    enact=enact,
    proposals=proposals,
    describe=describe,
    check_signature=check_signature,
)
