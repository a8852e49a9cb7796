"""cost_sharing: `payer` pays `share` percent of the other parties' costs on
`operation_id` each turn (read in resolution's `burden` step)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import (
    AgreementSpec,
    Names,
    Terms,
    int_term,
    party_term,
    reject,
)
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.base import N_, gettext, percent
from app.rules.wording.rejections import RejectionReason as R


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    payer = party_term(terms, "payer", parties)
    if not isinstance(payer, str):
        return payer
    operation = state.operation(str(terms.get("operation_id", "")))
    if operation is None:
        return reject(R.COST_SHARING_OPERATION)
    share = int_term(terms, "share", 1, 100)
    if share is None:
        return reject(R.COST_SHARE)
    return {"payer": payer, "operation_id": operation.id, "share": share}


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    """None canonical: what to share depends on the costs (the bots decide it)."""
    return []


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return gettext(N_("{payer} pays {share} of the other parties' costs on {operation}.")).format(
        payer=names.nation(terms.get("payer")),
        share=percent(terms.get("share")),
        operation=names.operation(terms.get("operation_id")),
    )


SPEC = AgreementSpec(
    kind="cost_sharing",
    label=N_("cost sharing"),
    help=N_("One party pays a share of the others' costs on an operation."),
    public=False,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
)
