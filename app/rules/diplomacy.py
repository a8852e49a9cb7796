"""Agreements: structured proposals that nations accept, reject or counter, and sign.

A proposal names its parties and terms; it is signed when every party has signed, and
only then does it take effect. What each kind checks and does at signature is its own
module under `app/rules/agreements/`, looked up by kind in that registry (`agreement`):
an unknown kind is an error. Each proposal action has its `check_*` here, which its
registry entry in `app/rules/actions/talks.py` names; `apply` applies any of them.
"""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter

from app.rules.action_types import (
    Action,
    Counter,
    Propose,
    RejectProposal,
    Sign,
    WithdrawProposal,
)
from app.rules.agreements import agreement as agreement_spec
from app.rules.agreements.common import (
    COMMAND_STRUCTURES,
    MIN_PARTIES,
    adjust_trust,
    adjust_trust_many,
    changes_between,
    with_changes,
    with_channel_members,
)
from app.rules.events import AgreementTold, EventKind
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import Reason, because
from app.rules.state import Agreement, GameState, Nation, replace_state
from app.rules.wording.changes import ChangeReason, Leaving
from app.rules.wording.rejections import RejectionReason as R

__all__ = [
    "COMMAND_STRUCTURES",
    "adjust_trust",
    "adjust_trust_many",
    "apply",
    "check_counter",
    "check_propose",
    "check_reject",
    "check_sign",
    "check_withdraw_proposal",
    "enact",
    "leave_coalition",
    "normalise_terms",
]

MAX_OPEN_PROPOSALS = 12  # per proposer: bounds the state a careless bot can grow


def normalise_terms(
    state: GameState, kind: str, parties: tuple[str, ...], terms: dict[str, str | int]
) -> dict[str, str | int] | Rejection:
    """The terms of a `kind` proposal, checked and with defaults filled in (its module's
    `normalise`; an unknown kind raises `UnknownAgreement`)."""
    return agreement_spec(kind).normalise(state, parties, terms)


def _check_parties(state: GameState, nation: Nation, action: Propose) -> Rejection | None:
    if nation.id not in action.parties:
        return Rejection("bad_parties", because(R.PROPOSER_NOT_A_PARTY))
    if len(set(action.parties)) != len(action.parties):
        return Rejection("bad_parties", because(R.PARTY_LISTED_TWICE))
    unknown = [p for p in action.parties if state.nation(p) is None]
    if unknown:
        return Rejection("unknown_nation", because(R.NO_SUCH_NATION, nation_id=unknown[0]))
    spec = agreement_spec(action.agreement)
    # A deal with an outside party (an NGO) counts it; its `normalise` checks it is named.
    if len(action.parties) < MIN_PARTIES and spec.outside_party is None:
        return Rejection("bad_parties", because(R.TOO_FEW_PARTIES, label=spec.label))
    return None


def check_propose(state: GameState, nation: Nation, action: Propose) -> Rejection | None:
    problem = _check_parties(state, nation, action)
    if problem is not None:
        return problem
    open_count = sum(1 for a in state.agreements if a.proposer == nation.id and a.status == "open")
    if open_count >= MAX_OPEN_PROPOSALS:
        return Rejection(
            "too_many_proposals",
            because(R.TOO_MANY_PROPOSALS, nation=nation.name, count=open_count),
        )
    terms = normalise_terms(state, action.agreement, action.parties, action.terms)
    return terms if isinstance(terms, Rejection) else None


def _open_proposal(state: GameState, nation: Nation, agreement_id: str) -> Agreement | Rejection:
    """The open proposal `agreement_id` made to `nation`, which answers it."""
    agreement = state.agreement(agreement_id)
    if agreement is None or nation.id not in agreement.parties:
        return Rejection(
            "unknown_agreement", because(R.NO_SUCH_PROPOSAL, agreement_id=agreement_id)
        )
    if agreement.status != "open":
        return Rejection("not_open", because(R.PROPOSAL_NOT_OPEN, status=agreement.status))
    return agreement


def _answer_to_another(
    state: GameState, nation: Nation, agreement_id: str
) -> Agreement | Rejection:
    """An open proposal to `nation` that another party made (none answers its own)."""
    agreement = _open_proposal(state, nation, agreement_id)
    if isinstance(agreement, Agreement) and agreement.proposer == nation.id:
        return Rejection("own_proposal", because(R.OWN_PROPOSAL))
    return agreement


def check_withdraw_proposal(
    state: GameState, nation: Nation, action: WithdrawProposal
) -> Rejection | None:
    agreement = _open_proposal(state, nation, action.agreement_id)
    if isinstance(agreement, Rejection):
        return agreement
    if agreement.proposer != nation.id:
        return Rejection("not_proposer", because(R.NOT_THE_PROPOSER))
    return None


def check_sign(state: GameState, nation: Nation, action: Sign) -> Rejection | None:
    agreement = _open_proposal(state, nation, action.agreement_id)
    if isinstance(agreement, Rejection):
        return agreement
    if nation.id in agreement.signatures:
        return Rejection("already_signed", because(R.ALREADY_SIGNED, nation=nation.name))
    return _check_enactable(state, agreement, nation.id)


def check_reject(state: GameState, nation: Nation, action: RejectProposal) -> Rejection | None:
    agreement = _answer_to_another(state, nation, action.agreement_id)
    return agreement if isinstance(agreement, Rejection) else None


def check_counter(state: GameState, nation: Nation, action: Counter) -> Rejection | None:
    agreement = _answer_to_another(state, nation, action.agreement_id)
    if isinstance(agreement, Rejection):
        return agreement
    terms = normalise_terms(state, agreement.kind, agreement.parties, action.terms)
    return terms if isinstance(terms, Rejection) else None


def _check_enactable(state: GameState, agreement: Agreement, signer: str) -> Rejection | None:
    """What may have changed since the proposal: the deal must still be possible."""
    terms = normalise_terms(state, agreement.kind, agreement.parties, agreement.terms)
    if isinstance(terms, Rejection):
        why = because(
            R.NO_LONGER_POSSIBLE, fault=terms.reason.code, fault_params=terms.reason.params
        )
        return Rejection("no_longer_possible", why)
    return agreement_spec(agreement.kind).check_signature(state, terms, signer)


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
        event = Event(EventKind(f"proposal_{status}"), nation.id, _describe(agreement))
        return Accepted(state, (event,))
    signed = replace(agreement, signatures=(*agreement.signatures, nation.id))
    state = _replace_agreement(state, signed)
    events = [Event(EventKind.PROPOSAL_SIGNED, nation.id, _describe(signed))]
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
    state = replace_state(
        state, agreements=(*state.agreements, agreement), next_id=state.next_id + 1
    )
    events = [
        Event(
            EventKind.PROPOSAL_COUNTERED if replaces else EventKind.PROPOSAL_MADE,
            proposer,
            _describe(agreement),
        )
    ]
    if set(agreement.signatures) == set(agreement.parties):
        state, enacted = enact(state, agreement)
        events += enacted
    return Accepted(state, tuple(events))


def _describe(agreement: Agreement) -> AgreementTold:
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
    agreements = state.agreements
    ids = list(map(_ID, agreements))  # in C: bots sign and reject thousands of times a game
    if ids.count(agreement.id) == 1:  # always, as ids never repeat: spliced in place
        position = ids.index(agreement.id)
        spliced = (*agreements[:position], agreement, *agreements[position + 1 :])
        return replace_state(state, agreements=spliced)
    return replace_state(
        state,
        agreements=tuple(agreement if a.id == agreement.id else a for a in agreements),
    )


_ID = attrgetter("id")


def enact(state: GameState, agreement: Agreement) -> tuple[GameState, list[Event]]:
    """A fully signed agreement takes effect: its module's `enact`."""
    state = _set_status(state, agreement, "signed")
    events = [Event(EventKind.AGREEMENT_SIGNED, None, _describe(agreement))]
    spec = agreement_spec(agreement.kind)
    before = state
    state, enacted = spec.enact(state, agreement)
    # What signature moved (trust, budgets, a new coalition's cohesion), for the record.
    why = because(
        ChangeReason.AGREEMENT_SIGNED,
        agreement=agreement.kind,
        parties=list(agreement.parties),
        terms=dict(agreement.terms),
    )
    seen_by = () if spec.public else agreement.parties
    state = with_changes(state, changes_between(before, state, why, seen_by))
    return state, events + enacted


# `leaving_costs` by what it reads of the state (`_leaving_reads`), one entry per nation
# and coalition: a nation's page words what leaving would do after each of its orders,
# which leave those as they were. The entries hold small parts of their states (not the
# relations: a 100-nation game's 9,900), so the few kept cost little memory.
_LEAVING: dict[tuple[str, str], tuple[tuple[object, ...], tuple[Reason, ...]]] = {}
_LEAVING_LIMIT = 256


def _leaving_reads(state: GameState, nation_id: str, coalition_id: str) -> tuple[object, ...]:
    """What of `state` `leave_coalition` reads for what `leaving_costs` says, the parts by
    identity (compared with `is`): the coalitions (members, lead, peak), the transfers that
    end and the channels that close; and by value the trust each member has in the
    nation (which falls) and the members' capacity (which picks a new lead). The turn, the
    message counts and the commitments change only what it does not report."""
    coalition = state.coalition(coalition_id)
    members = coalition.members if coalition is not None else ()
    trust = tuple(state.trust(member, nation_id) for member in members)
    capacity = tuple(n.capacity if (n := state.nation(m)) else 0 for m in members)
    return (state.coalitions, state.transfers, state.channels, trust, capacity)


def _same_reads(kept: tuple[object, ...], reads: tuple[object, ...]) -> bool:
    return all(a is b for a, b in zip(kept[:3], reads[:3], strict=True)) and kept[3:] == reads[3:]


def leaving_costs(state: GameState, nation_id: str, coalition_id: str) -> tuple[Reason, ...]:
    """What leaving `coalition_id` would do to `nation_id`, read off the very computation
    leaving makes (`leave_coalition`), so the warning never differs from the result. Kept
    while what it reads of the state is the same (`_leaving_reads`): the states of a
    turn's orders share it."""
    reads = _leaving_reads(state, nation_id, coalition_id)
    key = (nation_id, coalition_id)
    kept = _LEAVING.get(key)
    if kept is not None and _same_reads(kept[0], reads):
        return kept[1]
    said = _leaving_costs(state, nation_id, coalition_id)
    if len(_LEAVING) >= _LEAVING_LIMIT:
        _LEAVING.clear()
    _LEAVING[key] = (reads, said)
    return said


def _leaving_costs(state: GameState, nation_id: str, coalition_id: str) -> tuple[Reason, ...]:
    coalition = state.coalition(coalition_id)
    if coalition is None or nation_id not in coalition.members:
        return ()
    after = leave_coalition(state, nation_id, coalition_id, "left").state
    said: list[Reason] = []
    drops: dict[int, list[str]] = {}
    for member in coalition.members:
        if member != nation_id:
            drop = after.trust(member, nation_id) - state.trust(member, nation_id)
            if drop:
                drops.setdefault(drop, []).append(member)
    for drop, members in sorted(drops.items()):
        said.append(because(Leaving.TRUST, members=members, drop=drop))
    remaining = after.coalition(coalition_id)
    if remaining is not None and not remaining.active:
        said.append(because(Leaving.DISSOLVES, coalition=coalition_id))
    elif remaining is not None and remaining.lead != coalition.lead:
        said.append(because(Leaving.NEW_LEAD, lead=remaining.lead))
    home = {t.unit_id for t in state.transfers} - {t.unit_id for t in after.transfers}
    if home:
        said.append(because(Leaving.UNITS_HOME, units=len(home)))
    mine_after = {c.id for c in after.channels if nation_id in c.members}
    if any(nation_id in c.members and c.id not in mine_after for c in state.channels):
        said.append(because(Leaving.CHANNEL))
    return tuple(said)


def leave_coalition(state: GameState, nation_id: str, coalition_id: str, why: str) -> Accepted:
    """A member leaves (or defects); the others' trust falls; too few members dissolve it."""
    coalition = state.coalition(coalition_id)
    assert coalition is not None
    members = tuple(m for m in coalition.members if m != nation_id)
    events = [
        Event(EventKind.COALITION_LEFT, nation_id, {"coalition_id": coalition_id, "why": why})
    ]
    before = state
    # In one pass, as one `adjust_trust` per member in order would (the same sign each
    # time, so the bounds take the same): each moved copies 9,900 relations at 100 nations.
    lost: dict[tuple[str, str], int] = {}
    for member in members:
        lost[(member, nation_id)] = lost.get((member, nation_id), 0) - 8
    state = adjust_trust_many(state, lost)
    left = because(ChangeReason.COALITION_LEFT, nation=nation_id, coalition=coalition_id, why=why)
    state = with_changes(state, changes_between(before, state, left))
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
    state = with_channel_members(state, coalition)
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
    state = replace_state(
        state,
        transfers=tuple(t for t in state.transfers if t.unit_id not in gone),
        commitments=tuple(
            c for c in state.commitments if not (c.unit_id in gone and c.tasked_by is not None)
        ),
    )
    if dissolved:
        events.append(Event(EventKind.COALITION_DISSOLVED, None, {"coalition_id": coalition_id}))
    return Accepted(state, tuple(events))
