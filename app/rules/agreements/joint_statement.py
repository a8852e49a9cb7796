"""joint_statement: the parties speak with one voice (`text`): deterrence and legitimacy
(read in resolution). Public."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import AgreementSpec, Names, Terms, reject
from app.rules.outcomes import Rejection
from app.rules.state import GameState, Nation
from app.rules.wording.base import N_, gettext
from app.rules.wording.rejections import RejectionReason as R

MAX_STATEMENT_LENGTH = 500
STAND_TOGETHER = N_("The members of {coalition} stand together.")
"""The statement a coalition's lead (a bot) proposes (kept in English in the state; said in
the reader's language where a page shows it, `app/scenarios/texts.py`)."""


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    text = str(terms.get("text", "")).strip()
    if not text or len(text) > MAX_STATEMENT_LENGTH:
        return reject(R.STATEMENT_TEXT, limit=MAX_STATEMENT_LENGTH)
    return {"text": text}


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    """The lead of a coalition proposes that its members stand together."""
    return [
        Propose(
            "joint_statement",
            coalition.members,
            {"text": STAND_TOGETHER.format(coalition=coalition.name)},
        )
        for coalition in state.coalitions_of(nation.id)
        if coalition.lead == nation.id and len(coalition.members) >= 2
    ]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    return gettext(N_("“{text}”")).format(text=terms.get("text", ""))


SPEC = AgreementSpec(
    kind="joint_statement",
    label=N_("joint statement"),
    help=N_("The parties speak with one voice."),
    public=True,
    normalise=normalise,
    proposals=proposals,
    describe=describe,
)
