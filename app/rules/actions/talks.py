"""Talks: what nations say and agree while orders are given. message and open_channel
(channels), leave_coalition, and the proposal actions — propose, sign, reject, counter
and withdraw_proposal — whose checks and effects are `app/rules/diplomacy.py`'s (each
kind of agreement is its module under `app/rules/agreements/`). Talking does not
withdraw a nation's "ready"."""

from __future__ import annotations

from dataclasses import replace
from typing import get_args

from app.rules import diplomacy
from app.rules.action_types import (
    Counter,
    LeaveCoalition,
    OpenChannel,
    Propose,
    RejectProposal,
    SendMessage,
    Sign,
    WithdrawProposal,
)
from app.rules.actions.common import (
    ActionSpec,
    Data,
    id_list,
    not_a_member,
    required_text,
    terms_of,
)
from app.rules.agreements import AGREEMENTS
from app.rules.events import ChannelOpened, EventKind, MessageSent
from app.rules.outcomes import Accepted, Event, Rejection
from app.rules.reasons import because
from app.rules.state import AgreementKind, Channel, GameState, Nation
from app.rules.text import MAX_NAME_LENGTH, text_fault
from app.rules.wording.rejections import RejectionReason as R

MAX_MESSAGE_LENGTH = 2000
AGREEMENT_KINDS: tuple[str, ...] = get_args(AgreementKind)


# --- message -------------------------------------------------------------------------------


def parse_message(data: Data) -> SendMessage | Rejection:
    channel_id = required_text(data, "channel_id", R.GIVE_CHANNEL)
    if isinstance(channel_id, Rejection):
        return channel_id
    text = required_text(data, "text", R.GIVE_MESSAGE)
    if isinstance(text, Rejection):
        return text
    return SendMessage(channel_id, text)


def check_message(state: GameState, nation: Nation, action: SendMessage) -> Rejection | None:
    channel = state.channel(action.channel_id)
    if channel is None or nation.id not in channel.members:
        return Rejection(
            "unknown_channel",
            because(R.NOT_IN_CHANNEL, nation=nation.name, channel_id=action.channel_id),
        )
    if len(action.text) > MAX_MESSAGE_LENGTH:
        return Rejection("too_long", because(R.MESSAGE_TOO_LONG, limit=MAX_MESSAGE_LENGTH))
    return None


def apply_message(state: GameState, nation: Nation, action: SendMessage) -> Accepted:
    actor = nation.id
    counts = dict(state.message_counts)
    counts[action.channel_id] = counts.get(action.channel_id, 0) + 1
    talked = tuple(dict.fromkeys((*state.talked, action.channel_id)))
    data: MessageSent = {
        "channel_id": action.channel_id,
        "message_id": state.next_id,
        "text": action.text,
        "turn": state.turn,
    }
    state = replace(state, message_counts=counts, talked=talked, next_id=state.next_id + 1)
    return Accepted(state, (Event(EventKind.MESSAGE_SENT, actor, data),))


MESSAGE = ActionSpec(SendMessage, parse_message, apply_message, check=check_message)


# --- open a channel ------------------------------------------------------------------------


def parse_open_channel(data: Data) -> OpenChannel | Rejection:
    members = id_list(data.get("members"))
    if members is None:
        return Rejection("malformed", because(R.MEMBERS_NOT_A_LIST))
    name = data.get("name", "")
    return OpenChannel(members, name.strip() if isinstance(name, str) else "")


def check_open_channel(state: GameState, nation: Nation, action: OpenChannel) -> Rejection | None:
    members = set(action.members) | {nation.id}
    unknown = sorted(m for m in members if state.nation(m) is None)
    if unknown:
        return Rejection("unknown_nation", because(R.NO_SUCH_NATION, nation_id=unknown[0]))
    if len(members) < 2:
        return Rejection("malformed", because(R.CHANNEL_NEEDS_ANOTHER_NATION))
    if any(set(c.members) == members for c in state.channels):
        return Rejection("channel_exists", because(R.CHANNEL_EXISTS))
    fault = text_fault(action.name, max_length=MAX_NAME_LENGTH, one_line=True)
    if fault is not None:
        return Rejection(
            "bad_text",
            because(R.BAD_CHANNEL_NAME, fault=fault.code, fault_params=dict(fault.params)),
        )
    return None


def apply_open_channel(state: GameState, nation: Nation, action: OpenChannel) -> Accepted:
    actor = nation.id
    members = tuple(n.id for n in state.nations if n.id in {*action.members, actor})
    names = [n.name for n in state.nations if n.id in members]
    channel = Channel(
        id=f"ch-{state.next_id}",
        name=action.name or " – ".join(names),
        kind="bilateral" if len(members) == 2 else "liaison",
        members=members,
        leak_chance=state.bilateral_leak_chance,
    )
    state = replace(state, channels=(*state.channels, channel), next_id=state.next_id + 1)
    data: ChannelOpened = {
        "channel_id": channel.id,
        "members": list(members),
        "name": channel.name,
    }
    return Accepted(state, (Event(EventKind.CHANNEL_OPENED, actor, data),))


OPEN_CHANNEL = ActionSpec(
    OpenChannel,
    parse_open_channel,
    apply_open_channel,
    check=check_open_channel,
)


# --- leave a coalition ---------------------------------------------------------------------


def parse_leave_coalition(data: Data) -> LeaveCoalition | Rejection:
    coalition_id = required_text(data, "coalition_id", R.GIVE_COALITION_TO_LEAVE)
    return coalition_id if isinstance(coalition_id, Rejection) else LeaveCoalition(coalition_id)


LEAVE_COALITION = ActionSpec(
    LeaveCoalition,
    parse_leave_coalition,
    lambda state, nation, action: diplomacy.leave_coalition(
        state, nation.id, action.coalition_id, "left"
    ),
    check=lambda state, nation, action: not_a_member(state, nation, action.coalition_id),
    offers=lambda state, nation: [LeaveCoalition(c.id) for c in state.coalitions_of(nation.id)],
)


# --- proposals -----------------------------------------------------------------------------


def parse_propose(data: Data) -> Propose | Rejection:
    agreement = data.get("agreement")
    if agreement not in AGREEMENT_KINDS:
        return Rejection(
            "malformed", because(R.AGREEMENT_KIND_UNKNOWN, kinds=list(AGREEMENT_KINDS))
        )
    parties = id_list(data.get("parties"))
    if parties is None:
        return Rejection("malformed", because(R.PARTIES_NOT_A_LIST))
    terms = terms_of(data.get("terms"))
    if isinstance(terms, Rejection):
        return terms
    return Propose(agreement, parties, terms)


def offer_proposals(state: GameState, nation: Nation) -> list[Propose]:
    """Each kind's canonical proposals (its module's `proposals`), in the registry's order."""
    return [proposal for spec in AGREEMENTS.values() for proposal in spec.proposals(state, nation)]


PROPOSE = ActionSpec(
    Propose,
    parse_propose,
    diplomacy.apply,
    check=diplomacy.check_propose,
    offers=offer_proposals,
)


def parse_counter(data: Data) -> Counter | Rejection:
    agreement_id = required_text(data, "agreement_id", R.GIVE_PROPOSAL_TO_COUNTER)
    if isinstance(agreement_id, Rejection):
        return agreement_id
    terms = terms_of(data.get("terms"))
    if isinstance(terms, Rejection):
        return terms
    return Counter(agreement_id, terms)


# Counters are open-ended (any terms): `legal_actions` offers none.
COUNTER = ActionSpec(Counter, parse_counter, diplomacy.apply, check=diplomacy.check_counter)


def _open_proposals_to(state: GameState, nation: Nation) -> list[str]:
    return [a.id for a in state.agreements if a.status == "open" and nation.id in a.parties]


def parse_sign(data: Data) -> Sign | Rejection:
    agreement_id = required_text(data, "agreement_id", R.GIVE_PROPOSAL_TO_SIGN)
    return agreement_id if isinstance(agreement_id, Rejection) else Sign(agreement_id)


SIGN = ActionSpec(
    Sign,
    parse_sign,
    diplomacy.apply,
    check=diplomacy.check_sign,
    offers=lambda state, nation: [Sign(i) for i in _open_proposals_to(state, nation)],
)


def parse_reject(data: Data) -> RejectProposal | Rejection:
    agreement_id = required_text(data, "agreement_id", R.GIVE_PROPOSAL_TO_REJECT)
    return agreement_id if isinstance(agreement_id, Rejection) else RejectProposal(agreement_id)


REJECT = ActionSpec(
    RejectProposal,
    parse_reject,
    diplomacy.apply,
    check=diplomacy.check_reject,
    offers=lambda state, nation: [RejectProposal(i) for i in _open_proposals_to(state, nation)],
)


def parse_withdraw_proposal(data: Data) -> WithdrawProposal | Rejection:
    agreement_id = required_text(data, "agreement_id", R.GIVE_PROPOSAL_TO_WITHDRAW)
    return agreement_id if isinstance(agreement_id, Rejection) else WithdrawProposal(agreement_id)


WITHDRAW_PROPOSAL = ActionSpec(
    WithdrawProposal,
    parse_withdraw_proposal,
    diplomacy.apply,
    check=diplomacy.check_withdraw_proposal,
    offers=lambda state, nation: [WithdrawProposal(i) for i in _open_proposals_to(state, nation)],
)
