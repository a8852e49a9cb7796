"""basing: `host` grants basing and overflight in `region`: the others' forces need half
the lift there (read in resolution)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import AgreementSpec, Names, Terms, party_term, reject
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.rejections import RejectionReason as R


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    host = party_term(terms, "host", parties)
    if not isinstance(host, str):
        return host
    region = str(terms.get("region", ""))
    if not any(r.id == region for r in state.regions):
        return reject(R.BASING_REGION)
    return {"host": host, "region": region}


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    """None canonical: where to base depends on the operations (the bots decide it)."""
    return []


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return (
        f"{names.nation(terms.get('host'))} grants basing and overflight in "
        f"{names.region(terms.get('region'))}."
    )


SPEC = AgreementSpec(
    kind="basing",
    label="basing and overflight",
    help="The host grants basing and overflight in a region: half the lift there.",
    public=False,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
)
