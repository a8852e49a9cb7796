"""basing: `host` grants basing and overflight in `region`: the others' forces need half
the lift there (read in resolution). Only the region's host (its government: `Region.host`)
can grant it (docs/rules/legitimacy.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import AgreementSpec, Names, Terms, name, party_term, reject
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.base import N_, gettext
from app.rules.wording.rejections import RejectionReason as R


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    host = party_term(terms, "host", parties)
    if not isinstance(host, str):
        return host
    region_id = str(terms.get("region", ""))
    region = next((r for r in state.regions if r.id == region_id), None)
    if region is None:
        return reject(R.BASING_REGION)
    if region.host is None:
        return reject(R.BASING_NOBODY_HOSTS, region=region.name)
    if region.host != host:
        return reject(R.BASING_NOT_HOST, host=name(state, host), region=region.name)
    return {"host": host, "region": region_id}


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    """None canonical: where to base depends on the operations (the bots decide it)."""
    return []


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return gettext(N_("{host} grants basing and overflight in {region}.")).format(
        host=names.nation(terms.get("host")), region=names.region(terms.get("region"))
    )


SPEC = AgreementSpec(
    kind="basing",
    label=N_("basing and overflight"),
    help=N_("The host grants basing and overflight in a region: half the lift there."),
    public=False,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
)
