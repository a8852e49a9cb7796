"""ngo_coordination: the parties coordinate with the NGO `ngo`: better soft-power results
(read in resolution). One nation suffices: the NGO is the other party (`outside_party`),
and it must consent (docs/rules/legitimacy.md): it refuses when its attitude to the
coalition effort is under `NGO_CONSENT_AT`, and it refuses a party whose forces have
harmed civilians where it works (humanitarian space)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import AgreementSpec, Names, Terms, reject
from app.rules.mandates import harmed_civilians
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.base import N_, gettext
from app.rules.wording.rejections import RejectionReason as R

NGO_CONSENT_AT = 40
"""An NGO works with no party while its attitude to the coalition effort is below this."""


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    ngo = state.actor(str(terms.get("ngo", "")))
    if ngo is None or ngo.kind != "ngo":
        return reject(R.NGO)
    if ngo.attitude < NGO_CONSENT_AT:
        return reject(
            R.NGO_REFUSES_ATTITUDE, ngo=ngo.name, attitude=ngo.attitude, needed=NGO_CONSENT_AT
        )
    harmed = harmed_civilians(state, parties, region=ngo.region)
    if harmed:
        names = [n.name for n in state.nations if n.id in harmed]
        return reject(R.NGO_REFUSES_HARM, ngo=ngo.name, nations=names)
    return {"ngo": ngo.id}


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    return [
        Propose("ngo_coordination", (nation.id,), {"ngo": actor.id})
        for actor in state.actors
        if actor.kind == "ngo"
    ]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return gettext(N_("The parties coordinate with {ngo}.")).format(
        ngo=names.actor(terms.get("ngo"))
    )


SPEC = AgreementSpec(
    kind="ngo_coordination",
    label=N_("NGO coordination"),
    help=N_("The parties coordinate with an NGO: better soft-power results."),
    public=False,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
    outside_party="ngo",
)
