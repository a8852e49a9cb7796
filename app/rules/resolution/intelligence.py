"""Trust with consequences, intelligence and interoperability
(docs/rules/trust-and-intelligence.md).

What trust and a history of cooperation (`Relation.cooperation`) do to an operation's
factors (read by `adjudication`), and the turn's steps that move them: intelligence shared
may leak, and joint successes, honoured pledges, combined exercises and liaison officers
build a history of cooperation (a combined exercise costs its parties budget).
"""

from __future__ import annotations

import random
from itertools import compress, permutations
from operator import attrgetter

from app.rules.ledger import Ledger, Moves, summed
from app.rules.reasons import Reason, because
from app.rules.resolution.common import mean
from app.rules.resolution.tuning import (
    BASING_TRUST_FLOOR,
    COOPERATION_EXERCISE,
    COOPERATION_JOINT_SUCCESS,
    COOPERATION_LIAISON,
    COOPERATION_PLEDGE,
    EXERCISE_COST,
    INTEL_LEAK_CHANCE,
    INTEL_LEAK_SUPPORT,
    INTEL_LEAK_TRUST,
    INTEL_TRUST_FLOOR,
)
from app.rules.state import GameState, Outcome, Pair, nation_replaced, replace_state
from app.rules.wording.changes import ChangeReason


def pair_means(state: GameState, nation_ids: list[str]) -> tuple[float, float]:
    """The mean trust and the mean history of cooperation over every ordered pair of
    `nation_ids`, as `state.trust` and `state.cooperation` give them (a pair never listed
    counts 50 and 0); alone, 50 (neutral) and 0."""
    # Looked up, filtered and summed in C, once for both, not a line of Python per pair:
    # 40 nations at an operation are 1,560 pairs, and 100 nations' turn has dozens of
    # operations. Whole numbers: the sums, so the means, are the same in any order.
    found = list(map(state.relation_table.by_pair.get, permutations(nation_ids, 2)))
    if not found:
        return 50.0, 0.0
    listed = list(filter(None, found))
    trust: int = sum(map(attrgetter("trust"), listed)) + 50 * (len(found) - len(listed))
    cooperation: int = sum(map(attrgetter("cooperation"), listed))
    return trust / len(found), cooperation / len(found)


def _shares(state: GameState, a: str, b: str) -> bool:
    """Whether two parties to intelligence sharing really share: each trusts the other at
    least INTEL_TRUST_FLOOR, or it withholds its intelligence."""
    return min(state.trust(a, b), state.trust(b, a)) >= INTEL_TRUST_FLOOR


def intelligence_pairs(state: GameState) -> tuple[list[Pair], list[Pair]]:
    """The pairs (sorted) under a signed intelligence-sharing agreement: those sharing,
    and those whose distrust withholds it."""
    pairs = sorted(
        {
            (a, b) if a < b else (b, a)
            for agreement in state.signed("intel_sharing")
            for a in agreement.parties
            for b in agreement.parties
            if a != b
        }
    )
    shares = [_shares(state, *p) for p in pairs]
    # Split by the flags, not by looking each pair up in the list of those sharing: with
    # 100 nations' agreements, that was a comparison per two pairs, for each operation.
    return list(compress(pairs, shares)), [
        p for p, shared in zip(pairs, shares, strict=True) if not shared
    ]


def sharing_among(
    state: GameState,
    nation_ids: list[str],
    pairs: tuple[list[Pair], list[Pair]] | None = None,
) -> tuple[list[Pair], int]:
    """The sharing pairs among `nation_ids`, and how many more their distrust withholds
    (`pairs`: the state's `intelligence_pairs`, if known)."""
    among = set(nation_ids)
    sharing, withheld = pairs or intelligence_pairs(state)
    inside = [p for p in sharing if set(p) <= among]
    return inside, sum(1 for p in withheld if set(p) <= among)


def basing_rights(
    state: GameState, region: str, nation_ids: list[str]
) -> tuple[set[str], list[str]]:
    """Who of `nation_ids` has a host's basing and overflight in `region`, and who (sorted)
    holds a basing agreement there from a host that distrusts it (under BASING_TRUST_FLOOR):
    that host lets it use its bases only in name."""
    based: set[str] = set()
    refused: set[str] = set()
    for agreement in state.signed("basing"):
        if agreement.terms["region"] != region:
            continue
        host = str(agreement.terms["host"])
        for party in agreement.parties:
            if party == host or party not in nation_ids:
                continue
            if state.trust(host, party) >= BASING_TRUST_FLOOR:
                based.add(party)
            else:
                refused.add(party)
    return based, sorted(refused - based)


def sharing_pairs(state: GameState) -> frozenset[Pair]:
    """Every ordered pair of parties to a signed intelligence-sharing agreement: the
    pairs whose trust `leak_intelligence` reads (and moves)."""
    return frozenset(
        (a, b)
        for agreement in state.signed("intel_sharing")
        for a in agreement.parties
        for b in agreement.parties
        if a != b
    )


def leak_intelligence(state: GameState, rng: random.Random, ledger: Ledger) -> GameState:
    """Each pair sharing intelligence risks a leak this turn: INTEL_LEAK_CHANCE, halved at
    a history of cooperation of 100. Pairs that share build trust; a leak costs each party
    support (the press reports it: public) and their trust in each other. One roll per
    sharing pair, in sorted order, from the turn's intelligence generator (its own, so
    that sharing never moves another roll of the turn)."""
    sharing, _ = intelligence_pairs(state)
    for a, b in sharing:
        shared = because(ChangeReason.INTELLIGENCE_SHARED)
        ledger.trust_change(a, b, 1, shared)
        ledger.trust_change(b, a, 1, shared)
        history = mean([state.cooperation(a, b), state.cooperation(b, a)])
        chance = INTEL_LEAK_CHANCE * (1 - history / 200)
        roll = rng.random()
        if roll >= chance:
            continue
        leaked = because(
            ChangeReason.INTELLIGENCE_LEAKED,
            nations=[a, b],
            roll=roll,
            chance=chance,
            cooperation=history,
        )
        for party, other in ((a, b), (b, a)):
            ledger.support_change(party, INTEL_LEAK_SUPPORT, leaked)
            ledger.trust_change(party, other, INTEL_LEAK_TRUST, leaked)
    return ledger.settle_trust(state)


def build_cooperation(state: GameState, outcomes: tuple[Outcome, ...], ledger: Ledger) -> GameState:
    """A history of cooperation grows, for each pair, with each joint success, each pledge
    honoured this turn (with the partners it was made to), each combined exercise and
    each liaison in force; a combined exercise costs each party EXERCISE_COST."""
    # In order: the pairs (nation, other) that move by one delta for one reason, and the
    # nations whose every pair they are (None: a single pair). Each joint success is one
    # entry, listed once, rather than an entry per pair: see `_settle_cooperation`.
    moves: Moves = []

    def among(nations: list[str] | tuple[str, ...], delta: int, reason: Reason) -> None:
        distinct = tuple(dict.fromkeys(nations))
        moves.append((permutations(distinct, 2), delta, reason, distinct))

    for outcome in outcomes:
        ids = [c.nation_id for c in outcome.contributions]
        if outcome.result == "success" and len(ids) > 1:
            among(
                ids,
                COOPERATION_JOINT_SUCCESS,
                because(ChangeReason.JOINT_SUCCESS, op=outcome.operation_id),
            )
    for pledge in state.pledges:
        if pledge.status != "honoured" or pledge.turn != state.turn:
            continue
        agreement = state.agreement(pledge.agreement_id)
        for partner in agreement.parties if agreement else ():
            if partner != pledge.nation:
                honoured = because(
                    ChangeReason.PLEDGE_HONOURED,
                    nation=pledge.nation,
                    strength=pledge.strength,
                    op=pledge.operation_id,
                    delivered=pledge.delivered,
                )
                moves.append((((partner, pledge.nation),), COOPERATION_PLEDGE, honoured, None))
                moves.append((((pledge.nation, partner),), COOPERATION_PLEDGE, honoured, None))
    budgets = {n.id: n.budget for n in state.nations}
    for agreement in state.signed("combined_exercise"):
        exercised = because(ChangeReason.COMBINED_EXERCISE, nations=list(agreement.parties))
        among(agreement.parties, COOPERATION_EXERCISE, exercised)
        for party in agreement.parties:
            paid = min(EXERCISE_COST, max(0, budgets.get(party, 0)))
            if paid:
                budgets[party] -= paid
                ledger.add(f"budget:{party}", -paid, exercised, (party,))
    for agreement in state.signed("liaison_officers"):
        liaison = because(ChangeReason.LIAISON_OFFICERS, nations=list(agreement.parties))
        among(agreement.parties, COOPERATION_LIAISON, liaison)
    if budgets != {n.id: n.budget for n in state.nations}:
        state = replace_state(
            state, nations=tuple(nation_replaced(n, budget=budgets[n.id]) for n in state.nations)
        )
    return _settle_cooperation(state, moves, ledger)


def _settle_cooperation(
    state: GameState,
    moves: Moves,
    ledger: Ledger,
) -> GameState:
    """Apply the moves to the relations' history of cooperation, kept within 0-100; each
    listed (the pair's to see) with its reason, and what the bound took off too. The
    trust moves the ledger put off (`Ledger.settle_trust`'s `later`) are put in with them:
    a joint success moves the trust and the cooperation of the same pairs, and each of
    their relations is made once."""
    total = summed(moves)
    for pairs, delta, reason, nations in moves:
        if delta:
            # One move's changes in one go: a joint success of 40 nations is 1,560 pairs.
            ledger.listed("cooperation", pairs, round(delta, 3), reason, nations)
    state, bounded = ledger.settled(state, total, cooperation=True)
    for pair, new, taken in bounded:
        ledger.add(
            f"cooperation:{pair[0]}>{pair[1]}",
            taken,
            because(ChangeReason.COOPERATION_AT_LIMIT, limit=new),
            pair,
        )
    return state
