"""What one nation may know of the game, as a state the rules and bots can play from.

A staff estimate (app/bots/estimate.py) plays the rest of a turn many times from a
nation's point of view. It must not read what that nation may not see: the others' orders
(unless the fog is open), their secret objectives, budgets, caveats and political profile,
the channels and deals it is not party to, private injects meant for others, the script's
injects still to come, control's adjudications and feedback, the red cell's hidden move,
and the game's own seed (which would predict the real dice). `belief_state` keeps what the
nation sees and puts a stated neutral assumption in place of each hidden thing
(`ASSUMPTIONS`), so two games that differ only in what the nation cannot see give it the
same belief, and so the same estimate.

The sight rules are those of the state view (app/rules/views.py, app/rules/viewer.py):
a change to one should change both.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.i18n import N_
from app.rules.injects import audience
from app.rules.records import Outcome, TurnRecord
from app.rules.state import (
    GameState,
    Nation,
    Profile,
    Relation,
    Relations,
)
from app.rules.viewer import Viewer, changes_seen, sees_agreement, sees_channel

NEUTRAL_TRUST = 50
NEUTRAL_ALIGNMENT = 50
NEUTRAL_PROFILE: Profile = "pragmatic"

# What an estimate assumes in place of what the nation cannot see, in the words the
# estimate's page shows (each matches one substitution below); English msgids, marked
# for extraction and translated where the page shows them.
ASSUMPTIONS: tuple[str, ...] = (
    N_(
        "Other nations have the forces the scenario gives them (an order of battle is public "
        "knowledge; how they use it is not)."
    ),
    N_(
        "Other nations choose their orders afresh (their real orders are not read, unless the "
        "fog is open)."
    ),
    N_("Other nations can afford all their forces (their budgets are private)."),
    N_(
        "Other nations have no caveats and a pragmatic government (their caveats and "
        "political profiles are private)."
    ),
    N_("Other nations pursue only their public objectives (their secret ones are not read)."),
    N_(
        "Nations you have no dealings with trust each other neutrally (50) and have neutral "
        "interests (50)."
    ),
    N_("Only the deals, pledges and channels you are party to exist, with public agreements."),
    N_("No scripted event beyond those already fired (the script is control's)."),
    N_("The adversary answers by its reaction table (a red cell's move is not read)."),
)


def _other_nation(nation: Nation) -> Nation:
    """Another nation as the viewer may know it: its public face, with neutral
    assumptions for its private numbers."""
    return replace(
        nation,
        budget=sum(u.cost for u in nation.units),
        income=0,
        caveats=(),
        secret_objective="",
        objectives=tuple(o for o in nation.objectives if not o.secret),
        profile=NEUTRAL_PROFILE,
        bot=None,
    )


def _relations(state: GameState, nation_id: str) -> Relations:
    """Its own regard for others and theirs for it (both shown to it); between two
    others, neutral."""
    relations = []
    for r in state.relations:
        if nation_id in (r.nation, r.other):
            relations.append(r)
        else:
            relations.append(Relation(r.nation, r.other, NEUTRAL_TRUST, NEUTRAL_ALIGNMENT, 0))
    return Relations(relations)


def _outcome(state: GameState, outcome: Outcome, viewer: Viewer) -> Outcome:
    """Who contributed strength is public after adjudication (not under strict fog); which
    units and what they cost stay with their nation, as in the view."""
    contributions = []
    for c in outcome.contributions:
        if viewer.sees_privately(c.nation_id) or state.fog == "open":
            contributions.append(c)
        else:
            strength = 0 if state.fog == "strict" else c.strength
            contributions.append(replace(c, unit_ids=(), cost=0, shared=0, strength=strength))
    return replace(outcome, contributions=tuple(contributions))


def _record(
    state: GameState, record: TurnRecord, viewer: Viewer, seen_events: set[str]
) -> TurnRecord:
    burden = {k: v for k, v in record.burden.items() if viewer.sees_privately(k)}
    if state.fog == "open":
        burden = dict(record.burden)
    return replace(
        record,
        budget={k: v for k, v in record.budget.items() if viewer.sees_privately(k)},
        burden=burden,
        mean_trust={},
        changes=tuple(changes_seen(record, viewer)),
        pairs=(),
        fired_events=tuple(e for e in record.fired_events if e in seen_events),
    )


_NUMBERED = re.compile(r"(\d+)$")


def _next_id(state: GameState) -> int:
    """A fresh id counter from what the nation sees: the real one counts the others'
    private messages and proposals."""
    numbers = [0]
    for identifier in (
        *(a.id for a in state.agreements),
        *(c.id for c in state.coalitions),
        *(c.id for c in state.channels),
    ):
        found = _NUMBERED.search(identifier)
        if found:
            numbers.append(int(found.group(1)))
    numbers.extend(j.first_message for c in state.channels for j in c.joiners)
    return max(numbers) + 1


def belief_state(state: GameState, nation_id: str, seed: int) -> GameState:
    """`state` as `nation_id` may know it, with `seed` for the dice (never the game's)."""
    viewer = Viewer.of_nation(nation_id)
    sees_orders = state.fog == "open"
    nations = tuple(n if n.id == nation_id else _other_nation(n) for n in state.nations)
    agreements = tuple(a for a in state.agreements if sees_agreement(viewer, a))
    agreement_ids = {a.id for a in agreements}
    channels = tuple(c for c in state.channels if sees_channel(viewer, c))
    channel_ids = {c.id for c in channels}
    message_counts = {
        c.id: c.messages_for(nation_id, state.message_counts.get(c.id, 0))
        for c in channels
        if c.id in state.message_counts
    }
    seen_events = {
        e.id
        for e in state.events
        if e.id in state.fired and (e.public or viewer.among(audience(e)))
    }
    # A control inject fired live has no scripted event; its record line says who saw it.
    led_coalitions = {c.id for c in state.coalitions if c.lead == nation_id}
    belief = replace(
        state,
        seed=seed,
        nations=nations,
        commitments=tuple(c for c in state.commitments if sees_orders or c.nation_id == nation_id),
        ready=frozenset(),
        outcomes=tuple(_outcome(state, o, viewer) for o in state.outcomes),
        relations=_relations(state, nation_id),
        agreements=agreements,
        pledges=tuple(p for p in state.pledges if p.agreement_id in agreement_ids),
        channels=channels,
        message_counts=message_counts,
        talked=tuple(c for c in state.talked if c in channel_ids),
        events=tuple(e for e in state.events if e.id in seen_events),
        fired=tuple(e for e in state.fired if e in seen_events),
        transfers=tuple(
            t
            for t in state.transfers
            if sees_orders or t.nation_id == nation_id or t.coalition_id in led_coalitions
        ),
        red_cards=tuple(rc for rc in state.red_cards if rc[0] == nation_id),
        records=tuple(_record(state, r, viewer, seen_events) for r in state.records),
        overrides=(),
        feedback={k: v for k, v in state.feedback.items() if k == nation_id},
        pending_changes=tuple(
            c for c in state.pending_changes if not c.visible_to or viewer.among(c.visible_to)
        ),
        # Whoever plays the adversary, the estimate's adversary is its reaction table.
        red_cell=None,
        # Control's hold and overrides are its own: the estimate takes the dice's result.
        hold=False,
        deadline=None,
        paused_remaining=None,
    )
    return replace(belief, next_id=_next_id(belief))
