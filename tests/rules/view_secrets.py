"""What each viewer may not see, built from the full state, and a walk of a view for it.

Shared by the rules' property test (`test_view_secrets.py`) and the web test of the JSON
view: both ask of every field of a view whether it carries a fact kept from its viewer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from app import rules
from app.rules import views as rules_views
from app.rules.injects import audience
from app.rules.state import GameState

Path = tuple[str | int, ...]


def leaves(data: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    """Every key and every scalar of a JSON document, with where it is."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, "<key>"), key
            yield from leaves(value, (*path, key))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            yield from leaves(value, (*path, index))
    else:
        yield path, data


@dataclass
class Secrets:
    """Facts kept from one viewer: ids (equal to a whole string of the view) and texts
    (found anywhere inside one), each with what it is, for the failure message."""

    ids: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    def found_in(self, document: Any) -> list[str]:
        found = []
        for path, value in leaves(document):
            if not isinstance(value, str):
                continue
            where = "/".join(str(p) for p in path)
            if value in self.ids:
                found.append(f"{where}: {self.ids[value]} {value!r}")
            found.extend(
                f"{where}: {what} {text[:40]!r}"
                for text, what in self.texts.items()
                if text in value
            )
        return found


def public_corpus(state: GameState) -> str:
    """Text every viewer reads: a secret that is also here cannot be searched for."""
    return json.dumps(
        [
            [(n.id, n.name, n.public_objective, n.leader) for n in state.nations],
            [(o.id, o.name, o.description, o.region) for o in state.operations],
            [(r.id, r.name) for r in state.regions],
            [(a.id, a.name) for a in state.actors],
            [(c.id, c.name) for c in state.coalitions],
            [(e.name, e.text) for e in state.events if e.public],
            [(o.id, o.text) for o in state.collective_objectives],
        ]
    )


def may_read_message(state: GameState, viewer: rules.Viewer, data: dict[str, Any]) -> bool:
    channel = state.channel(str(data["channel_id"]))
    if channel is None:
        return viewer.role == "control"
    if viewer.role == "control" or channel.kind == "public":
        return True
    if viewer.nation_id not in channel.members:
        return False
    return int(data["message_id"]) >= channel.first_message_for(viewer.nation_id)


def secrets_for(
    state: GameState,
    viewer: rules.Viewer,
    log: Sequence[rules.Event] = (),
    commanded: frozenset[str] = frozenset(),
) -> Secrets:
    """What `viewer` may not learn of `state` (under `state.fog`) and of the events `log`.
    `commanded`: other nations' units the viewer has had under a coalition command it
    led (it saw them as its own then)."""
    secrets = Secrets()
    if viewer.role == "control":
        return secrets
    me = viewer.nation_id
    for nation in state.nations:
        if nation.id == me:
            continue
        secrets.texts[nation.secret_objective] = f"{nation.id}'s secret objective"
        if nation.successor is not None and nation.successor.brief:
            secrets.texts[nation.successor.brief] = f"{nation.id}'s successor's brief"
        for objective in nation.objectives:
            if objective.secret:
                secrets.ids[objective.id] = f"{nation.id}'s secret objective id"
                secrets.texts[objective.text] = f"{nation.id}'s secret objective"
        if state.fog != "open":
            for unit in nation.units:
                if unit.id not in commanded:
                    secrets.ids[unit.id] = f"{nation.id}'s unit"
                    secrets.texts[unit.name] = f"{nation.id}'s unit"
    for scripted in state.events:
        if not (scripted.public or viewer.among(audience(scripted))):
            secrets.ids[scripted.id] = "a private inject"
            secrets.texts[scripted.name] = "a private inject's name"
            secrets.texts[scripted.text] = "a private inject's text"
            for effect in scripted.effects:
                if effect.kind == "leadership_change" and effect.text:
                    secrets.texts[effect.text] = "a private brief"
    for channel in state.channels:
        if channel.kind != "public" and not viewer.among(channel.members):
            secrets.ids[channel.id] = "a channel it is not in"
            if channel.kind != "coalition":  # a coalition's channel bears its public name
                secrets.texts[channel.name] = "a channel it is not in"
    for agreement in state.agreements:
        if not viewer.among(agreement.parties) and not (
            agreement.status == "signed" and agreement.kind in rules_views.PUBLIC_AGREEMENTS
        ):
            secrets.ids[agreement.id] = f"a {agreement.kind} between others"
    cell = state.red_cell
    if cell is not None and cell.text and viewer.role != "red_cell":
        secrets.texts[cell.text] = "the red cell's words before the turn resolves"
    for nation_id, text in state.feedback.items():
        if nation_id != me:
            secrets.texts[text] = f"control's feedback to {nation_id}"
    for event in log:
        data = event.data
        if event.kind == "message_sent" and not may_read_message(state, viewer, data):
            secrets.texts[str(data["text"])] = f"a message in {data['channel_id']}"
        if event.kind == "control_feedback" and data["nation_id"] != me:
            secrets.texts[str(data["text"])] = f"control's feedback to {data['nation_id']}"
    corpus = public_corpus(state)
    secrets.texts = {t: w for t, w in secrets.texts.items() if t and t not in corpus}
    secrets.ids = {i: w for i, w in secrets.ids.items() if i and i not in corpus}
    return secrets


def gross_costs(state: GameState, turn: int) -> dict[str, int]:
    """What each nation's forces cost in `turn`, before any cost sharing."""
    costs: dict[str, int] = {}
    for outcome in state.outcomes_of_turn(turn):
        for contribution in outcome.contributions:
            costs[contribution.nation_id] = costs.get(contribution.nation_id, 0) + contribution.cost
    return {k: v for k, v in costs.items() if v}


def readable_messages(
    state: GameState, viewer: rules.Viewer, log: Sequence[rules.Event]
) -> dict[str, int]:
    counts: dict[str, int] = {}
    for event in log:
        if event.kind == "message_sent" and may_read_message(state, viewer, event.data):
            channel_id = str(event.data["channel_id"])
            counts[channel_id] = counts.get(channel_id, 0) + 1
    return counts


def structural_leaks(
    state: GameState, viewer: rules.Viewer, seen: dict[str, Any], log: Sequence[rules.Event] | None
) -> list[str]:
    """Numbers and shapes kept from the viewer, which no text search can find: others'
    budgets, costs, trust and orders under fog. `log`: every event so far, to count the
    messages it may read (None: do not count)."""
    if viewer.role == "control":
        return []
    me = viewer.nation_id
    found: list[str] = []
    if "private" in seen or "fired_events" in seen:
        found.append("control's part of the view")
    if seen["me"] is not None and seen["me"]["id"] != me:
        found.append(f"me is {seen['me']['id']}")
    for record in seen["records"]:
        turn = record["turn"]
        if set(record["budget"]) - {me}:
            found.append(f"records/{turn}/budget of {sorted(set(record['budget']) - {me})}")
        if record["mean_trust"]:
            found.append(f"records/{turn}/mean_trust")
        others = {k: v for k, v in record["burden"].items() if k != me}
        if state.fog != "open" and others:
            found.append(f"records/{turn}/burden of {sorted(others)} under {state.fog} fog")
        gross = gross_costs(state, turn)
        for nation_id, amount in others.items():
            if amount != gross.get(nation_id):
                found.append(
                    f"records/{turn}/burden of {nation_id}: {amount}, not its orders' cost"
                )
    listed = [(f"records/{r['turn']}", c) for r in seen["records"] for c in r["changes"]]
    listed += [("changes so far", c) for c in seen.get("changes_so_far", {}).get("changes", [])]
    for where, change in listed:
        found.extend(f"{where}/changes: {leak}" for leak in _change_leaks(state, me, change))
    for operation in seen["operations"]:
        if state.fog != "open" and (
            operation["committed_nations"] is not None or "commitments" in operation
        ):
            found.append(f"operations/{operation['id']}: others' commitments under {state.fog} fog")
    for nation in seen["nations"]:
        if state.fog == "strict" and nation["id"] != me and nation["committed_units"] is not None:
            found.append(f"nations/{nation['id']}/committed_units under strict fog")
    results = seen["last_results"]
    for outcome in results["outcomes"] if results else []:
        for contribution in outcome["contributions"]:
            if contribution["nation_id"] == me or state.fog == "open":
                continue
            hidden = (
                ("unit_ids", "cost", "strength") if state.fog == "strict" else ("unit_ids", "cost")
            )
            for key in hidden:
                if key in contribution:
                    found.append(
                        f"last_results/{outcome['operation_id']}/{contribution['nation_id']}/{key}"
                    )
    if log is not None:
        counts = readable_messages(state, viewer, log)
        for channel in seen["channels"]:
            if channel["messages"] != counts.get(channel["id"], 0):
                found.append(
                    f"channels/{channel['id']}/messages: {channel['messages']}, "
                    f"reads {counts.get(channel['id'], 0)}"
                )
    return found


def _change_leaks(state: GameState, me: str | None, change: dict[str, Any]) -> list[str]:
    """A listed change a nation may not see: trust between two others (its own trust,
    and what others think of it, are its own), a budget not its own (but for the other
    party of a cost-sharing deal it signed)."""
    kind, _, target = str(change["subject"]).partition(":")
    if kind == "trust" and me not in target.replace("<>", ">").split(">"):
        return [f"{change['subject']}: trust between others"]
    if kind == "budget" and target != me:
        partners = {
            p
            for a in state.agreements
            if a.kind == "cost_sharing" and a.status == "signed" and me in a.parties
            for p in a.parties
        }
        if target not in partners:
            return [f"{change['subject']}: another's budget"]
    return []
