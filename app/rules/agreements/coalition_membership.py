"""coalition_membership: found a coalition (terms: name, lead, command, operations) or
bring the parties into one (terms: coalition_id); its lead must be a party. Public."""

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
    adjust_trust,
    name,
    operations_term,
    partners,
    party_term,
    reject,
    with_channel_members,
)
from app.rules.events import EventKind
from app.rules.outcomes import Event, Rejection
from app.rules.state import Agreement, Coalition, GameState, Nation
from app.rules.wording.base import N_, gettext, term
from app.rules.wording.rejections import RejectionReason as R

LED_COALITION = N_("{nation}-led coalition")
"""The name of a coalition founded without one (kept in English in the state; said in the
reader's language where a page shows it, `app/scenarios/texts.py`)."""


def normalise(state: GameState, parties: tuple[str, ...], terms: Terms) -> Terms | Rejection:
    if "coalition_id" in terms:
        coalition = state.coalition(str(terms["coalition_id"]))
        if coalition is None or not coalition.active:
            return reject(R.NO_SUCH_COALITION, coalition_id=terms["coalition_id"])
        if coalition.lead not in parties:
            return reject(R.LEAD_NOT_A_PARTY, lead=name(state, coalition.lead))
        if all(p in coalition.members for p in parties):
            return reject(R.ALL_ALREADY_MEMBERS)
        for party in parties:
            if party in coalition.defectors:
                return reject(R.DEFECTED, nation=name(state, party), coalition=coalition.name)
        return {"coalition_id": coalition.id}
    lead = party_term(terms, "lead", parties) if "lead" in terms else parties[0]
    if not isinstance(lead, str):
        return lead
    command = terms.get("command", "lead_nation")
    if command not in COMMAND_STRUCTURES:
        return reject(R.COMMAND_STRUCTURE, structures=list(COMMAND_STRUCTURES))
    operations = operations_term(state, terms.get("operations", ""))
    if isinstance(operations, Rejection):
        return operations
    named = str(terms.get("name", "")).strip() or LED_COALITION.format(nation=name(state, lead))
    return {"name": named[:80], "lead": lead, "command": command, "operations": operations}


def enact(state: GameState, agreement: Agreement) -> tuple[GameState, list[Event]]:
    terms = agreement.terms
    events: list[Event] = []
    if "coalition_id" in terms:
        coalition = state.coalition(str(terms["coalition_id"]))
        assert coalition is not None
        joining = [p for p in agreement.parties if p not in coalition.members]
        members = (*coalition.members, *joining)
        coalition = replace(
            coalition, members=members, peak_members=max(coalition.peak_members, len(members))
        )
        state = state.replace_coalition(coalition)
        state = with_channel_members(state, coalition)
        events.append(
            Event(
                EventKind.COALITION_JOINED, None, {"coalition_id": coalition.id, "nations": joining}
            )
        )
    else:
        members = agreement.parties
        trust = [state.trust(a, b) for a in members for b in members if a != b]
        coalition = Coalition(
            id=f"co-{state.next_id}",
            name=str(terms["name"]),
            lead=str(terms["lead"]),
            members=members,
            command=terms["command"],  # type: ignore[arg-type]  # normalised
            mandate="none",
            cohesion=round(sum(trust) / len(trust)) if trust else 60,
            operations=tuple(o for o in str(terms["operations"]).split(",") if o),
            formed_turn=state.turn,
        )
        state = replace(state, coalitions=(*state.coalitions, coalition), next_id=state.next_id + 1)
        state = with_channel_members(state, coalition)
        events.append(
            Event(
                EventKind.COALITION_FORMED,
                None,
                {"coalition_id": coalition.id, "name": coalition.name, "members": list(members)},
            )
        )
    for a in agreement.parties:
        for b in agreement.parties:
            state = adjust_trust(state, a, b, 2)
    return state, events


def proposals(state: GameState, nation: Nation) -> list[Propose]:
    """Its lead invites a partner into a coalition; two nations with none found one."""
    found: list[Propose] = []
    mine = state.coalitions_of(nation.id)
    for other in partners(state, nation):
        pair = (nation.id, other.id)
        for coalition in mine:
            if coalition.lead == nation.id and other.id not in coalition.admitted_before:
                found.append(Propose("coalition_membership", pair, {"coalition_id": coalition.id}))
        if not mine and not state.coalitions_of(other.id):
            found.append(Propose("coalition_membership", pair, {"lead": nation.id}))
    return found


def describe(terms: Mapping[str, Any], names: Names) -> str:
    if "coalition_id" in terms:
        return gettext(N_("The parties join {coalition}.")).format(
            coalition=names.coalition(terms["coalition_id"])
        )
    operations = names.list_of_operations(terms.get("operations", ""))
    said = {
        "name": terms.get("name") or gettext(N_("a coalition")),
        "lead": names.nation(terms.get("lead")),
        "command": term(terms.get("command") or "lead_nation"),
        "operations": operations,
    }
    if operations:
        return gettext(
            N_("Found {name}, led by {lead}, with {command} command, for {operations}.")
        ).format(**said)
    return gettext(N_("Found {name}, led by {lead}, with {command} command.")).format(**said)


SPEC = AgreementSpec(
    kind="coalition_membership",
    label=N_("coalition membership"),
    help=N_("Found a coalition, or bring the parties into one."),
    public=True,
    normalise=normalise,
    enact=enact,
    proposals=proposals,
    describe=describe,
)
