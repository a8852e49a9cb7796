"""intel_sharing: the parties share intelligence: their joint operations are more
effective and their trust grows each turn (read in resolution). No terms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import AgreementSpec, Names, Terms, partners
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.base import N_, gettext


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    return {}  # it has no terms; any given are dropped


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    return [Propose("intel_sharing", (nation.id, other.id)) for other in partners(state, nation)]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return gettext(N_("The parties share intelligence."))


SPEC = AgreementSpec(
    kind="intel_sharing",
    label=N_("intelligence sharing"),
    help=N_("The parties share intelligence: joint operations gain, trust grows."),
    public=False,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
)
