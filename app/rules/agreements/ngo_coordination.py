"""ngo_coordination: the parties coordinate with the NGO `ngo`: better soft-power results
(read in resolution). One party suffices."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import AgreementSpec, Names, Terms, reject
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.rejections import RejectionReason as R


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    ngo = state.actor(str(terms.get("ngo", "")))
    if ngo is None or ngo.kind != "ngo":
        return reject(R.NGO)
    return {"ngo": ngo.id}


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    return [
        Propose("ngo_coordination", (nation.id,), {"ngo": actor.id})
        for actor in state.actors
        if actor.kind == "ngo"
    ]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return f"The parties coordinate with {names.actor(terms.get('ngo'))}."


SPEC = AgreementSpec(
    kind="ngo_coordination",
    label="NGO coordination",
    help="The parties coordinate with an NGO: better soft-power results.",
    public=False,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
    min_parties=1,
)
