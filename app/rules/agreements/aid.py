"""aid: `from` gives `amount` of its budget to `to`, at signature. Public."""

from __future__ import annotations

import math
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
from app.rules.resolution.tuning import AID_MEANS_SCALE, AID_TRUST_MAX, AID_WINDOW
from app.rules.state import Agreement, GameState, Nation
from app.rules.wording.base import N_, gettext
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
    normalised: Terms = {"from": str(giver), "to": str(receiver), "amount": amount}
    return _over_budget(state, normalised) or normalised


def _over_budget(state: GameState, terms: Terms) -> Rejection | None:
    """The giver must have the amount left this turn. Checked on proposing, countering and
    at every signature (terms are normalised again then), so the last signature, which
    enacts the gift, sees the giver's budget as it is: no path gives more than it has."""
    giver = state.nation(str(terms["from"]))
    assert giver is not None
    amount = int(terms["amount"])
    left = giver.budget - state.committed_cost(giver)
    if amount > left:
        return Rejection(
            "over_budget",
            because(R.AID_OVER_BUDGET, giver=giver.name, left=max(0, left), amount=amount),
        )
    return None


def trust_for_aid(state: GameState, agreement: Agreement) -> int:
    """The receiver's trust gained: diminishing in the gift against the giver's means
    (capacity), and divided by one more for each earlier gift between the same pair
    within the window: a stream of small gifts buys nothing."""
    terms = agreement.terms
    giver = state.nation(str(terms["from"]))
    assert giver is not None
    means = max(1.0, AID_MEANS_SCALE * giver.capacity)
    earlier = sum(
        1
        for a in state.agreements
        if a.kind == "aid"
        and a.status == "signed"
        and a.id != agreement.id
        and a.terms.get("from") == terms["from"]
        and a.terms.get("to") == terms["to"]
        and a.turn > state.turn - AID_WINDOW
    )
    gained = AID_TRUST_MAX * (1 - math.exp(-int(terms["amount"]) / means)) / (1 + earlier)
    return int(gained)


def enact(state: GameState, agreement: Agreement) -> tuple[GameState, list[Event]]:
    terms = agreement.terms
    giver, receiver = state.nation(str(terms["from"])), state.nation(str(terms["to"]))
    assert giver is not None and receiver is not None
    amount = int(terms["amount"])
    state = state.replace_nation(replace(giver, budget=giver.budget - amount))
    state = state.replace_nation(replace(receiver, budget=receiver.budget + amount))
    return adjust_trust(state, receiver.id, giver.id, trust_for_aid(state, agreement)), []


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    if nation.budget < 10:
        return []
    return [
        Propose("aid", (nation.id, other.id), {"from": nation.id, "to": other.id, "amount": 10})
        for other in partners(state, nation)
    ]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return gettext(N_("{giver} gives {amount} of its budget to {receiver}.")).format(
        giver=names.nation(terms.get("from")),
        amount=terms.get("amount"),
        receiver=names.nation(terms.get("to")),
    )


SPEC = AgreementSpec(
    kind="aid",
    label=N_("aid"),
    help=N_("One party gives part of its budget to another, at signature."),
    public=True,
    normalise=normalise,
    enact=enact,
    proposals=proposals,
    describe=describe,
)
