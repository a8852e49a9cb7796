"""force_pledge: `nation` pledges `strength` to `operation_id` in `turn`; the ledger
checks the pledge against that turn's orders (honoured or broken, trust moves)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import (
    AgreementSpec,
    Names,
    Terms,
    int_term,
    partners,
    party_term,
    reject,
)
from app.rules.outcomes import Event, Rejection
from app.rules.state import Agreement, GameState, Nation, Pledge
from app.rules.wording.base import N_, gettext
from app.rules.wording.rejections import RejectionReason as R


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    nation = party_term(terms, "nation", parties)
    if not isinstance(nation, str):
        return nation
    operation = state.operation(str(terms.get("operation_id", "")))
    if operation is None or operation.status != "open":
        return reject(R.PLEDGE_OPERATION)
    strength = int_term(terms, "strength", 1, 1000)
    if strength is None:
        return reject(R.PLEDGE_STRENGTH)
    turn = int_term(terms, "turn", state.turn, state.turns)
    if "turn" in terms and turn is None:
        return reject(R.PLEDGE_TURN, first=state.turn, last=state.turns)
    return {
        "nation": nation,
        "operation_id": operation.id,
        "strength": strength,
        "turn": turn or state.turn,
    }


def enact(state: GameState, agreement: Agreement) -> tuple[GameState, list[Event]]:
    terms = agreement.terms
    pledge = Pledge(
        agreement.id,
        str(terms["nation"]),
        str(terms["operation_id"]),
        int(terms["strength"]),
        int(terms["turn"]),
    )
    return replace(state, pledges=(*state.pledges, pledge)), []


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    """It pledges strength to each operation of a coalition its partner leads."""
    found: list[Propose] = []
    mine = state.coalitions_of(nation.id)
    for other in partners(state, nation):
        for coalition in mine:
            if other.id != coalition.lead:
                continue
            for operation_id in coalition.operations:
                found.append(
                    Propose(
                        "force_pledge",
                        (nation.id, other.id),
                        {"nation": nation.id, "operation_id": operation_id, "strength": 3},
                    )
                )
    return found


def describe(terms: Mapping[str, Any], names: Names) -> str:
    said = {
        "nation": names.nation(terms.get("nation")),
        "strength": terms.get("strength"),
        "operation": names.operation(terms.get("operation_id")),
        "turn": terms.get("turn"),
    }
    if "turn" in terms:
        return gettext(
            N_("{nation} commits strength {strength} to {operation} in turn {turn}.")
        ).format(**said)
    return gettext(N_("{nation} commits strength {strength} to {operation} this turn.")).format(
        **said
    )


def in_force(state: GameState, agreement: Agreement) -> bool:
    """A pledge applies until the ledger has checked it (honoured or broken)."""
    return agreement.status == "signed" and any(
        p.agreement_id == agreement.id and p.status == "due" for p in state.pledges
    )


SPEC = AgreementSpec(
    kind="force_pledge",
    label=N_("force pledge"),
    help=N_("A nation pledges strength to an operation in a given turn."),
    public=False,
    normalise=normalise,
    enact=enact,
    in_force=in_force,
    proposals=proposals,
    describe=describe,
)
