"""Agreements: structured proposals that nations accept, reject or counter, and sign.

A proposal names its parties and terms; it is signed when every party has signed, and
only then does it take effect. What each kind does once signed:

- coalition_membership: found a coalition (terms: name, lead, command, operations) or
  bring the parties into one (terms: coalition_id); its lead must be a party.
- force_pledge: `nation` pledges `strength` to `operation_id` in `turn`; the ledger
  checks the pledge against that turn's orders (honoured or broken, trust moves).
- cost_sharing: `payer` pays `share` percent of the other parties' costs on
  `operation_id` each turn.
- intel_sharing: the parties share intelligence: their joint operations are more
  effective and their trust grows each turn.
- basing: `host` grants basing and overflight in `region`: the others' forces need half
  the lift there.
- command_arrangement: the coalition `coalition_id` adopts `command` (and `lead`,
  `operations`); every member must be a party.
- aid: `from` gives `amount` of its budget to `to`, at signature.
- joint_statement: the parties speak with one voice (`text`): deterrence and legitimacy.
- ngo_coordination: the parties coordinate with the NGO `ngo`: better soft-power results.
"""

from __future__ import annotations

from dataclasses import replace

from app.rules.action_types import (
    Action,
    Counter,
    Propose,
    RejectProposal,
    Sign,
    WithdrawProposal,
)
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.state import (
    Agreement,
    Channel,
    Coalition,
    GameState,
    Joiner,
    Nation,
    Pledge,
    Relation,
)

COMMAND_STRUCTURES = ("integrated", "lead_nation", "parallel")
MAX_OPEN_PROPOSALS = 12  # per proposer: bounds the state a careless bot can grow
MIN_PARTIES = {"ngo_coordination": 1}


def _reject(code: str, message: str) -> Rejection:
    return Rejection(code, message)


def _int_term(terms: dict[str, str | int], key: str, low: int, high: int) -> int | None:
    value = terms.get(key)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, int) and low <= value <= high:
        return value
    return None


def _party_term(
    state: GameState, terms: dict[str, str | int], key: str, parties: tuple[str, ...]
) -> str | Rejection:
    value = terms.get(key)
    if not isinstance(value, str) or value not in parties:
        return _reject("bad_terms", f"'{key}' must name one of the parties.")
    return value


def normalise_terms(
    state: GameState, kind: str, parties: tuple[str, ...], terms: dict[str, str | int]
) -> dict[str, str | int] | Rejection:
    """The terms of a `kind` proposal, checked and with defaults filled in."""
    if kind == "coalition_membership":
        if "coalition_id" in terms:
            coalition = state.coalition(str(terms["coalition_id"]))
            if coalition is None or not coalition.active:
                return _reject("bad_terms", f"There is no coalition {terms['coalition_id']!r}.")
            if coalition.lead not in parties:
                return _reject(
                    "bad_terms", f"{_name(state, coalition.lead)}, the lead, must be a party."
                )
            if all(p in coalition.members for p in parties):
                return _reject("bad_terms", "Every party is already a member.")
            return {"coalition_id": coalition.id}
        lead = _party_term(state, terms, "lead", parties) if "lead" in terms else parties[0]
        if not isinstance(lead, str):
            return lead
        command = terms.get("command", "lead_nation")
        if command not in COMMAND_STRUCTURES:
            return _reject(
                "bad_terms", f"'command' must be one of {', '.join(COMMAND_STRUCTURES)}."
            )
        operations = _operations(state, terms.get("operations", ""))
        if isinstance(operations, Rejection):
            return operations
        name = str(terms.get("name", "")).strip() or f"{_name(state, lead)}-led coalition"
        return {"name": name[:80], "lead": lead, "command": command, "operations": operations}
    if kind == "force_pledge":
        nation = _party_term(state, terms, "nation", parties)
        if not isinstance(nation, str):
            return nation
        operation = state.operation(str(terms.get("operation_id", "")))
        if operation is None or operation.status != "open":
            return _reject("bad_terms", "'operation_id' must name an open operation.")
        strength = _int_term(terms, "strength", 1, 1000)
        if strength is None:
            return _reject("bad_terms", "'strength' must be a whole number from 1.")
        turn = _int_term(terms, "turn", state.turn, state.turns)
        if "turn" in terms and turn is None:
            return _reject("bad_terms", f"'turn' must be from {state.turn} to {state.turns}.")
        return {
            "nation": nation,
            "operation_id": operation.id,
            "strength": strength,
            "turn": turn or state.turn,
        }
    if kind == "cost_sharing":
        payer = _party_term(state, terms, "payer", parties)
        if not isinstance(payer, str):
            return payer
        operation = state.operation(str(terms.get("operation_id", "")))
        if operation is None:
            return _reject("bad_terms", "'operation_id' must name an operation.")
        share = _int_term(terms, "share", 1, 100)
        if share is None:
            return _reject("bad_terms", "'share' must be a percentage from 1 to 100.")
        return {"payer": payer, "operation_id": operation.id, "share": share}
    if kind == "basing":
        host = _party_term(state, terms, "host", parties)
        if not isinstance(host, str):
            return host
        region = str(terms.get("region", ""))
        if not any(r.id == region for r in state.regions):
            return _reject("bad_terms", "'region' must name a region of the map.")
        return {"host": host, "region": region}
    if kind == "command_arrangement":
        coalition = state.coalition(str(terms.get("coalition_id", "")))
        if coalition is None or not coalition.active:
            return _reject("bad_terms", "'coalition_id' must name an active coalition.")
        if set(parties) != set(coalition.members):
            return _reject("bad_terms", f"Every member of {coalition.name}, and only they, sign.")
        command = terms.get("command", coalition.command)
        if command not in COMMAND_STRUCTURES:
            return _reject(
                "bad_terms", f"'command' must be one of {', '.join(COMMAND_STRUCTURES)}."
            )
        lead = _party_term(state, terms, "lead", parties) if "lead" in terms else coalition.lead
        if not isinstance(lead, str):
            return lead
        operations = _operations(state, terms.get("operations", ",".join(coalition.operations)))
        if isinstance(operations, Rejection):
            return operations
        return {
            "coalition_id": coalition.id,
            "command": command,
            "lead": lead,
            "operations": operations,
        }
    if kind == "aid":
        giver = _party_term(state, terms, "from", parties)
        receiver = _party_term(state, terms, "to", parties)
        for value in (giver, receiver):
            if not isinstance(value, str):
                return value
        if giver == receiver:
            return _reject("bad_terms", "Aid goes from one party to another.")
        amount = _int_term(terms, "amount", 1, 1_000_000)
        if amount is None:
            return _reject("bad_terms", "'amount' must be a whole number from 1.")
        return {"from": str(giver), "to": str(receiver), "amount": amount}
    if kind == "joint_statement":
        text = str(terms.get("text", "")).strip()
        if not text or len(text) > 500:
            return _reject("bad_terms", "A joint statement needs a text of up to 500 characters.")
        return {"text": text}
    if kind == "ngo_coordination":
        ngo = state.actor(str(terms.get("ngo", "")))
        if ngo is None or ngo.kind != "ngo":
            return _reject("bad_terms", "'ngo' must name a non-governmental organisation.")
        return {"ngo": ngo.id}
    return {}  # intel_sharing has no terms


def _operations(state: GameState, value: str | int) -> str | Rejection:
    ids = [part.strip() for part in str(value).split(",") if part.strip()]
    unknown = [i for i in ids if state.operation(i) is None]
    if unknown:
        return _reject("bad_terms", f"There is no operation {unknown[0]!r}.")
    return ",".join(dict.fromkeys(ids))


def _name(state: GameState, nation_id: str) -> str:
    nation = state.nation(nation_id)
    return nation.name if nation else nation_id


def _check_parties(state: GameState, nation: Nation, action: Propose) -> Rejection | None:
    if nation.id not in action.parties:
        return _reject("bad_parties", "The proposer must be one of the parties.")
    if len(set(action.parties)) != len(action.parties):
        return _reject("bad_parties", "A nation is listed twice among the parties.")
    unknown = [p for p in action.parties if state.nation(p) is None]
    if unknown:
        return _reject("unknown_nation", f"There is no nation {unknown[0]!r} in this game.")
    if len(action.parties) < MIN_PARTIES.get(action.agreement, 2):
        return _reject("bad_parties", "An agreement needs at least two parties.")
    return None


def check(state: GameState, nation: Nation, action: Action) -> Rejection | None:
    if isinstance(action, Propose):
        problem = _check_parties(state, nation, action)
        if problem is not None:
            return problem
        open_count = sum(
            1 for a in state.agreements if a.proposer == nation.id and a.status == "open"
        )
        if open_count >= MAX_OPEN_PROPOSALS:
            return _reject(
                "too_many_proposals",
                f"{nation.name} has {open_count} open proposals; withdraw some first.",
            )
        terms = normalise_terms(state, action.agreement, action.parties, action.terms)
        return terms if isinstance(terms, Rejection) else None
    assert isinstance(action, Sign | RejectProposal | Counter | WithdrawProposal)
    agreement = state.agreement(action.agreement_id)
    if agreement is None or nation.id not in agreement.parties:
        return _reject("unknown_agreement", f"There is no proposal {action.agreement_id!r} to you.")
    if agreement.status != "open":
        return _reject("not_open", f"That proposal is {agreement.status}.")
    if isinstance(action, WithdrawProposal):
        if agreement.proposer != nation.id:
            return _reject("not_proposer", "Only the proposer can withdraw a proposal.")
        return None
    if isinstance(action, Sign):
        if nation.id in agreement.signatures:
            return _reject("already_signed", f"{nation.name} has signed it already.")
        return _check_enactable(state, agreement, nation.id)
    if agreement.proposer == nation.id:
        return _reject("own_proposal", "You cannot answer your own proposal; withdraw it instead.")
    if isinstance(action, Counter):
        terms = normalise_terms(state, agreement.kind, agreement.parties, action.terms)
        return terms if isinstance(terms, Rejection) else None
    return None


def _check_enactable(state: GameState, agreement: Agreement, signer: str) -> Rejection | None:
    """What may have changed since the proposal: the deal must still be possible."""
    terms = normalise_terms(state, agreement.kind, agreement.parties, agreement.terms)
    if isinstance(terms, Rejection):
        return _reject("no_longer_possible", f"This deal is no longer possible: {terms.message}")
    if agreement.kind == "aid" and signer == terms["from"]:
        giver = state.nation(str(terms["from"]))
        assert giver is not None
        amount = int(terms["amount"])
        left = giver.budget - state.committed_cost(giver)
        if amount > left:
            return _reject("over_budget", f"{giver.name} has {left} left, not {amount}.")
    return None


def apply(state: GameState, nation: Nation, action: Action) -> Accepted:
    if isinstance(action, Propose):
        terms = normalise_terms(state, action.agreement, action.parties, action.terms)
        assert not isinstance(terms, Rejection)
        return _propose(state, nation.id, action.agreement, action.parties, terms, None)
    assert isinstance(action, Sign | RejectProposal | Counter | WithdrawProposal)
    agreement = state.agreement(action.agreement_id)
    assert agreement is not None
    if isinstance(action, Counter):
        terms = normalise_terms(state, agreement.kind, agreement.parties, action.terms)
        assert not isinstance(terms, Rejection)
        state = _set_status(state, agreement, "countered")
        return _propose(
            state, nation.id, agreement.kind, agreement.parties, terms, replaces=agreement.id
        )
    if isinstance(action, RejectProposal | WithdrawProposal):
        status = "rejected" if isinstance(action, RejectProposal) else "withdrawn"
        state = _set_status(state, agreement, status)
        event = Event(f"proposal_{status}", nation.id, _describe(agreement))
        return Accepted(state, (event,))
    signed = replace(agreement, signatures=(*agreement.signatures, nation.id))
    state = _replace_agreement(state, signed)
    events = [Event("proposal_signed", nation.id, _describe(signed))]
    if set(signed.signatures) == set(signed.parties):
        state, enacted = enact(state, signed)
        events += enacted
    return Accepted(state, tuple(events))


def _propose(
    state: GameState,
    proposer: str,
    kind: str,
    parties: tuple[str, ...],
    terms: dict[str, str | int],
    replaces: str | None,
) -> Accepted:
    agreement = Agreement(
        id=f"ag-{state.next_id}",
        kind=kind,  # type: ignore[arg-type]  # validated by the caller
        proposer=proposer,
        parties=parties,
        terms=terms,
        turn=state.turn,
        signatures=(proposer,),
        replaces=replaces,
    )
    state = replace(state, agreements=(*state.agreements, agreement), next_id=state.next_id + 1)
    events = [
        Event("proposal_countered" if replaces else "proposal_made", proposer, _describe(agreement))
    ]
    if set(agreement.signatures) == set(agreement.parties):
        state, enacted = enact(state, agreement)
        events += enacted
    return Accepted(state, tuple(events))


def _describe(agreement: Agreement) -> dict[str, object]:
    return {
        "agreement_id": agreement.id,
        "agreement": agreement.kind,
        "parties": list(agreement.parties),
        "terms": dict(agreement.terms),
        "replaces": agreement.replaces,
    }


def _set_status(state: GameState, agreement: Agreement, status: str) -> GameState:
    return _replace_agreement(state, replace(agreement, status=status))  # type: ignore[arg-type]


def _replace_agreement(state: GameState, agreement: Agreement) -> GameState:
    return replace(
        state,
        agreements=tuple(agreement if a.id == agreement.id else a for a in state.agreements),
    )


def adjust_trust(state: GameState, nation: str, other: str, delta: int) -> GameState:
    """Move `nation`'s trust in `other` by `delta`, kept within 0-100."""
    return adjust_trust_many(state, {(nation, other): delta})


def adjust_trust_many(state: GameState, deltas: dict[tuple[str, str], int]) -> GameState:
    """Apply many trust changes in one pass (a resolution makes hundreds)."""
    deltas = {pair: d for pair, d in deltas.items() if d and pair[0] != pair[1]}
    if not deltas:
        return state
    relations = []
    for relation in state.relations:
        delta = deltas.pop((relation.nation, relation.other), 0)
        if delta:  # the constructor, not replace(): this runs for every pair of nations
            relation = Relation(
                relation.nation,
                relation.other,
                max(0, min(100, relation.trust + delta)),
                relation.alignment,
                relation.cooperation,
            )
        relations.append(relation)
    for (nation, other), delta in deltas.items():  # pairs the scenario did not list
        relations.append(Relation(nation, other, max(0, min(100, 50 + delta)), 50))
    return replace(state, relations=tuple(relations))


def enact(state: GameState, agreement: Agreement) -> tuple[GameState, list[Event]]:
    """A fully signed agreement takes effect."""
    state = _set_status(state, agreement, "signed")
    terms = agreement.terms
    events = [Event("agreement_signed", None, _describe(agreement))]
    if agreement.kind == "coalition_membership":
        if "coalition_id" in terms:
            coalition = state.coalition(str(terms["coalition_id"]))
            assert coalition is not None
            joining = [p for p in agreement.parties if p not in coalition.members]
            members = (*coalition.members, *joining)
            coalition = replace(
                coalition, members=members, peak_members=max(coalition.peak_members, len(members))
            )
            state = state.replace_coalition(coalition)
            state = _with_channel_members(state, coalition)
            events.append(
                Event("coalition_joined", None, {"coalition_id": coalition.id, "nations": joining})
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
            state = replace(
                state, coalitions=(*state.coalitions, coalition), next_id=state.next_id + 1
            )
            state = _with_channel_members(state, coalition)
            events.append(
                Event(
                    "coalition_formed",
                    None,
                    {
                        "coalition_id": coalition.id,
                        "name": coalition.name,
                        "members": list(members),
                    },
                )
            )
        for a in agreement.parties:
            for b in agreement.parties:
                state = adjust_trust(state, a, b, 2)
    elif agreement.kind == "force_pledge":
        pledge = Pledge(
            agreement.id,
            str(terms["nation"]),
            str(terms["operation_id"]),
            int(terms["strength"]),
            int(terms["turn"]),
        )
        state = replace(state, pledges=(*state.pledges, pledge))
    elif agreement.kind == "command_arrangement":
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
    elif agreement.kind == "aid":
        giver, receiver = state.nation(str(terms["from"])), state.nation(str(terms["to"]))
        assert giver is not None and receiver is not None
        amount = int(terms["amount"])
        state = state.replace_nation(replace(giver, budget=giver.budget - amount))
        state = state.replace_nation(replace(receiver, budget=receiver.budget + amount))
        state = adjust_trust(state, receiver.id, giver.id, 3)
    return state, events


def _with_channel_members(state: GameState, coalition: Coalition) -> GameState:
    channel_id = f"coalition-{coalition.id}"
    existing = state.channel(channel_id)
    if existing is None:
        channel = Channel(channel_id, coalition.name, "coalition", coalition.members)
        return replace(state, channels=(*state.channels, channel))
    # A new member reads the channel from when it joined: what the others said before
    # (about it, perhaps) stays theirs. One who leaves and comes back starts afresh.
    total = state.message_counts.get(channel_id, 0)
    joiners: list[Joiner] = []
    for member in coalition.members:
        if member not in existing.members:
            joiners.append(Joiner(member, state.next_id, total))
        elif (kept := existing.joiner(member)) is not None:
            joiners.append(kept)
    channel = replace(existing, members=coalition.members, joiners=tuple(joiners))
    return replace(
        state, channels=tuple(channel if c.id == channel_id else c for c in state.channels)
    )


def leave_coalition(state: GameState, nation_id: str, coalition_id: str, why: str) -> Accepted:
    """A member leaves (or defects); the others' trust falls; too few members dissolve it."""
    coalition = state.coalition(coalition_id)
    assert coalition is not None
    members = tuple(m for m in coalition.members if m != nation_id)
    events = [Event("coalition_left", nation_id, {"coalition_id": coalition_id, "why": why})]
    for member in members:
        state = adjust_trust(state, member, nation_id, -8)
    lead = coalition.lead
    if lead == nation_id and members:
        lead = max(members, key=lambda m: state.nation(m).capacity if state.nation(m) else 0)  # type: ignore[union-attr]
    # Fewer than two members is no coalition; fewer than half of its peak membership is a
    # coalition that has lost the consensus it was built on.
    dissolved = len(members) < 2 or 2 * len(members) < coalition.peak_members
    coalition = replace(
        coalition,
        members=members,
        lead=lead,
        dissolved_turn=state.turn if dissolved else None,
    )
    state = state.replace_coalition(coalition)
    state = _with_channel_members(state, coalition)
    # Units under this coalition's command go home; the leaver's taskings end.
    gone = (
        {t.unit_id for t in state.transfers if t.coalition_id == coalition_id}
        if dissolved
        else {
            t.unit_id
            for t in state.transfers
            if t.coalition_id == coalition_id and t.nation_id == nation_id
        }
    )
    state = replace(
        state,
        transfers=tuple(t for t in state.transfers if t.unit_id not in gone),
        commitments=tuple(
            c for c in state.commitments if not (c.unit_id in gone and c.tasked_by is not None)
        ),
    )
    if dissolved:
        events.append(Event("coalition_dissolved", None, {"coalition_id": coalition_id}))
    return Accepted(state, tuple(events))


def candidate_actions(state: GameState, nation: Nation) -> list[Action]:
    """Answers to open proposals, and a canonical proposal of each kind to each partner."""
    actions: list[Action] = []
    for agreement in state.agreements:
        if agreement.status != "open" or nation.id not in agreement.parties:
            continue
        actions.append(Sign(agreement.id))
        actions.append(RejectProposal(agreement.id))
        actions.append(WithdrawProposal(agreement.id))
    mine = state.coalitions_of(nation.id)
    others = [n for n in state.nations if n.id != nation.id]
    for other in others:
        pair = (nation.id, other.id)
        actions.append(Propose("intel_sharing", pair))
        if nation.budget >= 10:
            actions.append(Propose("aid", pair, {"from": nation.id, "to": other.id, "amount": 10}))
        for coalition in mine:
            if coalition.lead == nation.id and other.id not in coalition.members:
                actions.append(
                    Propose("coalition_membership", pair, {"coalition_id": coalition.id})
                )
            if other.id == coalition.lead:
                for operation_id in coalition.operations:
                    actions.append(
                        Propose(
                            "force_pledge",
                            pair,
                            {"nation": nation.id, "operation_id": operation_id, "strength": 3},
                        )
                    )
        if not mine and not state.coalitions_of(other.id):
            actions.append(Propose("coalition_membership", pair, {"lead": nation.id}))
    for coalition in mine:
        if coalition.lead == nation.id and len(coalition.members) >= 2:
            actions.append(
                Propose(
                    "command_arrangement",
                    coalition.members,
                    {"coalition_id": coalition.id, "command": "integrated"},
                )
            )
            actions.append(
                Propose(
                    "joint_statement",
                    coalition.members,
                    {"text": f"The members of {coalition.name} stand together."},
                )
            )
    for actor in state.actors:
        if actor.kind == "ngo":
            actions.append(Propose("ngo_coordination", (nation.id,), {"ngo": actor.id}))
    return actions
