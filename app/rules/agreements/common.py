"""What every kind of agreement shares: the entry the registry holds for a kind, the
helpers that check terms, the names its terms are read with, and trust and channels,
which several kinds move at signature."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import chain, compress, repeat
from operator import is_, not_
from typing import Any

from app.rules.action_types import Propose
from app.rules.outcomes import Event, Rejection
from app.rules.reasons import Reason, because
from app.rules.resolution.tuning import COALITION_CHANNEL_LEAK_CHANCE
from app.rules.state import (
    Agreement,
    Change,
    Channel,
    Coalition,
    GameState,
    Joiner,
    Nation,
    Relation,
    replace_state,
)
from app.rules.wording.base import join_and
from app.rules.wording.rejections import RejectionReason

Terms = dict[str, str | int]
COMMAND_STRUCTURES = ("integrated", "lead_nation", "parallel")
COMMAND_LABELS = {
    "integrated": "integrated",
    "lead_nation": "lead-nation",
    "parallel": "parallel",
}


class UnknownAgreement(KeyError):
    """A kind of agreement the registry does not hold: an error, never a default."""


@dataclass(frozen=True)
class Names:
    """Ids to names: from a viewer's view of the game (`of`) or from the state (`of_state`)."""

    nations: dict[str, str]
    operations: dict[str, str]
    regions: dict[str, str]
    coalitions: dict[str, str]
    actors: dict[str, str]

    @classmethod
    def of(cls, game: Mapping[str, Any]) -> Names:
        return cls(
            {n["id"]: n["name"] for n in game["nations"]},
            {o["id"]: o["name"] for o in game["operations"]},
            {r["id"]: r["name"] for r in game["regions"]},
            {c["id"]: c["name"] for c in game["coalitions"]},
            {a["id"]: a["name"] for a in game["actors"]},
        )

    @classmethod
    def of_state(cls, state: GameState) -> Names:
        return cls(
            {n.id: n.name for n in state.nations},
            {o.id: o.name for o in state.operations},
            {r.id: r.name for r in state.regions},
            {c.id: c.name for c in state.coalitions},
            {a.id: a.name for a in state.actors},
        )

    def nation(self, nation_id: object) -> str:
        return self.nations.get(str(nation_id), str(nation_id))

    def list_of_nations(self, ids: Iterable[object]) -> str:
        return join_words([self.nation(i) for i in ids])

    def operation(self, operation_id: object) -> str:
        return self.operations.get(str(operation_id), str(operation_id))

    def list_of_operations(self, ids: object) -> str:
        return join_words([self.operation(i) for i in str(ids).split(",") if i])

    def region(self, region_id: object) -> str:
        return self.regions.get(str(region_id), str(region_id))

    def coalition(self, coalition_id: object) -> str:
        return self.coalitions.get(str(coalition_id), str(coalition_id))

    def actor(self, actor_id: object) -> str:
        return self.actors.get(str(actor_id), str(actor_id))


def join_words(words: list[str]) -> str:
    """A list in the reader's language: "A, B and C" ("A, B et C")."""
    return join_and(words)


def _no_signature_check(state: GameState, terms: Terms, signer: str) -> Rejection | None:
    return None


def _no_effect(state: GameState, agreement: Agreement) -> tuple[GameState, list[Event]]:
    return state, []


def _in_force_once_signed(state: GameState, agreement: Agreement) -> bool:
    return agreement.status == "signed"


@dataclass(frozen=True)
class AgreementSpec:
    """Everything the game knows of one kind of agreement.

    - `normalise(state, parties, terms)`: the terms checked, with defaults filled in, or
      the kind's `Rejection` (`bad_terms`).
    - `enact(state, agreement)`: what signature does (the agreement is already marked
      signed and `agreement_signed` told); the new state and the kind's own events.
    - `proposals(state, nation)`: its canonical proposals, for `legal_actions`.
    - `describe(terms, names)`: its terms in words (the talks panel and the review).
    - `check_signature(state, terms, signer)`: what a signer must still afford.
    - `in_force(state, agreement)`: whether a signed agreement still applies (a pledge
      whose turn is over, or command terms a later arrangement replaced, do not).

    An agreement has two parties at least: nations, and for a kind with an
    `outside_party`, the actor its terms name under that key (the NGO of NGO
    coordination, whose consent `normalise` checks), so one nation may sign with it.
    """

    kind: str
    label: str
    help: str
    public: bool
    normalise: Callable[[GameState, tuple[str, ...], Terms], Terms | Rejection]
    proposals: Callable[[GameState, Nation], list[Propose]]
    describe: Callable[[Mapping[str, Any], Names], str]
    enact: Callable[[GameState, Agreement], tuple[GameState, list[Event]]] = _no_effect
    outside_party: str | None = None
    check_signature: Callable[[GameState, Terms, str], Rejection | None] = _no_signature_check
    in_force: Callable[[GameState, Agreement], bool] = _in_force_once_signed


MIN_PARTIES = 2


def all_parties(spec: AgreementSpec, parties: Sequence[str], terms: Mapping[str, Any]) -> list[str]:
    """Every party to a deal: its nations, and the actor its terms name as the outside
    party (if the kind has one and the terms name it)."""
    outside = terms.get(spec.outside_party) if spec.outside_party else None
    return [*parties, str(outside)] if outside else list(parties)


def reject(code: RejectionReason, **params: Any) -> Rejection:
    """Terms that cannot be: `bad_terms`, and why."""
    return Rejection("bad_terms", because(code, **params))


def int_term(terms: Mapping[str, str | int], key: str, low: int, high: int) -> int | None:
    value = terms.get(key)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, int) and low <= value <= high:
        return value
    return None


def party_term(
    terms: Mapping[str, str | int], key: str, parties: tuple[str, ...]
) -> str | Rejection:
    value = terms.get(key)
    if not isinstance(value, str) or value not in parties:
        return reject(RejectionReason.TERM_NOT_A_PARTY, key=key)
    return value


def operations_term(state: GameState, value: str | int) -> str | Rejection:
    ids = [part.strip() for part in str(value).split(",") if part.strip()]
    unknown = [i for i in ids if state.operation(i) is None]
    if unknown:
        return reject(RejectionReason.NO_SUCH_OPERATION, operation_id=unknown[0])
    return ",".join(dict.fromkeys(ids))


def name(state: GameState, nation_id: str) -> str:
    nation = state.nation(nation_id)
    return nation.name if nation else nation_id


def adjust_trust(state: GameState, nation: str, other: str, delta: int) -> GameState:
    """Move `nation`'s trust in `other` by `delta`, kept within 0-100."""
    return adjust_trust_many(state, {(nation, other): delta})


def adjust_trust_many(state: GameState, deltas: dict[tuple[str, str], int]) -> GameState:
    """Apply many trust changes in one pass (a resolution makes hundreds)."""
    deltas = {pair: d for pair, d in deltas.items() if d and pair[0] != pair[1]}
    if not deltas:
        return state
    table = state.relation_table
    if table.positions is not None:
        # Only the pairs that moved are looked at: the rest of the relations (all pairs
        # of nations, 9,900 with 100 nations) and their lookups are carried over as they are.
        by_pair = table.by_pair
        trust = {}
        for pair, delta in deltas.items():
            relation = by_pair.get(pair)
            trust[pair] = max(0, min(100, (relation.trust if relation else 50) + delta))
        return replace_state(state, relations=table.with_trust(trust))
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
    return replace_state(state, relations=tuple(relations))


def with_changes(state: GameState, changes: Iterable[Change]) -> GameState:
    """Changes made between resolutions, kept on the state for the turn's record."""
    kept = tuple(changes)
    return replace_state(state, pending_changes=(*state.pending_changes, *kept)) if kept else state


def _moved_relations(before: GameState, after: GameState) -> Iterable[Relation]:
    """The relations of `after`, in order, whose trust may differ from `before`'s: all of
    them, or, when `before` lists each pair once, those that are not the very relation
    `before` has at that place (the same object is the same pair at the same trust). A
    move of a few pairs among 9,900 (100 nations) is found in C, not read pair by pair."""
    old, new = before.relation_table, after.relation_table
    if old.positions is None:  # a pair listed twice: its later relation counts
        return new
    same = map(is_, chain(old, repeat(None, max(0, len(new) - len(old)))), new)
    return compress(new, map(not_, same))


def changes_between(
    before: GameState, after: GameState, reason: Reason, seen_by: tuple[str, ...] = ()
) -> list[Change]:
    """Every tracked number `after` moved from `before` (trust, budget, support, cohesion,
    escalation), each with `reason`: measured, so the record cannot differ from what was
    done. A nation's trust in another is theirs to see, a budget its nation's; the rest is
    public, or seen only by `seen_by` when that is given (a private deal)."""
    changes: list[Change] = []

    def keep(subject: str, delta: float, visible_to: tuple[str, ...]) -> None:
        if delta:
            changes.append(Change(subject, delta, reason, visible_to))

    for relation in _moved_relations(before, after):
        pair = (relation.nation, relation.other)
        held = before.relation_table.by_pair.get(pair)
        keep(f"trust:{pair[0]}>{pair[1]}", relation.trust - (held.trust if held else 50), pair)
    old_nations = {n.id: n for n in before.nations}
    for nation in after.nations:
        old = old_nations.get(nation.id)
        if old is not None:
            keep(f"budget:{nation.id}", nation.budget - old.budget, (nation.id,))
            keep(f"support:{nation.id}", nation.domestic_support - old.domestic_support, seen_by)
    old_cohesion = {c.id: c.cohesion for c in before.coalitions}
    for coalition in after.coalitions:  # a coalition founded starts from nothing
        keep(
            f"cohesion:{coalition.id}",
            coalition.cohesion - old_cohesion.get(coalition.id, 0),
            seen_by,
        )
    keep("escalation", after.escalation.level - before.escalation.level, seen_by)
    return changes


def with_channel_members(state: GameState, coalition: Coalition) -> GameState:
    channel_id = f"coalition-{coalition.id}"
    existing = state.channel(channel_id)
    if existing is None:
        # Coordinating there eases command, at the risk of a leak (resolution/intelligence.py).
        channel = Channel(
            channel_id,
            coalition.name,
            "coalition",
            coalition.members,
            COALITION_CHANNEL_LEAK_CHANCE,
        )
        return replace_state(state, channels=(*state.channels, channel))
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
    return replace_state(
        state, channels=tuple(channel if c.id == channel_id else c for c in state.channels)
    )


def partners(state: GameState, nation: Nation) -> list[Nation]:
    return [n for n in state.nations if n.id != nation.id]
