"""command_arrangement: the coalition `coalition_id` adopts `command` (and `lead`,
`operations`); every member must be a party. Public."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from app.rules.action_types import Propose
from app.rules.agreements.common import (
    COMMAND_STRUCTURES,
    AgreementSpec,
    Names,
    Terms,
    operations_term,
    party_term,
    reject,
)
from app.rules.outcomes import Event, Rejection
from app.rules.state import Agreement, GameState, Nation
from app.rules.wording.base import N_, gettext, term
from app.rules.wording.rejections import RejectionReason as R


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    coalition = state.coalition(str(terms.get("coalition_id", "")))
    if coalition is None or not coalition.active:
        return reject(R.NOT_AN_ACTIVE_COALITION)
    if set(parties) != set(coalition.members):
        return reject(R.NOT_THE_MEMBERS, coalition=coalition.name)
    command = terms.get("command", coalition.command)
    if command not in COMMAND_STRUCTURES:
        return reject(R.COMMAND_STRUCTURE, structures=list(COMMAND_STRUCTURES))
    lead = party_term(terms, "lead", parties) if "lead" in terms else coalition.lead
    if not isinstance(lead, str):
        return lead
    operations = operations_term(state, terms.get("operations", ",".join(coalition.operations)))
    if isinstance(operations, Rejection):
        return operations
    return {
        "coalition_id": coalition.id,
        "command": command,
        "lead": lead,
        "operations": operations,
    }


def enact(state: GameState, agreement: Agreement) -> tuple[GameState, list[Event]]:
    terms = agreement.terms
    coalition = state.coalition(str(terms["coalition_id"]))
    assert coalition is not None
    coalition = replace(
        coalition,
        command=terms["command"],  # type: ignore[arg-type]  # normalised
        lead=str(terms["lead"]),
        operations=tuple(o for o in str(terms["operations"]).split(",") if o),
    )
    state = state.replace_coalition(coalition)
    # Units under coalition command tasked outside the new plan return to their owners.
    state = replace(
        state,
        commitments=tuple(
            c
            for c in state.commitments
            if c.tasked_by is None or c.operation_id in coalition.operations
        ),
    )
    return state, []


def in_force(state: GameState, agreement: Agreement) -> bool:
    """Whether these are the coalition's command terms now: a later arrangement (or a new
    lead after a defection) replaces them."""
    coalition = state.coalition(str(agreement.terms.get("coalition_id", "")))
    if agreement.status != "signed" or coalition is None or not coalition.active:
        return False

    def current(a: Agreement) -> bool:
        return (
            a.kind == "command_arrangement"
            and a.status == "signed"
            and a.terms.get("coalition_id") == coalition.id
            and a.terms.get("command") == coalition.command
            and a.terms.get("lead") == coalition.lead
            and a.terms.get("operations") == ",".join(coalition.operations)
        )

    latest = [a for a in state.agreements if current(a)]
    return bool(latest) and latest[-1].id == agreement.id


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    """The lead of a coalition proposes integrated command to all its members."""
    return [
        Propose(
            "command_arrangement",
            coalition.members,
            {"coalition_id": coalition.id, "command": "integrated"},
        )
        for coalition in state.coalitions_of(nation.id)
        if coalition.lead == nation.id and len(coalition.members) >= 2
    ]


def describe(terms: Mapping[str, Any], names: Names) -> str:
    said = {
        "coalition": names.coalition(terms.get("coalition_id")),
        "command": term(terms.get("command")),
        "lead": names.nation(terms["lead"]) if terms.get("lead") else "",
        "operations": names.list_of_operations(terms.get("operations", "")),
    }
    template = {
        (True, True): N_("{coalition} adopts {command} command under {lead}, for {operations}."),
        (True, False): N_("{coalition} adopts {command} command under {lead}."),
        (False, True): N_("{coalition} adopts {command} command, for {operations}."),
        (False, False): N_("{coalition} adopts {command} command."),
    }[(bool(said["lead"]), bool(said["operations"]))]
    return gettext(template).format(**said)


SPEC = AgreementSpec(
    kind="command_arrangement",
    label=N_("command arrangement"),
    help=N_("A coalition changes its command, lead or operations."),
    public=True,
    normalise=normalise,
    enact=enact,
    in_force=in_force,
    proposals=proposals,
    describe=describe,
)
