"""combined_exercise: the parties train together: each turn it is in force their history
of cooperation grows, which narrows the gap between their interoperability standards, and
each party pays for it (read in resolution: docs/rules/trust-and-intelligence.md). No terms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import AgreementSpec, Names, Terms
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.base import N_, gettext


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    return {}  # it has no terms; any given are dropped


def coalition_partners(state: GameState, nation: Nation) -> list[str]:
    """The nation's partners in its coalitions, in order: whom it would train or liaise with."""
    return sorted({m for c in state.coalitions_of(nation.id) for m in c.members} - {nation.id})


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    return [
        Propose("combined_exercise", (nation.id, other))
        for other in coalition_partners(state, nation)
    ]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return gettext(N_("The parties hold combined exercises each turn, at a cost to each."))


SPEC = AgreementSpec(
    kind="combined_exercise",
    label=N_("combined exercise"),
    help=N_("The parties train together each turn, at a cost: interoperability grows over turns."),
    public=True,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
)
