"""The kinds of agreement, one module each, behind one registry keyed by the kind.

Each module (`coalition_membership`, `force_pledge`, ...) holds its `SPEC`, an
`AgreementSpec` (`common.py`): its label, help line, whether it is public, its minimum
parties, its terms checked (`normalise`), what signature does (`enact`), its canonical
proposals (`proposals`, for `legal_actions`) and its terms in words (`describe`).
`app/rules/diplomacy.py`, `app/rules/views.py`, `app/web/talks.py` and the review look a
kind up with `agreement(kind)`: an unknown kind raises `UnknownAgreement`, never a
default. What a signed agreement does every turn stays in `app/rules/resolution/`.
"""

from __future__ import annotations

from typing import get_args

from app.rules.agreements import (
    aid,
    basing,
    coalition_membership,
    combined_exercise,
    command_arrangement,
    cost_sharing,
    force_pledge,
    intel_sharing,
    joint_statement,
    liaison_officers,
    ngo_coordination,
)
from app.rules.agreements.common import AgreementSpec, Names, UnknownAgreement
from app.rules.state import AgreementKind

__all__ = ["AGREEMENTS", "AgreementSpec", "Names", "UnknownAgreement", "agreement"]

# In the composer's order.
AGREEMENTS: dict[str, AgreementSpec] = {
    spec.kind: spec
    for spec in (
        coalition_membership.SPEC,
        force_pledge.SPEC,
        cost_sharing.SPEC,
        intel_sharing.SPEC,
        combined_exercise.SPEC,
        liaison_officers.SPEC,
        basing.SPEC,
        command_arrangement.SPEC,
        aid.SPEC,
        joint_statement.SPEC,
        ngo_coordination.SPEC,
    )
}
assert set(AGREEMENTS) == set(get_args(AgreementKind)), "every AgreementKind has its module"


def agreement(kind: str) -> AgreementSpec:
    """The registry's entry for `kind`; `UnknownAgreement` (a `KeyError`) if there is none."""
    try:
        return AGREEMENTS[kind]
    except KeyError:
        raise UnknownAgreement(kind) from None
