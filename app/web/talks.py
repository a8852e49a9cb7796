"""What the negotiation panel shows a nation: channels, proposals, agreements, pledges.

Everything here is read from `rules.view(state, viewer)` (channels, agreements and pledges
the viewer may see) and message texts from events that `rules.view_event` lets the viewer
see, so the panel can only ever contain what that nation may know.

Unread counts: the live fragment carries each channel's message count from the state
(`data-channel-total`); the page holds, per channel, how many of them this seat has
accounted for (`seen`: read, or sent by itself), refreshed from the server's read markers
by every talks response. The page shows `total - seen`, so a message arriving anywhere
updates the badges with the websocket fragment alone, without a query per socket.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from app import rules
from app.i18n import _, gettext
from app.rules.agreements import AGREEMENTS, Names
from app.rules.agreements import agreement as agreement_spec
from app.rules.agreements.common import COMMAND_LABELS, COMMAND_STRUCTURES, join_words
from app.rules.views import AGREEMENT_LABELS, LazyParts
from app.services.game_results import ChannelCount, LoggedEvent

__all__ = ["COMMAND_LABELS", "KIND_HELP", "Names", "describe_terms", "join_words"]

KIND_HELP = {kind: spec.help for kind, spec in AGREEMENTS.items()}
CLOSED_SHOWN = 5
_TERM_KEY = re.compile(r"[a-z_]{1,40}")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,12}")


def describe_terms(kind: str, terms: Mapping[str, Any], names: Names) -> str:
    """The terms of an agreement in words, with names instead of ids (its module's
    `describe`; an unknown kind raises `UnknownAgreement`)."""
    return agreement_spec(kind).describe(terms, names)


def _agreement(agreement: Mapping[str, Any], names: Names, me: str | None) -> dict[str, Any]:
    parties = list(agreement["parties"])
    signed = list(agreement["signatures"])
    return {
        "id": agreement["id"],
        "kind": agreement["kind"],
        "label": _(agreement_spec(agreement["kind"]).label),
        "status": agreement["status"],
        "in_force": agreement["in_force"],
        "turn": agreement["turn"],
        "proposer": agreement["proposer"],
        "proposer_name": names.nation(agreement["proposer"]),
        "parties": parties,
        "party_names": names.list_of_nations(parties),
        "summary": describe_terms(agreement["kind"], agreement["terms"], names),
        "signed_by": names.list_of_nations(signed),
        "awaiting": names.list_of_nations([p for p in parties if p not in signed]),
        "i_signed": me in signed,
        "mine": me in parties,
        "public": agreement_spec(agreement["kind"]).public,
        "replaces": agreement["replaces"],
    }


def _composer_options(game: Mapping[str, Any], me: str) -> dict[str, Any]:
    return {
        "kinds": [(kind, _(label)) for kind, label in AGREEMENT_LABELS.items()],
        "help": {kind: _(help) for kind, help in KIND_HELP.items()},
        "nations": [(n["id"], n["name"]) for n in game["nations"]],
        "others": [(n["id"], n["name"]) for n in game["nations"] if n["id"] != me],
        "open_operations": [(o["id"], o["name"]) for o in game["operations"] if o["open"]],
        "pledgeable_operations": [
            (o["id"], o["name"]) for o in game["operations"] if o["status"] == "open"
        ],
        "operations": [(o["id"], o["name"]) for o in game["operations"]],
        "regions": [(r["id"], r["name"]) for r in game["regions"]],
        "coalitions": [(c["id"], c["name"]) for c in game["coalitions"] if c["active"]],
        "ngos": [(a["id"], a["name"]) for a in game["actors"] if a["kind"] == "ngo"],
        "commands": [(c, _(COMMAND_LABELS[c])) for c in COMMAND_STRUCTURES],
        "turn": game["turn"],
        "turns": game["turns"],
    }


def _channels(game: Mapping[str, Any], names: Names, me: str | None) -> list[dict[str, Any]]:
    return [
        {
            "id": c["id"],
            "name": c["name"],
            "kind": c["kind"],
            "members": names.list_of_nations(c["members"]),
            # Whom a player talks with there (a public channel is everyone's).
            "others": ""
            if c["kind"] == "public"
            else names.list_of_nations([m for m in c["members"] if m != me]),
            "total": c["messages"],
            "can_post": me in c["members"],
            "leak_chance": c["leak_chance"],
        }
        for c in game["channels"]
    ]


def talks_context(
    state: rules.GameState, viewer: rules.Viewer, game: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The `talks` entry of a page's context (pass `game`, the viewer's view, if made):
    each of its parts computed when a template first reads it."""
    me = viewer.nation_id if viewer.role == "nation" else None
    if me is None:
        return {"talks": None}  # observers and control do not negotiate on this page
    view = game if game is not None else rules.view(state, viewer)

    made: dict[str, Any] = {}  # what several parts read, made once

    def names() -> Names:
        if "names" not in made:
            made["names"] = Names.of(view)
        return made["names"]  # type: ignore[no-any-return]

    def agreements() -> list[dict[str, Any]]:
        if "agreements" not in made:
            made["agreements"] = [_agreement(a, names(), me) for a in view["agreements"]]
        return made["agreements"]  # type: ignore[no-any-return]

    def open_to_me() -> list[dict[str, Any]]:
        return [a for a in agreements() if a["status"] == "open" and a["mine"]]

    def pledges() -> list[dict[str, Any]]:
        return [
            {
                "agreement_id": p["agreement_id"],
                "nation": names().nation(p["nation"]),
                "mine": p["nation"] == me,
                "operation": names().operation(p["operation_id"]),
                "strength": p["strength"],
                "delivered": p["delivered"],
                "turn": p["turn"],
                "status": p["status"],
            }
            for p in view["pledges"]
        ]

    parts: dict[str, Callable[[], Any]] = {
        "me": lambda: me,
        "me_name": lambda: _nation_names(state).nation(me),
        "orders_open": lambda: view["phase"] == "orders",
        # Re-rendered for every page on every message: only what its lines show.
        "channels": lambda: channel_lines(view["channels"], state, me),
        "incoming": lambda: [a for a in open_to_me() if a["proposer"] != me],
        "outgoing": lambda: [a for a in open_to_me() if a["proposer"] == me],
        "signed": lambda: [a for a in agreements() if a["in_force"]],
        # Signed once, no longer applying: a pledge whose turn is over, replaced terms.
        "ended": lambda: [a for a in agreements() if a["status"] == "signed" and not a["in_force"]][
            -CLOSED_SHOWN:
        ],
        "closed": lambda: [
            a
            for a in agreements()
            if a["mine"] and a["status"] in ("rejected", "withdrawn", "countered")
        ][-CLOSED_SHOWN:],
        "pledges": pledges,
        "composer": lambda: _composer_options(view, me),
        "composer_defaults": composer_values,
    }
    return {"talks": LazyParts(parts)}


def channel_lines(
    channels: Iterable[Mapping[str, Any]], state: rules.GameState, me: str
) -> list[dict[str, Any]]:
    """The viewer's channels (as the view lists them, or some of them) as the channels
    list shows them (templates/talks/channel_line.html reads no more; `channel_of` has
    the rest): only the other members of each private one are named, from the state's
    nations (see `_nation_names`)."""
    names: dict[str, str] | None = None
    lines = []
    for c in channels:
        others = ""  # a public channel is everyone's
        if c["kind"] != "public":
            if names is None:
                names = {n.id: n.name for n in state.nations}
            others = join_words([names.get(m, m) for m in c["members"] if m != me])
        lines.append(
            {
                "id": c["id"],
                "name": c["name"],
                "kind": c["kind"],
                "others": others,
                "total": c["messages"],
            }
        )
    return lines


def _nation_names(state: rules.GameState) -> Names:
    """Names of the nations alone (`Names.of` reads every operation, region, coalition
    and actor of the view, which the channels never name). Every nation is in every
    view under its name, so they are read from the state: making the view's list of
    nations for them cost more than the rest of the channels."""
    return Names({n.id: n.name for n in state.nations}, {}, {}, {}, {})


def channel_of(game: Mapping[str, Any], channel_id: str) -> dict[str, Any] | None:
    """A channel as the viewer sees it, or None if the viewer may not see it."""
    me = game["viewer"]["nation_id"]
    return next((c for c in _channels(game, Names.of(game), me) if c["id"] == channel_id), None)


def message_entries(
    state: rules.GameState, messages: list[LoggedEvent], viewer: rules.Viewer
) -> list[dict[str, Any]]:
    """The messages `viewer` may read (each passes `rules.view_event`), oldest first."""
    entries = []
    for logged in messages:
        if rules.view_event(state, logged.event, viewer) is None:
            continue
        actor = logged.event.actor
        nation = state.nation(actor) if actor else None
        entries.append(
            {
                "seq": logged.seq,
                "turn": logged.turn,
                "sender": nation.name
                if nation
                else (gettext("Control") if actor == "control" else str(actor)),
                "mine": actor == viewer.nation_id,
                "text": str(logged.event.data.get("text", "")),
            }
        )
    return entries


def seen_counts(counts: Mapping[str, ChannelCount]) -> dict[str, int]:
    """Per channel, the messages this seat has accounted for (read or its own)."""
    return {c: count.messages - count.unread for c, count in counts.items()}


def terms_from_form(form: Mapping[str, list[str]]) -> dict[str, str | int]:
    """`terms.<key>` fields as the rules' terms: several values join with commas (a list of
    operations), whole numbers become ints, empty fields are left to the rules' defaults."""
    terms: dict[str, str | int] = {}
    for field, values in form.items():
        key = field.removeprefix("terms.")
        if key == field or not _TERM_KEY.fullmatch(key):
            continue
        value = ",".join(v.strip() for v in values if v.strip())
        if value:
            terms[key] = int(value) if _WHOLE_NUMBER.fullmatch(value) else value
    return terms


def composer_values(
    kind: str | None = None,
    parties: Iterable[str] = (),
    terms: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What the proposal composer shows filled in (a counter, or a refused proposal)."""
    values: dict[str, Any] = {}
    for key, value in (terms or {}).items():
        values[key] = [str(v) for v in value] if isinstance(value, list) else str(value)
    if "operations" in values and isinstance(values["operations"], str):
        values["operations"] = [o for o in values["operations"].split(",") if o]
    return {
        "agreement": kind if kind in AGREEMENT_LABELS else "force_pledge",
        "parties": list(parties),
        "terms": values,
    }


def _sender(actor: object) -> str:
    """A message's sender that is not a nation: control's messages say "Control"."""
    return gettext("Control") if actor == "control" else str(actor)
