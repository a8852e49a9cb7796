"""liaison_officers: the parties exchange liaison officers: each turn it is in force their
history of cooperation grows a little, for nothing (read in resolution:
docs/rules/trust-and-intelligence.md). No terms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.combined_exercise import coalition_partners
from app.rules.agreements.common import AgreementSpec, Names, Terms
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.base import N_, gettext


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    return {}  # it has no terms; any given are dropped


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    return [
        Propose("liaison_officers", (nation.id, other))
        for other in coalition_partners(state, nation)
    ]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return gettext(N_("The parties exchange liaison officers."))


SPEC = AgreementSpec(
    kind="liaison_officers",
    label=N_("liaison officers"),
    help=N_("The parties exchange liaison officers: interoperability grows slowly over turns."),
    public=False,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
)
