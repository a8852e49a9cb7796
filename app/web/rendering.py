"""Jinja2 rendering of pages and of the live fragments pushed over websockets.

Everything a template receives comes from `rules.view` / `rules.view_event` for the
viewer, so a fragment can only ever contain what that viewer may see.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import replace
from itertools import chain
from pathlib import Path
from types import BuiltinFunctionType, FunctionType, MethodType
from typing import Any, cast

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, Template, Undefined, meta, pass_eval_context
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import EvalContext, Expr
from jinja2.runtime import Context
from markupsafe import Markup, escape

from app import i18n, rules
from app.config import PROJECT_ROOT
from app.i18n import N_, _
from app.realtime.hub import Fragment
from app.rules import diplomacy, red_cell
from app.rules.action_types import RequestMandate
from app.rules.reasons import Reason
from app.rules.resolution import LIFT_FREE, LIFT_RATIO, RESULTS_TABLE
from app.rules.resolution.tuning import MIN_CAPABILITY_MATCH, MIN_FORCE_RATIO
from app.rules.state import RED_CELL_SEAT
from app.rules.text import is_printable, printable
from app.rules.viewer import sees_channel
from app.rules.views import LazyParts, LazyView
from app.rules.wording import words
from app.rules.wording.base import join_and, sentence_start
from app.rules.wording.changes import red_cell_said
from app.rules.wording.command import command_explained
from app.scenarios.texts import ScenarioTexts
from app.services.errors import NotFound
from app.services.game_results import LoggedEvent, Snapshot
from app.services.lru import LRU
from app.web.talks import channel_lines, talks_context

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATE_FRAGMENTS = (
    "clock",
    "ready",
    "seat_notice",
    "situation",
    "theatre",
    "operations",
    "nations",
    "negotiation",
    "agreements",
    "results",
)

# Labels are English msgids (marked with N_), translated where a page shows them.
CAPABILITY_LABELS = {
    "land": N_("Land"),
    "air": N_("Air"),
    "maritime": N_("Maritime"),
    "lift": N_("Strategic lift"),
    "isr": N_("ISR"),
    "special_forces": N_("Special forces"),
    "medical": N_("Medical"),
    "engineers": N_("Engineers"),
    "cyber": N_("Cyber"),
}


MANDATE_LABELS = {
    "un": N_("UN Security Council"),
    "regional": N_("regional organisation"),
    "none": N_("none"),
}

# The rules' codes a player's page shows as words (`term(group, code)` in templates).
TERMS: dict[str, dict[str, str]] = {
    "phase": {
        "intelligence": N_("Intelligence"),
        "negotiation": N_("Negotiation"),
        "orders": N_("Orders"),
        "adjudication": N_("Adjudication"),
        "review": N_("Review"),
        "ended": N_("Ended"),
    },
    "power": {"hard": N_("hard power"), "soft": N_("soft power")},
    "operation_status": {
        "open": N_("open"),
        "completed": N_("completed"),
        "failed": N_("failed"),
    },
    "result": {
        "success": N_("success"),
        "partial": N_("partial"),
        "failure": N_("failure"),
        "not_attempted": N_("not attempted"),
    },
    "channel": {
        "public": N_("public"),
        "coalition": N_("coalition"),
        "bilateral": N_("bilateral"),
        "liaison": N_("liaison"),
        "control": N_("control"),
    },
    "pledge": {"due": N_("due"), "honoured": N_("honoured"), "broken": N_("broken")},
    "agreement_status": {
        "open": N_("open"),
        "signed": N_("signed"),
        "rejected": N_("rejected"),
        "countered": N_("countered"),
        "withdrawn": N_("withdrawn"),
    },
    "red_move": {
        "hold": N_("hold"),
        "escalate": N_("escalate"),
        "probe": N_("probe"),
        "signal": N_("signal"),
        "offer_talks": N_("offer talks"),
        "accept_terms": N_("accept terms"),
    },
    "estimate_status": {
        "running": N_("running"),
        "done": N_("done"),
        "cancelled": N_("cancelled"),
        "failed": N_("failed"),
    },
    "command": {
        "lead_nation": N_("lead-nation"),
        "parallel": N_("parallel"),
        "integrated": N_("integrated"),
    },
    # A nation's national caveats (app/scenarios/models.py `Caveat`).
    "caveat": {
        "no-offensive-ground": N_("no offensive ground operations"),
        "no-night-ops": N_("no night operations"),
        "no-combat": N_("no combat operations"),
        "home-region-only": N_("home region only"),
    },
    # What a scenario's objectives, event triggers and effects check or do (the library's
    # preview of a scenario; app/rules/state.py `ObjectiveKind`, `TriggerKind`, `EffectKind`).
    "objective_kind": {
        "operation_succeeds": N_("operation succeeds"),
        "escalation_at_most": N_("escalation at most"),
        "support_at_least": N_("support at least"),
        "budget_at_least": N_("budget at least"),
        "in_coalition": N_("in coalition"),
        "lead_coalition": N_("lead coalition"),
        "outside_coalitions": N_("outside coalitions"),
        "cohesion_at_least": N_("cohesion at least"),
        "burden_share_at_most": N_("burden share at most"),
        "no_hard_power": N_("no hard power"),
        "coalition_dissolved": N_("coalition dissolved"),
        "trust_at_least": N_("trust at least"),
        "fair_share_at_least": N_("fair share at least"),
        "crisis_won": N_("crisis won"),
    },
    "trigger_kind": {
        "turn": N_("turn"),
        "escalation_at_least": N_("escalation at least"),
        "support_below": N_("support below"),
        "cohesion_below": N_("cohesion below"),
        "operation_failed": N_("operation failed"),
        "population_below": N_("population below"),
    },
    "effect_kind": {
        "escalation": N_("escalation"),
        "support": N_("support"),
        "budget": N_("budget"),
        "trust": N_("trust"),
        "difficulty": N_("difficulty"),
        "population": N_("population"),
        "cohesion": N_("cohesion"),
        "caveat": N_("caveat"),
        "leadership_change": N_("leadership change"),
        "open_operation": N_("open operation"),
        "mandate": N_("mandate"),
    },
}


def ui_texts() -> dict[str, str]:
    """The texts the page's scripts write for a person (static/js/texts.js), translated."""
    return {
        "reconnecting": _("Reconnecting…"),
        "disconnected": _("Disconnected — reload the page"),
        "offline": _("Not sent: this browser is offline."),
        "unreachable": _("Not sent: the server cannot be reached."),
        "kept": _("What you entered is kept: try again."),
        "try_again": _("Try again."),
        "expired": _(
            "Not done: this page's session has expired or the seat was reissued (reload the page)."
        ),
        # The placeholders stay for the script to fill in.
        "server_failed": _("Not done: the server failed (%(status)s)."),
        "refused": _("Not done: the server refused it (%(status)s)."),
        "waiting": _("Unread messages or proposals to answer: %(count)s"),
    }


def term(group: str, code: str) -> str:
    """A rules' code as the page's words, in the reader's language (the code if unknown)."""
    label = TERMS.get(group, {}).get(code)
    return i18n.gettext(label) if label else code.replace("_", " ").replace("-", " ")


_CSS_PLAIN = re.compile(r"[A-Za-z0-9_-]")


def css_string(value: str) -> str:
    """`value` as a quoted CSS string, every character but letters, digits, `_` and `-`
    escaped by its code point: a selector that names any id (a channel's) as it is."""
    escaped = "".join(c if _CSS_PLAIN.fullmatch(c) else f"\\{ord(c):x} " for c in value)
    return f'"{escaped}"'


def caveat_label(caveat: str) -> str:
    """A national caveat ("no-combat") as the page's words, in the reader's language."""
    return term("caveat", caveat)


def signed(change: float) -> str:
    """A change as it moved: whole points as "+3", fractions as "+0.25" (never rounded
    away: a quarter of a rung of pressure is shown, not hidden)."""
    if abs(change - round(change)) < 1e-9:
        return f"{round(change):+d}"
    return f"{change:+.3f}".rstrip("0")


_NO_BADGE = Markup("")


def delta_badge(change: float | None, title: str | None = None) -> Markup:
    """A small signed badge for what a number did (nothing if it did not move)."""
    if not change or abs(change) < 0.001:  # a marker, not a change (a threshold crossed)
        return _NO_BADGE
    title = i18n.gettext("since last turn") if title is None else title
    kind = "up" if change > 0 else "down"
    return Markup('<span class="delta delta-{}" title="{}">{}</span>').format(
        kind, title, signed(change)
    )


_FLAT_KEY_TYPES = frozenset({str, Markup, int, bool, float, type(None)})


def flat_key(name: str, values: list[Any]) -> tuple[Any, ...] | None:
    """The key a part is kept by (`kept`) from the plain values it shows, listed flat (a
    list's length before its items): each by its type too, as `i18n.text_key` tells them
    apart (a float by its repr: -0.0 equals 0.0 but is written "-0"), at a fraction of
    its cost; None when one is no plain value (the part is then rendered each time)."""
    types = tuple(map(type, values))
    if not _FLAT_KEY_TYPES.issuperset(types):
        return None
    if float in types:
        values = [repr(v) if type(v) is float else v for v in values]
    return (name, tuple(values), types)


def relation_rows(
    me: Mapping[str, Any], nations: Iterable[Mapping[str, Any]], changes: Mapping[str, float]
) -> list[tuple[tuple[Any, ...] | None, dict[str, Any]]]:
    """The relations table of `me`'s page: for each other nation the values its row shows,
    read in one pass, with the key its HTML is kept by (`kept`): every value, by its
    type too (None when one is no plain value: the row is then rendered each time)."""
    my_id = me["id"]
    trust_in, trusted_by = me["trust_in"], me["trusted_by"]
    alignment, cooperation = me["alignment"], me["cooperation"]
    rows: list[tuple[tuple[Any, ...] | None, dict[str, Any]]] = []
    for nation in nations:
        other = nation["id"]
        if other == my_id:
            continue
        row = {
            "name": nation["name"],
            "leadership_changes": nation["leadership_changes"],
            "leader": nation["leader"],
            "trust": trust_in.get(other, 50),
            "trusts_you": trusted_by.get(other, 50),
            "aligned": alignment.get(other, 50),
            "cooperation": cooperation.get(other, 0),
            "trust_change": changes.get(f"trust:{my_id}>{other}"),
            "trusted_change": changes.get(f"trust:{other}>{my_id}"),
            "cooperation_change": changes.get(f"cooperation:{my_id}>{other}"),
        }
        rows.append((flat_key("relation_row", list(row.values())), row))
    return rows


# What an operation's card shows of it above the orders (operations.html `card_top`), but
# its requirements and the strength committed (mappings, listed by `card_top_key`).
_CARD_TOP_FIELDS = (
    "id",
    "name",
    "power",
    "status",
    "open",
    "opens_turn",
    "difficulty",
    "risk",
    "coalition_id",
    "progress",
    "duration",
    "description",
)


def card_top_key(
    operation: Mapping[str, Any], region: str, coalition: str | None, mine: bool
) -> tuple[Any, ...] | None:
    """The key an operation card's top is kept by (`kept`): every value it shows, by its
    type too (None when one is no plain value: it is then rendered each time)."""
    values = [operation[field] for field in _CARD_TOP_FIELDS]
    values += (region, coalition, mine)
    requirements = operation["requirements"]
    values.append(len(requirements))
    values += chain.from_iterable(requirements.items())
    strength = operation["committed_strength"]
    by_capability = strength["by_capability"]
    values += (strength["all_seen"], len(by_capability))
    values += chain.from_iterable(by_capability.items())
    return flat_key("op_card_top", values)


def card_orders_key(
    op: Mapping[str, Any],
    me: Mapping[str, Any] | None,
    units: Mapping[str, Mapping[str, Any]],
    tasked: list[Mapping[str, Any]],
    choices: list[str],
    phase: str,
    turn: int,
    blocked: Mapping[str, str],
    nation_names: Mapping[str, str],
) -> tuple[Any, ...] | None:
    """The key the rest of an operation's card is kept by (operations.html `card_orders`,
    with the same arguments): who else committed, the units committed or tasked to it
    with their withdraw forms, the commit form's choices, the note when it takes none."""
    me_id = me["id"] if me else None
    values: list[Any] = [op["id"], op["name"], op["status"], me_id, phase, turn]
    values.append(blocked.get(op["id"]))
    committed = op["committed_nations"]
    if committed:
        values.append(len(committed))
        for nation_id in committed:
            values += (nation_id, nation_names.get(nation_id))
            if me_id is not None:
                values.append(sum(1 for c in op["commitments"] if c["nation_id"] == nation_id))
    else:
        values.append(0)  # None (fog) or none yet: the same line, none
    shown = [*(op.get("my_units") or ()), *(u["unit_id"] for u in tasked)]
    values.append(len(shown))
    for unit_id in shown:
        unit = units.get(unit_id)
        if unit is None:
            return None
        values += (unit_id, unit["name"], unit["capability"], unit["strength"])
    values.append(len(choices))
    for unit_id in choices:
        unit = units.get(unit_id)
        if unit is None:
            return None
        values += (unit_id, unit["name"], unit["capability"], unit["strength"], unit["cost"])
    return flat_key("op_card_orders", values)


def situation_keys(
    me: Mapping[str, Any],
    game: Mapping[str, Any],
    changes: Mapping[str, float],
    legal: Mapping[str, Any],
    leadership_threshold: Any,
    defection_threshold: Any,
    nation_names: Mapping[str, str],
) -> dict[str, Any]:
    """The keys of the parts of a nation's situation kept (`kept`) by every value they
    read (situation.html `stats`, `brief`, `coalitions_part`), with the values they read
    that the page's context does not hold as such: its coalitions, their changes."""
    support_change = changes.get(f"support:{me['id']}")
    stats = [me["name"], me["leader"], me["budget_left"], me["budget"]]
    stats += (me["domestic_support"], support_change, me["score"])
    briefing = game["turn"] == 1 and not game["records"]
    caveats, objectives = me["caveats"], me["objectives"]
    brief = [me["leadership_changes"], me["leader"], leadership_threshold, me["standard"]]
    brief += (me["income"], me["casualties"], briefing, me["public_objective"])
    brief += (me["secret_objective"], len(caveats), *caveats, len(objectives))
    for objective in objectives:
        brief += (objective["met"], objective["secret"], objective["text"])
        brief += (objective["points"], objective["detail"])
    my_id = me["id"]
    mine = [c for c in game["coalitions"] if c["active"] and my_id in c["members"]]
    cohesion_changes = {c["id"]: changes.get(f"cohesion:{c['id']}") for c in mine}
    mandates, leave = legal["mandates"], legal["leave"]
    phase, turn = game["phase"], game["turn"]
    coalitions = [my_id, me["name"], defection_threshold, phase, turn, len(mine)]
    for c in mine:
        coalitions += (c["id"], c["name"], c["lead"], nation_names.get(c["lead"]), c["command"])
        coalitions += (c["mandate"], c["cohesion"], cohesion_changes[c["id"]])
        members = c["members"]
        coalitions.append(len(members))
        for member in members:
            coalitions += (member, nation_names.get(member))
        councils = mandates.get(c["id"], ())
        coalitions.append(len(councils))
        for council in councils:
            coalitions += (council["actor_id"], council["name"])
        said = leave.get(c["id"])
        coalitions += (-1,) if said is None else (len(said), *said)
    return {
        "stats": flat_key("situation_stats", stats),
        "support_change": support_change,
        "brief": flat_key("situation_brief", brief),
        "briefing": briefing,
        "coalitions": flat_key("situation_coalitions", coalitions),
        "mine": mine,
        "cohesion_changes": cohesion_changes,
    }


def forces_row_key(
    unit: Mapping[str, Any],
    commanded: list[str],
    operation_names: Mapping[str, str],
    unit_actions: Mapping[str, list[dict[str, str]]],
    phase: str,
    turn: int,
) -> tuple[tuple[Any, ...] | None, str | None, list[dict[str, str]]]:
    """The key a unit's row of a nation's forces is kept by (situation.html `forces_row`),
    with the name of the operation it is tasked to and the command actions it offers."""
    operation_id = unit["operation_id"]
    operation_name = operation_names.get(operation_id, "") if operation_id else None
    actions = unit_actions.get(unit["id"], [])
    values = [unit["id"], unit["name"], unit["capability"], unit["id"] in commanded]
    values += (unit["strength"], unit["cost"], operation_id, operation_name, phase, turn)
    values.append(len(actions))
    for action in actions:
        values += (action["kind"], action.get("coalition_id"), action["label"])
    return flat_key("forces_row", values), operation_name, actions


def operation_cards(
    kept: Callable[..., Markup],
    card_top: Callable[..., str],
    card_orders: Callable[..., str],
    operations: Iterable[Mapping[str, Any]],
    regions: Mapping[str, Mapping[str, Any]],
    coalitions: Mapping[str, Mapping[str, Any]],
    mine: bool,
    me: Mapping[str, Any] | None,
    units: Mapping[str, Mapping[str, Any]],
    tasked_to: Mapping[str, list[Mapping[str, Any]]],
    legal: Mapping[str, Any],
    phase: str,
    turn: int,
    nation_names: Mapping[str, str],
    seat_url: str,
) -> KeptHTML:
    """The operations panel's cards (operations.html), each card's top and orders kept
    (`kept`) by `card_top_key` and `card_orders_key`, written as `{{ }}` writes them. The
    loop in Python, not in the template: its lookups and calls through Jinja's context
    cost the panel a third of its rendering, every part found kept."""
    commit, blocked = legal["commit"], legal["blocked"]
    parts: list[str] = []
    for op in operations:
        region = regions[op["region"]]["name"]
        coalition = coalitions[op["coalition_id"]]["name"] if op["coalition_id"] else None
        key = card_top_key(op, region, coalition, mine)
        top = (
            kept(key, card_top, op, region, coalition, mine)
            if key
            else card_top(op, region, coalition, mine)
        )
        tasked, choices = tasked_to.get(op["id"], []), commit.get(op["id"], [])
        key = card_orders_key(op, me, units, tasked, choices, phase, turn, blocked, nation_names)
        orders = (
            kept(
                key,
                card_orders,
                op,
                me,
                units,
                tasked,
                choices,
                phase,
                turn,
                blocked,
                nation_names,
                seat_url=seat_url,
            )
            if key
            else card_orders(
                op, me, units, tasked, choices, phase, turn, blocked, nation_names, seat_url
            )
        )
        parts += (escaped_output(top), escaped_output(orders))
    return KeptHTML("".join(parts))


def forces_rows(
    kept: Callable[..., Markup],
    forces_row: Callable[..., str],
    me: Mapping[str, Any],
    operation_names: Mapping[str, str],
    unit_actions: Mapping[str, list[dict[str, str]]],
    phase: str,
    turn: int,
    seat_url: str,
) -> list[KeptHTML]:
    """Each row of a nation's forces (situation.html `forces_row`), kept (`kept`) by
    `forces_row_key`, written as `{{ }}` writes it: the loop in Python (`operation_cards`)."""
    commanded = [u["unit_id"] for u in me["under_coalition_command"]]
    rows = []
    for unit in me["units"]:
        key, operation_name, actions = forces_row_key(
            unit, commanded, operation_names, unit_actions, phase, turn
        )
        under = unit["id"] in commanded
        html = (
            kept(
                key,
                forces_row,
                unit,
                under,
                operation_name,
                actions,
                phase,
                turn,
                seat_url=seat_url,
            )
            if key
            else forces_row(unit, under, operation_name, actions, phase, turn, seat_url)
        )
        rows.append(KeptHTML(escaped_output(html)))
    return rows


def relation_lines(
    kept: Callable[..., Markup],
    relation_row: Callable[..., str],
    me: Mapping[str, Any],
    nations: Iterable[Mapping[str, Any]],
    changes: Mapping[str, float],
) -> KeptHTML:
    """The rows of `me`'s relations table (`relation_rows`), each kept (`kept`) by its key,
    written as `{{ }}` writes them: the loop in Python (`operation_cards`)."""
    return KeptHTML(
        "".join(
            escaped_output(kept(key, relation_row, row) if key else relation_row(row))
            for key, row in relation_rows(me, nations, changes)
        )
    )


def nation_lines(
    kept: Callable[..., Markup],
    nation_row: Callable[..., str],
    nations: Iterable[Mapping[str, Any]],
    marks: bool,
    me_id: str | None,
) -> KeptHTML:
    """The rows of the nations table (nations.html `nation_row`), each kept (`kept`) by
    every value it reads, written as `{{ }}` writes them, each followed by the template's
    own whitespace: the loop in Python (`operation_cards`)."""
    rows: list[str] = []
    for n in nations:
        read = (n["id"], n["name"], n["controller"], n["committed_units"], n["ready"])
        html = kept(("nation_row", marks, me_id, *read), nation_row, n)
        rows += (escaped_output(html), "\n    ")  # joined as text: Markup's + escapes
    return KeptHTML("".join(rows))


def theatre_keys(
    regions: list[Mapping[str, Any]], operations: list[Mapping[str, Any]], me: Any
) -> tuple[tuple[Any, ...] | None, tuple[Any, ...] | None]:
    """The keys the theatre's map is kept by (`kept`): its regions and the links between
    them (theatre.html `map_regions`) by every value they show; the operations on it and
    the legend (`map_operations`) by those and every value of each operation they show,
    with the viewer's count of units in it (its page's marks)."""
    values: list[Any] = [len(regions)]
    for region in regions:
        adjacent = region["adjacent"]
        values += (region["id"], region["name"], region["x"], region["y"], len(adjacent))
        values += adjacent
    regions_key = flat_key("map_regions", values)
    mine = bool(me)
    values += (mine, len(operations))
    for op in operations:
        values += (op["id"], op["name"], op["region"], op["power"], op["status"], op["open"])
        values += (op["opens_turn"], len(op["my_units"] or ()) if mine else 0)
    return regions_key, flat_key("map_operations", values)


def subject_label(subject: str, nation_names: dict[str, str], game: dict[str, Any]) -> str:
    """A change's subject in words: "support:arvenia" -> "Arvenia's domestic support"."""
    kind, _colon, target = subject.partition(":")
    coalitions = {c["id"]: c["name"] for c in game.get("coalitions", [])}
    operations = {o["id"]: o["name"] for o in game.get("operations", [])}
    actors = {a["id"]: a["name"] for a in game.get("actors", [])}

    _ = i18n.gettext

    def name(nation_id: str) -> str:
        return _("everyone") if nation_id == "*" else nation_names.get(nation_id, nation_id)

    if kind == "trust" and "<>" in target:  # as games recorded it before pairs
        a, b = target.split("<>", 1)
        return _("trust between %(a)s and %(b)s", a=name(a), b=name(b))
    if kind == "trust" and ">" in target:
        truster, trusted = target.split(">", 1)
        return _("%(truster)s's trust in %(trusted)s", truster=name(truster), trusted=name(trusted))
    if kind == "cooperation" and ">" in target:
        nation, other = target.split(">", 1)
        return _(
            "%(nation)s's history of cooperation with %(other)s",
            nation=name(nation),
            other=name(other),
        )
    labels: dict[str, Callable[[str], str]] = {
        "support": lambda t: _("%(nation)s's domestic support", nation=name(t)),
        "budget": lambda t: _("%(nation)s's budget", nation=name(t)),
        "cohesion": lambda t: _("cohesion of %(coalition)s", coalition=coalitions.get(t, t)),
        "operation": lambda t: operations.get(t, t),
        "difficulty": lambda t: _("difficulty of %(operation)s", operation=operations.get(t, t)),
        "attitude": lambda t: _("attitude of %(actor)s", actor=actors.get(t, t.replace("-", " "))),
        "trust": lambda t: _("trust (%(operation)s)", operation=operations.get(t, t)),
        "caveat": lambda t: _("%(nation)s's caveats", nation=name(t)),
        "leader": lambda t: _("%(nation)s's government", nation=name(t)),
        "mandate": lambda t: _("mandate of %(coalition)s", coalition=coalitions.get(t, t)),
    }
    if kind in labels:
        return labels[kind](target)
    # The subjects without a target: the crisis itself.
    alone = {
        "escalation": _("Escalation"),
        "escalation pressure": _("Escalation pressure"),
        "crisis": _("The crisis"),
    }
    return alone.get(subject) or subject.replace("_", " ").capitalize()


def change_line_label(
    line: dict[str, Any], nation_names: dict[str, str], game: dict[str, Any]
) -> str:
    """What one line of the review moved: its subjects in words. Trust that moved both
    ways between every pair of a group of nations reads as trust among them."""
    subjects: list[str] = line["subjects"]
    if line["kind"] == "trust" and len(subjects) > 1:
        pairs = {tuple(s.partition(":")[2].split(">", 1)) for s in subjects}
        nations = sorted({n for pair in pairs for n in pair})
        if all(len(p) == 2 for p in pairs) and len(pairs) == len(nations) * (len(nations) - 1):
            among = join_and([nation_names.get(n, n) for n in nations])
            if len(nations) == 2:
                return i18n.gettext("trust between %(nations)s", nations=among)
            return i18n.gettext("trust among %(nations)s", nations=among)
    return "; ".join(subject_label(s, nation_names, game) for s in subjects)


def printable_output(value: Any) -> Any:
    """Every `{{ ... }}` passes through here: text stored before the boundary checks (or
    any other way) with a character UTF-8 cannot carry must not take a page down."""
    if not isinstance(value, str) or is_printable(value):  # Markup is a str
        return value
    if isinstance(value, Markup):
        return Markup(printable(str(value)))
    return printable(value)


try:  # MarkupSafe's own escape (in C), without making a Markup of each piece
    from markupsafe import _escape_inner as _escaped_text  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another MarkupSafe

    def _escaped_text(value: str, /) -> str:
        return str(escape(value))


def escaped_output(value: Any) -> str:
    """`escape(printable_output(value))`, as text: what each `{{ ... }}` of an escaped
    template writes (`_OutputCodeGenerator`), in one call, not Jinja's two and a Markup
    made of every piece. A page's pieces are joined as text, and the output kept as
    Markup (a macro's, a `{% set %}` block's) is marked as a whole, so nothing reads
    them as Markup: the same page, byte for byte."""
    kind = type(value)
    if kind is str:
        return _escaped_text(value if is_printable(value) else printable(value))
    if kind is Markup:
        return value if is_printable(value) else printable(str(value))
    if kind is KeptHTML:
        return cast(str, value)  # written by a template: each value in it printable already
    if kind is int or kind is float:
        return str(value)  # no character to escape in a number
    if kind is Undefined:
        return ""  # as `", " if not loop.last` writes on the last
    return str(escape(printable_output(value)))


class _OutputCodeGenerator(CodeGenerator):
    """Jinja's code generator but for what an escaped template writes of each expression:
    `environment.escaped_output(x)` (`escaped_output`) for Jinja's
    `escape(environment.finalize(x))`, which cost a page a quarter of its rendering (the
    hooks are Jinja's own, as jinja2.nativetypes uses them)."""

    def _ours(self, frame: Frame) -> bool:
        return (
            frame.eval_ctx.autoescape
            and not frame.eval_ctx.volatile
            and self.environment.finalize is printable_output
        )

    def _output_child_pre(
        self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._ours(frame):
            self.write("environment.escaped_output(")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._ours(frame):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


class _Context(Context):
    """Jinja's template context, with a shorter way for the calls a page makes by the
    hundred (`_()`, `term()`, a dict's `get`): a function that takes no context (nor is an
    object that could) is called as Jinja calls it, without its search for what it takes."""

    def call(self, obj: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        kind = type(obj)
        if kind is FunctionType or kind is MethodType:
            # A method reads as its function's attributes (Jinja's `_PassArg.from_obj`).
            takes = getattr(obj, "jinja_pass_arg", None)
            if takes is _PASS_EVAL_CONTEXT:
                args = (self.eval_ctx, *args)
            elif takes is not None:
                return super().call(obj, *args, **kwargs)
        elif kind is not BuiltinFunctionType:  # a macro, a class, a callable object
            return super().call(obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:  # as Jinja's own
            return self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


def in_words(reason: Reason | str, state: rules.GameState | None = None) -> str:
    """A reason (or a bare code, as a factor's name) in words, for a page that holds the
    rules' records rather than a view (control's console)."""
    return words(reason if isinstance(reason, Reason) else Reason(reason), state)


def _template_ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form unfilled: Jinja's newstyle ngettext fills `num` and the template's
    other placeholders itself (filled here first, a template's `%(strategy)s` would fail)."""
    return i18n.translations(i18n.current_language()).ngettext(singular, plural, n)


@pass_eval_context
def _template_newstyle_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: Any
) -> str:
    """Jinja's newstyle `ngettext` with the same output (`num` filled in, Markup when
    escaping), taking the evaluation context as `_template_gettext` does."""
    variables.setdefault("num", num)
    translated = _template_ngettext(singular, plural, num)
    return (Markup(translated) if eval_ctx.autoescape else translated) % variables


_TEMPLATE_TEXTS: dict[tuple[Any, ...], str] = {}
"""Each template text as a page shows it, per language and escaping, and with its
placeholders' values when they are short plain values (`_filled_key`): the same few
hundred texts are written thousands of times a second under load."""
_TEMPLATE_TEXTS_LIMIT = 20_000  # texts come from the templates; a bound all the same
_FILLED_VALUES = frozenset({str, int, float, Markup})  # short plain values only
_SHORT_VALUE = 100  # longer strings (a message's text) are not kept


def _filled_key(variables: dict[str, Any]) -> tuple[Any, ...] | None:
    """The placeholders' values as part of a `_TEMPLATE_TEXTS` key (`i18n.text_key`);
    None when one is not a short plain value (its text is then formatted each time)."""
    key = []
    for name, value in variables.items():
        if type(value) not in _FILLED_VALUES or (
            isinstance(value, str) and len(value) > _SHORT_VALUE
        ):
            return None
        key.append((name, i18n.text_key(value)))
    return tuple(key)


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    """Jinja's newstyle `gettext` (`_()` and `{% trans %}` in templates), with the same
    output: the translation, as Markup when escaping, always %-formatted (so `%%` reads
    as `%`). A text without variables is kept once formatted; Jinja's own goes through
    three calls and a format for each; so is one whose values are short plain ones. It
    takes the evaluation context, not the template's: a call in a loop then makes no
    derived copy of the template's context."""
    autoescape = eval_ctx.autoescape
    filled = _filled_key(variables) if variables else ()
    if filled is None:
        translated = i18n.gettext(message)
        return (Markup(translated) if autoescape else translated) % variables
    key = (i18n.current_language(), message, autoescape, filled)
    text = _TEMPLATE_TEXTS.get(key)
    if text is None:
        translated = i18n.gettext(message)
        text = (Markup(translated) if autoescape else translated) % variables
        if len(_TEMPLATE_TEXTS) >= _TEMPLATE_TEXTS_LIMIT:
            _TEMPLATE_TEXTS.clear()
        _TEMPLATE_TEXTS[key] = text
    return text


# How Jinja marks a function that takes the evaluation context (`_Context.call`).
_PASS_EVAL_CONTEXT = _template_gettext.jinja_pass_arg  # type: ignore[attr-defined]


class KeptHTML(Markup):
    """A kept part's HTML (`kept`): a template's output, so printable throughout (each
    value it shows passed `escaped_output`, and the templates' own text is), written as
    it is without the check each Markup gets, which cost a page ~10% of its kept parts."""

    __slots__ = ()


_SEAT_URL = Markup("<seat-url>")
"""Where a kept part shows the page's seat URL: a raw `<` is never in a value a template
writes out (it is escaped), so this appears only where the macro put it."""


def _kept(cache: LRU) -> Callable[..., Markup]:
    """The template global `kept(key, macro, *args)`: the macro's HTML for `args`, kept by
    `key` (which must name every input the macro reads) and the reader's language, so a
    part of a panel that did not change is not rendered again. With `seat_url`, the macro
    takes it as its last argument and is rendered once for every page: the URL is put in
    each page's copy (a message changes the public channel's line of all of them)."""

    # The last seat URL as written (a page's parts name the same one): (URL, as written).
    last_url = ("", "")

    def kept(
        key: tuple[Any, ...], macro: Callable[..., str], *args: Any, seat_url: str | None = None
    ) -> Markup:
        nonlocal last_url
        full = (i18n.current_language(), *key)
        html: KeptHTML | None = cache.get(full)
        if html is None:
            html = KeptHTML(macro(*args) if seat_url is None else macro(*args, _SEAT_URL))
            cache.put(full, html)
        if seat_url is not None:
            # As `{{ seat_url }}` writes it (the environment's finalize, then escaping);
            # str's own replace: Markup's escapes its arguments again, at twice the cost.
            said = last_url  # one read: another thread may replace it meanwhile
            if said[0] != seat_url:
                said = last_url = (seat_url, str(escape(printable_output(seat_url))))
            return KeptHTML(str.replace(html, _SEAT_URL, said[1]))
        return html

    return kept


def make_templates(directory: Path = TEMPLATES_DIR, *, reload: bool = False) -> Jinja2Templates:
    """The page templates, each compiled once and kept (Jinja's cache holds 400, the
    directory far fewer). Only with `reload` (ENTENTE_RELOAD_TEMPLATES, while editing
    them) does each use check its file's modification time: under load that check
    cost 7.6% of the server's time."""
    templates = Jinja2Templates(directory=str(directory))
    templates.env.add_extension("jinja2.ext.i18n")
    # Every text is translated as it is rendered, into the language of whoever it is for.
    templates.env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, _template_ngettext, newstyle=True
    )
    templates.env.globals["gettext"] = _template_gettext
    templates.env.globals["ngettext"] = _template_newstyle_ngettext
    templates.env.globals["_"] = _template_gettext
    templates.env.globals["current_language"] = i18n.current_language
    templates.env.globals["languages"] = i18n.LANGUAGES
    templates.env.filters["number"] = i18n.format_number
    templates.env.filters["share"] = i18n.format_share
    templates.env.filters["moment"] = i18n.format_moment
    templates.env.auto_reload = reload
    templates.env.getattr = _keyed_getattr.__get__(templates.env)  # type: ignore[method-assign]
    templates.env.make_globals = _shared_globals.__get__(templates.env)  # type: ignore[method-assign]
    templates.env.finalize = printable_output
    templates.env.escaped_output = escaped_output  # type: ignore[attr-defined]
    templates.env.code_generator_class = _OutputCodeGenerator
    templates.env.context_class = _Context
    templates.env.globals["capability_label"] = lambda c: (
        _(CAPABILITY_LABELS[c]) if c in CAPABILITY_LABELS else c
    )
    templates.env.globals["mandate_label"] = lambda m: (
        _(MANDATE_LABELS[m]) if m in MANDATE_LABELS else m
    )
    templates.env.globals["term"] = term
    # A game's page parts: some 400 a game in gulf-1990's commit/message cycle (its cards'
    # orders, unit rows, channel lines...), so that ten games' stay kept.
    templates.env.globals["kept"] = _kept(LRU(8192))
    templates.env.filters["caveat_label"] = caveat_label
    templates.env.filters["css_string"] = css_string
    templates.env.globals["ui_texts"] = ui_texts
    templates.env.globals["delta_badge"] = delta_badge
    templates.env.globals["relation_rows"] = relation_rows
    templates.env.globals["card_top_key"] = card_top_key
    templates.env.globals["card_orders_key"] = card_orders_key
    templates.env.globals["theatre_keys"] = theatre_keys
    templates.env.globals["situation_keys"] = situation_keys
    templates.env.globals["forces_row_key"] = forces_row_key
    templates.env.globals["operation_cards"] = operation_cards
    templates.env.globals["forces_rows"] = forces_rows
    templates.env.globals["relation_lines"] = relation_lines
    templates.env.globals["nation_lines"] = nation_lines
    templates.env.globals["subject_label"] = subject_label
    templates.env.globals["change_line_label"] = change_line_label
    templates.env.filters["signed"] = signed
    templates.env.filters["sentence_start"] = sentence_start
    templates.env.globals["command_explained"] = command_explained
    templates.env.globals["words"] = in_words
    templates.env.globals["lift_free"] = LIFT_FREE
    templates.env.globals["lift_ratio"] = LIFT_RATIO
    # The combat results table, printed as the rules read it.
    templates.env.globals["results_table"] = RESULTS_TABLE
    templates.env.globals["min_capability_match"] = MIN_CAPABILITY_MATCH
    templates.env.globals["min_force_ratio"] = MIN_FORCE_RATIO
    templates.env.tests["contains"] = lambda seq, item: item in seq
    templates.env.filters["cos"] = math.cos
    templates.env.filters["sin"] = math.sin
    templates.env.filters["pct"] = lambda v: f"{float(v):.0%}"
    templates.env.filters["num"] = lambda v: f"{float(v):.2f}"
    return templates


class Later(Mapping[str, Any]):
    """A mapping made when first read: a live panel's context holds the viewer's own
    nation and last turn's changes this way, so a panel that shows neither does not pay
    for them. Reads as the mapping it makes (`me.budget`, `changes_since.get(...)`)."""

    def __init__(self, make: Callable[[], Mapping[str, Any]]) -> None:
        self._make = make
        self._made: Mapping[str, Any] | None = None

    def _mapping(self) -> Mapping[str, Any]:
        made = self._made
        if made is None:
            made = self._made = self._make()
        return made

    def __getitem__(self, key: str) -> Any:
        return self._mapping()[key]

    def get(self, key: str, default: Any = None) -> Any:
        # The mapping's own: Mapping's raises and catches a KeyError for each key missing
        # (`changes_since.get(...)`, mostly missing, is read for every row of a table).
        return self._mapping().get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._mapping())

    def __len__(self) -> int:
        return len(self._mapping())


def _keyed_getattr(environment: Environment, obj: Any, attribute: str) -> Any:
    """Jinja's `obj.attribute`, with the same result: a view's dicts (and the lazy
    mappings made like them) are read by key, as Jinja does once the attribute is
    missing, without first raising and catching an AttributeError for each of the
    thousands of `op.name` a page has. Such an object has no attribute of its own but its
    class's (and private ones), which go the usual way."""
    kind = type(obj)
    if kind is dict:  # most: its private names are no attributes either
        if attribute in _DICT_ATTRIBUTES:
            return getattr(obj, attribute)  # a method (`d.get`), as Jinja finds it first
        try:
            return obj[attribute]
        except KeyError:
            pass  # Jinja's own way says what is missing
    elif kind in _KEYED and attribute not in _KEYED[kind] and not attribute.startswith("_"):
        try:
            return obj[attribute]
        except KeyError:
            pass
    return Environment.getattr(environment, obj, attribute)


def _shared_globals(
    environment: Environment, own: MutableMapping[str, Any] | None
) -> MutableMapping[str, Any]:
    """A template's globals: the environment's own dict when the template has none of its
    own (none of ours has), not Jinja's ChainMap over it. Every render copies its globals
    into a new context, and copying a ChainMap reads each of the forty-odd globals
    through Python calls: a third of a small panel's render (the channels list). The
    same dict, so a global added later is seen, as through the ChainMap."""
    if not own:
        return environment.globals
    return Environment.make_globals(environment, own)


def changes_since_last_turn(game: Mapping[str, Any]) -> dict[str, float]:
    """Net change of each subject ("support:x", "trust:a>b", "cohesion:c") in the last
    resolved turn, from the changes this viewer may see."""
    if not game["records"]:
        return {}
    totals: dict[str, float] = {}
    for change in game["records"][-1]["changes"]:
        totals[change["subject"]] = totals.get(change["subject"], 0) + change["delta"]
    return totals


# The mappings templates read by key, each with its class's attributes (`_keyed_getattr`).
_KEYED: Mapping[type, frozenset[str]] = {
    kind: frozenset(dir(kind)) for kind in (dict, LazyParts, LazyView, Later)
}
_DICT_ATTRIBUTES = _KEYED[dict]


NATION_ONLY_FRAGMENTS = ("ready", "negotiation", "agreements", "seat_notice")


RED_CELL_FRAGMENTS = ("red_cell",)


def seat_path(game_id: str, nation_id: str) -> str:
    """The address of a nation's seat page (its forms and links go under it)."""
    return f"/games/{game_id}/nations/{nation_id}"


def seat_url(game_id: str, viewer: rules.Viewer) -> str:
    """The address `viewer`'s page is served at: its seat's, or the observers' page."""
    if viewer.role in ("nation", "red_cell"):
        return seat_path(game_id, str(viewer.nation_id))
    return f"/games/{game_id}/observe"


def fragments_for(viewer: rules.Viewer) -> tuple[str, ...]:
    """The live fragments a viewer's page has: observers do not negotiate; the red cell
    has its own panel."""
    if viewer.role == "nation":
        return STATE_FRAGMENTS
    public = tuple(n for n in STATE_FRAGMENTS if n not in NATION_ONLY_FRAGMENTS)
    return (*public, *RED_CELL_FRAGMENTS) if viewer.role == "red_cell" else public


# What the red cell's panel explains of each move (app/rules/red_cell.py).
RED_MOVE_LABELS = {
    "hold": N_("Hold: no initiative this turn"),
    "escalate": N_("Escalate: a deliberate step up the ladder"),
    "probe": N_("Probe: test the coalition"),
    "signal": N_("Signal: a public statement"),
    "offer_talks": N_("Offer talks"),
    "accept_terms": N_("Accept the coalition's terms (ends the crisis)"),
}


def red_cell_context(state: rules.GameState) -> dict[str, Any]:
    """What the red cell's panel shows: the adversary it plays, the seat, its move this
    turn, the legal moves with their effect in the table's numbers, and its scorecard."""
    adversary = state.adversary()
    reaction = adversary.reaction if adversary else None
    cell = state.red_cell
    legal = {m.move for m in red_cell.legal_red_moves(state, RED_CELL_SEAT)}
    probe = reaction.probe if reaction else 0.0
    # Signed numbers, written before translation (the extractor reads literal msgids only).
    pressure, gain, loss = (f"{n:+g}" for n in (red_cell.ESCALATE_PRESSURE, probe, -probe))
    relief = f"{red_cell.TALKS_RELIEF:+g}"
    effects = {
        "hold": _("The table's answers to force, red lines, drift and chance still apply."),
        "escalate": _("%(pressure)s rung.", pressure=pressure),
        "probe": _(
            "%(gain)s per sign of weakness the coalition shows this turn (soft power only, "
            "no coalition at cohesion %(divided)s or more, nobody deterring as one); with "
            "none it is rebuffed: %(loss)s.",
            gain=gain,
            divided=reaction.divided_below if reaction else 50,
            loss=loss,
        ),
        "signal": _("No pressure: your words reach every nation when the turn resolves."),
        "offer_talks": _("%(relief)s rung: the crisis calms.", relief=relief),
        "accept_terms": _("The crisis ends with this turn: the coalition has won it."),
    }
    return {
        "name": adversary.name if adversary else _("The adversary"),
        "seat": cell.seat if cell else None,
        "move": cell.move if cell else None,
        "text": red_cell_said(cell.text) if cell else "",
        "moves": [
            {
                "move": move,
                "label": _(RED_MOVE_LABELS[move]),
                "effect": effects[move],
                "legal": move in legal,
            }
            for move in red_cell.RED_MOVES
        ],
        "reaction": reaction,
        "scorecard": red_cell.scorecard(state),
        # The adversary's moves turn by turn, newest first, each with its pressure and why.
        "history": [
            {
                "turn": record.turn,
                "moves": [
                    {"kind": m.kind, "pressure": m.pressure, "why": words(m.reason, state)}
                    for m in record.adversary
                ],
            }
            for record in reversed(state.records)
        ],
        "max_text": red_cell.MAX_RED_TEXT,
    }


# --- which panels an event can change -------------------------------------------------

ALL_PANELS = frozenset(STATE_FRAGMENTS) | frozenset(RED_CELL_FRAGMENTS)
_SEATS = frozenset({"clock", "ready", "nations"})  # who holds a seat, who is ready
_HANDED = _SEATS | {"seat_notice"}  # control gave the seat to a bot, or back
_ORDERS = frozenset({"situation", "theatre", "operations", "nations"})
_TALKS = frozenset({"negotiation", "agreements"})
_CHANNELS = frozenset({"negotiation"})  # a message or a new channel: no proposal changes

_K = rules.EventKind
# The panels each kind of event can change, for every viewer: the live pages re-render
# only these. A kind listed here with fewer than all panels must change nothing else
# (its state changes are its own: a commit that withdraws "ready" tells READY_CHANGED
# too). Rare and far-reaching kinds (the turn, deals, control) change everything.
PANELS_BY_EVENT: Mapping[rules.EventKind, frozenset[str]] = {
    _K.GAME_CREATED: ALL_PANELS,
    _K.GAME_BRANCHED: ALL_PANELS,
    _K.SEAT_JOINED: _SEATS,
    _K.SEAT_HANDED_TO_BOT: _HANDED,
    _K.SEAT_TAKEN_BACK: _HANDED,
    _K.SEAT_RELINKED: _SEATS,
    _K.READY_CHANGED: _SEATS,
    _K.UNIT_COMMITTED: _ORDERS,
    _K.UNIT_WITHDRAWN: _ORDERS,
    _K.AUTHORITY_TRANSFERRED: _ORDERS,
    _K.AUTHORITY_RECLAIMED: _ORDERS,
    _K.RED_CARD: ALL_PANELS,
    _K.MESSAGE_SENT: _CHANNELS,
    _K.CHANNEL_OPENED: _CHANNELS,
    _K.PROPOSAL_MADE: _TALKS,
    _K.PROPOSAL_COUNTERED: _TALKS,
    _K.PROPOSAL_SIGNED: ALL_PANELS,  # the last signature puts the deal in force
    _K.PROPOSAL_REJECTED: _TALKS,
    _K.PROPOSAL_WITHDRAWN: _TALKS,
    _K.AGREEMENT_SIGNED: ALL_PANELS,
    _K.COALITION_FORMED: ALL_PANELS,
    _K.COALITION_JOINED: ALL_PANELS,
    _K.COALITION_LEFT: ALL_PANELS,
    _K.COALITION_DISSOLVED: ALL_PANELS,
    _K.TURN_RESOLVED: ALL_PANELS,
    _K.PRESS_LEAK: ALL_PANELS,
    _K.LEADERSHIP_CHANGE: ALL_PANELS,
    _K.INJECT: ALL_PANELS,
    _K.CONTROL_FEEDBACK: ALL_PANELS,
    _K.CLOCK_PAUSED: ALL_PANELS,
    _K.CLOCK_RESUMED: ALL_PANELS,
    _K.PHASE_EXTENDED: ALL_PANELS,
    _K.PHASE_LENGTH_SET: ALL_PANELS,
    _K.PHASE_ENDED_BY_CONTROL: ALL_PANELS,
    _K.HOLD_SET: ALL_PANELS,
    _K.ADJUDICATION_STARTED: ALL_PANELS,
    _K.TURN_RELEASED: ALL_PANELS,
    _K.OUTCOME_OVERRIDDEN: ALL_PANELS,
    _K.FEEDBACK_WRITTEN: ALL_PANELS,
    _K.EXERCISE_ENDED: ALL_PANELS,
    _K.RED_CELL_SEATED: ALL_PANELS,  # who plays the adversary: rare, seen in many places
    _K.RED_MOVE_CHOSEN: frozenset({"red_cell", "clock"}),  # its own panel; it is ready
    _K.MANDATE_ANSWERED: ALL_PANELS,  # a coalition's mandate, on every page that shows it
    _K.UNKNOWN: ALL_PANELS,
}


def panels_touched(events: Iterable[rules.Event]) -> frozenset[str]:
    """The panels `events` can have changed; a kind missing from the table, all of them."""
    touched: set[str] = set()
    for event in events:
        touched |= PANELS_BY_EVENT.get(event.kind, ALL_PANELS)
    return frozenset(touched)


# Which of the panels an event names it changes for a viewer who cannot see the event's
# detail: another nation's orders under standard fog show only as its count of units
# committed (the nations panel); under strict fog not at all.
_ORDERS_SEEN_AS: Mapping[str, frozenset[str]] = {"standard": frozenset({"nations"})}


def panels_touched_for(
    state: rules.GameState, events: Iterable[rules.Event], viewer: rules.Viewer
) -> frozenset[str]:
    """The panels `events` can have changed on `viewer`'s page (`state`: the state after
    them): those their kinds name, less those where the viewer sees nothing of them. An
    order under fog touches only the pages of those it is private to; a message only
    those of the viewers of its channel. Every other kind is the same for every viewer."""
    touched: set[str] = set()
    for event in events:
        panels = PANELS_BY_EVENT.get(event.kind, ALL_PANELS)
        if event.kind in (_K.UNIT_COMMITTED, _K.UNIT_WITHDRAWN):
            if not _sees_order(state, event, viewer):
                panels = _ORDERS_SEEN_AS.get(state.fog, frozenset())
        elif event.kind == _K.MESSAGE_SENT:
            channel = state.channel(str(event.data.get("channel_id")))
            if channel is not None and not sees_channel(viewer, channel):
                panels = frozenset()
        touched |= panels
    return frozenset(touched)


def _sees_order(state: rules.GameState, event: rules.Event, viewer: rules.Viewer) -> bool:
    """Whether `viewer` sees more of a unit committed or withdrawn than the count of the
    units its nation committed: in open fog everyone; else control, the red cell (its
    panel reads the whole state), the unit's nation, who tasked it, and the lead of the
    coalition commanding it (its page lists the unit where it is tasked)."""
    if state.fog == "open" or viewer.role not in ("nation", "observer"):
        return True
    if viewer.nation_id is None:
        return False
    data = event.data
    parties = {event.actor, data.get("nation_id"), data.get("tasked_by")}
    transfer = state.transfer(str(data.get("unit_id")))
    coalition = state.coalition(transfer.coalition_id) if transfer is not None else None
    if coalition is not None:
        parties.add(coalition.lead)
    return viewer.nation_id in parties


# --- which panels viewers share -------------------------------------------------------

PUBLIC = rules.Viewer.observer()


def _everyone(state: rules.GameState, viewer: rules.Viewer) -> bool:
    return True


def _no_nation_page(state: rules.GameState, viewer: rules.Viewer) -> bool:
    return viewer.role in ("observer", "control")


def _no_forces_on_the_map(state: rules.GameState, viewer: rules.Viewer) -> bool:
    return _no_nation_page(state, viewer) or (
        viewer.role == "nation" and not state.commitments_of(viewer.nation_id or "")
    )


# For a panel listed here: whether `viewer` sees exactly what an observer sees in it (the
# same HTML, tested). Those viewers share one copy, rendered once per game and change from
# the observer's view, so a shared copy can hold nothing private. Every other panel (and
# every role not named, as a new one would be) is rendered for its viewer alone.
SHARED_WITH_OBSERVERS: Mapping[str, Callable[[rules.GameState, rules.Viewer], bool]] = {
    "clock": _everyone,  # turn, phase, time, escalation, who is ready: all public
    "theatre": _no_forces_on_the_map,  # a nation's page marks its own forces
    "situation": _no_nation_page,  # a nation's page shows its own situation
}
# Panels that show the time left: rendered afresh for a page's snapshot.
TIMED_PANELS = frozenset({"clock"})


def _counts_public(state: rules.GameState, viewer: rules.Viewer) -> bool:
    # Under strict fog a nation sees its own count of units committed, control all.
    return state.fog != "strict"


# For a panel listed here: whether `viewer` sees what an observer sees in it but for what
# only its own nation's page shows (its row marked, a footnote for a seat: the template's
# `only_for`). Those viewers share one copy rendered from the observers' view with those
# marks between comments, and each page's copy keeps its own nation's (`finish_marks`).
MARKED_FOR_NATIONS: Mapping[str, Callable[[rules.GameState, rules.Viewer], bool]] = {
    "nations": _counts_public,  # on an order, every page's nations table changes
}

_MARK = re.compile(r"<!--if:([^>]*)-->(.*?)<!--fi-->", re.DOTALL)


def marks_for(state: rules.GameState, viewer: rules.Viewer) -> str | None:
    """The nation whose marks `viewer`'s page keeps (its own, as `me` in its context):
    None for a page without a nation."""
    nation_id = viewer.nation_id if viewer.role == "nation" else None
    return nation_id if nation_id and state.nation(nation_id) is not None else None


MarkedPieces = tuple[list[str], dict[str, list[tuple[int, str]]]]


def marked_pieces(html: str) -> MarkedPieces:
    """A marked copy cut at its marks, for `finish_marks`: its text with an empty slot
    where each mark is (the page of no nation), and by nation ("*": every nation's) the
    slot of each of its marks with what the mark holds."""
    pieces = _MARK.split(html)  # text, then each mark's nation, what it holds, the text after
    texts = [pieces[0]]
    slots: dict[str, list[tuple[int, str]]] = {}
    for at in range(1, len(pieces), 3):
        slots.setdefault(pieces[at], []).append((len(texts), pieces[at + 1]))
        texts += ("", pieces[at + 2])
    return texts, slots


def finish_marks(html: str, nation_id: str | None, pieces: MarkedPieces | None = None) -> str:
    """A marked copy as the page of `nation_id` shows it: the marks for that nation and
    for every nation's page ("*") kept, every other dropped. `pieces`: the copy's
    `marked_pieces`, cut once for every page (a regex's pass over the whole panel for
    each page cost the nations table a third of its time)."""
    texts, slots = marked_pieces(html) if pieces is None else pieces
    if nation_id is None:
        return "".join(texts)
    page = texts.copy()  # the kept pieces stay as they are for the other pages
    for slot, held in chain(slots.get("*", ()), slots.get(nation_id, ())):
        page[slot] = held
    return "".join(page)


def feed_entries(
    state: rules.GameState,
    events: list[LoggedEvent],
    viewer: rules.Viewer,
    say: Callable[[Reason, rules.GameState], str] = words,
) -> list[dict[str, Any]]:
    """The viewer's feed entries for `events`, newest first (their lines worded by `say`)."""
    entries = []
    for logged in reversed(events):
        seen = rules.view_event(state, logged.event, viewer, say)
        if seen is not None:
            entries.append({"seq": logged.seq, "turn": logged.turn, **seen})
    return entries


# The parts of a page's context that cost work of their own, each computed for a live panel
# only if its templates use it (by name: a part is one variable of the context).
CONTEXT_PARTS = ("legal", "red", "talks")


def names_used(environment: Environment, template: str) -> frozenset[str]:
    """The context variables `template` reads, with those of every template it imports
    or includes (they see its context)."""
    seen: set[str] = set()
    used: set[str] = set()
    waiting = [template]
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        assert environment.loader is not None
        source, _, _ = environment.loader.get_source(environment, name)
        tree = environment.parse(source)
        used |= meta.find_undeclared_variables(tree)
        waiting.extend(n for n in meta.find_referenced_templates(tree) if n is not None)
    return frozenset(used)


def _remaining(deadline: float | None, now: float | None = None) -> int | None:
    """Whole seconds left before `deadline` (None: no clock running)."""
    now = time.time() if now is None else now
    return None if deadline is None else max(0, round(deadline - now))


class PageRenderer:
    """Renders a game for one viewer: the page, and the fragments of the live feed.

    Live panels are cached per game, seq and sight (a viewer's key, or the observers' for
    a panel shared with them), so a change renders each distinct panel once however many
    pages show it, and the pages' sockets hold one shared copy of its HTML."""

    def __init__(
        self,
        templates: Jinja2Templates,
        *,
        cache_size: int = 1024,
        texts: Callable[[str], ScenarioTexts] | None = None,
    ) -> None:
        self.templates = templates
        # A game's scenario texts in every language it has (GameService.scenario_texts).
        self.texts = texts
        self._panels = LRU(cache_size)
        self._contexts = LRU(8)  # views of the latest seqs: each holds a whole view
        # Feed lines of the latest seqs (`_line`), refusals and leaving's costs in words.
        self._lines = LRU(512)
        self._panel_parts: dict[str, tuple[str, ...]] = {}
        self._marks = LRU(16)  # the marked copies of the latest changes, cut at their marks
        # Each template by name, unless they are reloaded: Jinja's own lookup (its cache's
        # lock, the globals' check) cost a panel 6% of its rendering.
        self._templates: dict[str, Template] = {}
        # Pages that list games (control's home, the join sheet, the library) name each.
        templates.env.globals["game_title"] = self.title_of
        templates.env.globals["nation_called"] = self.nation_name_of

    def _scenario_texts(self, game_id: str) -> ScenarioTexts | None:
        if self.texts is None or i18n.current_language() == i18n.DEFAULT_LANGUAGE:
            return None
        try:
            return self.texts(game_id)
        except NotFound:  # a game made without a stored scenario (tests): its own texts
            return None

    def local_state(self, game_id: str, state: rules.GameState) -> rules.GameState:
        """`state` with its scenario's texts in the reader's language (names, briefs,
        objectives, events); the rules' views then decide what of it the viewer sees."""
        texts = self._scenario_texts(game_id)
        return state if texts is None else texts.state_in(state, i18n.current_language())

    def feed_of(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[dict[str, Any]]:
        """The viewer's feed entries for `events`, in the reader's language."""
        texts = self._scenario_texts(snapshot.game_id)
        say = functools.partial(self._line, snapshot.game_id, snapshot.seq)
        if texts is None:
            return feed_entries(snapshot.state, events, viewer, say)
        language = i18n.current_language()
        return feed_entries(
            texts.state_in(snapshot.state, language),
            [replace(e, event=texts.event_in(e.event, language)) for e in events],
            viewer,
            say,
        )

    def _line(self, game_id: str, seq: int, line: Reason, state: rules.GameState) -> str:
        """`words(line, state)`, `state` being the game's at `seq` (in the reader's
        language): kept, as every page that sees an event reads the same line for it
        (a public message's, most orders'), which each worded anew."""
        params = i18n.text_key(line.params)
        if params is None:
            return words(line, state)
        language = i18n.current_language()
        key = ("line", game_id, seq, language, line.code, params)
        text: str | None = self._lines.get(key)
        if text is None:
            # The same line at another seq reads the same while the parts of the state its
            # words name things from (`name_of`, the feed's `who` and specs, a unit's name,
            # a standard's) are the very same objects, as an order or a message leaves
            # them: worded once, not once per change (the entry holds them, so their ids
            # are not reused).
            named: tuple[Any, ...] = (state.nations, state.operations, state.coalitions)
            named += (state.actors, state.channels, state.standards)
            by_names = ("line-named", language, line.code, params, *map(id, named))
            kept: tuple[Any, ...] | None = self._lines.get(by_names)
            if kept is None:
                kept = (*named, words(line, state))
                self._lines.put(by_names, kept)
            text = kept[-1]
            self._lines.put(key, text)
        return text

    def game_name(self, snapshot: Snapshot) -> str:
        """The game's name: a game named after its scenario (as most are) is named as the
        scenario is in the reader's language; a name control gave it is its own."""
        return self.title_of(snapshot.game_id, snapshot.name)

    def title_of(self, game_id: str, name: str) -> str:
        """`name`, the game's or its scenario's as stored, in the reader's language
        (`ScenarioTexts.title`)."""
        texts = self._scenario_texts(game_id)
        return name if texts is None else texts.title(name, i18n.current_language())

    def nation_name_of(self, game_id: str, nation_id: str, name: str) -> str:
        """A nation's `name` as stored with the game (its seats), in the reader's language."""
        texts = self._scenario_texts(game_id)
        if texts is None:
            return name
        return texts.nation_name(nation_id, name, i18n.current_language())

    def context(
        self, snapshot: Snapshot, viewer: rules.Viewer, now: float | None = None
    ) -> dict[str, Any]:
        """Everything a page of `viewer` shows: the live panels' context and more."""
        snapshot = self.localised(snapshot)
        context = self._base_context(snapshot, viewer, now)
        for part in CONTEXT_PARTS:
            context.update(self._context_part(part, snapshot, viewer, context))
        return context

    def localised(self, snapshot: Snapshot) -> Snapshot:
        """`snapshot` with its state in the reader's language (`local_state`)."""
        state = self.local_state(snapshot.game_id, snapshot.state)
        return snapshot if state is snapshot.state else replace(snapshot, state=state)

    def _base_context(
        self,
        snapshot: Snapshot,
        viewer: rules.Viewer,
        now: float | None = None,
        *,
        lazy: bool = False,
    ) -> dict[str, Any]:
        """The context every live panel reads (of a `localised` snapshot). `lazy`: the
        view's parts, the viewer's own nation and last turn's changes computed only when
        a panel reads them (a live panel reads a few: the talks need no scorecard)."""
        state = snapshot.state
        game: Mapping[str, Any] = LazyView(state, viewer) if lazy else rules.view(state, viewer)
        deadline = game["deadline"]
        # Every nation and operation is in every view, under its name: read from the state
        # (the view's lists cost a panel that shows neither, as the channels list).
        names = {n.id: n.name for n in state.nations}
        me: Mapping[str, Any] | None = None if lazy else game["me"]
        if lazy and viewer.role == "nation" and viewer.nation_id and state.nation(viewer.nation_id):
            me = Later(lambda: game["me"])  # the view has its nation's whole dict, never None
        changes: Mapping[str, float] = (
            Later(lambda: changes_since_last_turn(game)) if lazy else changes_since_last_turn(game)
        )
        return {
            "game_id": snapshot.game_id,
            "seat_url": seat_url(snapshot.game_id, viewer),
            "game_name": self.game_name(snapshot),
            "seq": snapshot.seq,
            "game": game,
            "me": me,
            "nation_names": names,
            "operation_names": {o.id: o.name for o in state.operations},
            "remaining": _remaining(deadline, now),
            "changes_since": changes,
            "defection_threshold": snapshot.state.defection_threshold,
            "leadership_threshold": snapshot.state.leadership_threshold,
        }

    def _context_part(
        self, part: str, snapshot: Snapshot, viewer: rules.Viewer, base: dict[str, Any]
    ) -> dict[str, Any]:
        """One of the CONTEXT_PARTS: each costs work of its own (legal actions, the
        negotiation panel), so a live panel that does not show it does not compute it."""
        state = snapshot.state
        if part == "legal":
            return {"legal": self._legal(state, viewer)}
        if part == "red":
            return {"red": red_cell_context(state) if viewer.role == "red_cell" else None}
        return talks_context(state, viewer, base["game"])  # the negotiation panel

    def _legal(self, state: rules.GameState, viewer: rules.Viewer) -> dict[str, Any]:
        """What the page offers, from `legal_actions` only (the rules decide, not the
        page): unit choices per operation, per-unit command actions, and for an
        operation with no choice the rules' reason in words."""
        commit: dict[str, list[str]] = {}
        blocked: dict[str, str] = {}
        unit_actions: dict[str, list[dict[str, str]]] = {}
        # Per coalition this nation leads: the councils it may ask for a mandate now.
        mandates: dict[str, list[dict[str, str]]] = {}
        # Per coalition it may leave now: what leaving would do, said before it is done.
        leave: dict[str, list[str]] = {}
        legal = {
            "commit": commit,
            "blocked": blocked,
            "unit_actions": unit_actions,
            "mandates": mandates,
            "leave": leave,
        }
        nation = state.nation(viewer.nation_id) if viewer.nation_id else None
        if viewer.role != "nation" or nation is None:
            return legal
        # Only the kinds read below: the canonical proposals alone cost as much to check.
        kinds = (
            RequestMandate.kind,
            rules.LeaveCoalition.kind,
            rules.CommitUnit.kind,
            rules.TransferAuthority.kind,
            rules.ReclaimUnit.kind,
            rules.RedCard.kind,
        )
        labels: dict[str, str] = {}  # the transfer's words, once per coalition
        for action in rules.legal_actions(state, nation.id, kinds):
            if isinstance(action, rules.CommitUnit):  # the most of them: first
                commit.setdefault(action.operation_id, []).append(action.unit_id)
            elif isinstance(action, rules.TransferAuthority):
                label = labels.get(action.coalition_id)
                if label is None:
                    coalition = state.coalition(action.coalition_id)
                    label = labels[action.coalition_id] = (
                        _("Place under %(coalition)s command", coalition=coalition.name)
                        if coalition
                        else _("Place under coalition command")
                    )
                unit_actions.setdefault(action.unit_id, []).append(
                    {"kind": "transfer", "coalition_id": action.coalition_id, "label": label}
                )
            elif isinstance(action, RequestMandate):
                council = state.actor(action.actor_id)
                mandates.setdefault(action.coalition_id, []).append(
                    {"actor_id": action.actor_id, "name": council.name if council else ""}
                )
            elif isinstance(action, rules.LeaveCoalition):
                costs = diplomacy.leaving_costs(state, nation.id, action.coalition_id)
                leave[action.coalition_id] = self._leaving_words(costs, state)
            elif isinstance(action, rules.ReclaimUnit):
                unit_actions.setdefault(action.unit_id, []).append(
                    {"kind": "reclaim", "label": _("Take back under national command")}
                )
            elif isinstance(action, rules.RedCard):
                unit_actions.setdefault(action.unit_id, []).append(
                    {"kind": "red_card", "label": _("Red card: refuse this tasking")}
                )
        free = [u for u in nation.units if state.commitment(u.id) is None]
        for operation in state.operations:
            if operation.id in commit:
                continue
            if not free:
                blocked[operation.id] = _("All your units are committed.")
                continue
            # The rejection `apply` would give (it checks before it applies).
            refused = rules.check(state, nation, rules.CommitUnit(free[0].id, operation.id))
            if refused is not None:
                blocked[operation.id] = self._refusal(refused)
        return legal

    def _leaving_words(self, costs: tuple[Reason, ...], state: rules.GameState) -> list[str]:
        """`costs` (`leaving_costs`) in words, kept while they and the parts of `state`
        their names come from (`name_of`) are the very same objects, as the rules keep
        `costs` across orders; the entry holds them, so their ids are not reused."""
        named = (costs, state.nations, state.operations, state.coalitions, state.actors)
        key = ("leaving", i18n.current_language(), *map(id, named))
        kept: tuple[Any, ...] | None = self._lines.get(key)
        if kept is None:
            kept = (*named, tuple(words(reason, state) for reason in costs))
            self._lines.put(key, kept)
        said: tuple[str, ...] = kept[-1]
        return list(said)  # the page's own list: the kept words stay as they are

    def _refusal(self, refused: rules.Rejection) -> str:
        """`refused.message`, kept: worded from its reason alone (its names are in its
        parameters), so the same refusal reads the same on every page and after every
        order, which each worded anew (an operation not yet open, a caveat)."""
        params = i18n.text_key(refused.reason.params)
        if params is None:
            return refused.message
        key = ("refusal", i18n.current_language(), refused.reason.code, params)
        text: str | None = self._lines.get(key)
        if text is None:
            text = refused.message
            self._lines.put(key, text)
        return text

    def template(self, name: str) -> Template:
        """The template `name`, kept once loaded when templates are not reloaded (there
        are as many as the templates directory holds)."""
        template = self._templates.get(name)
        if template is None:
            template = self.templates.get_template(name)
            if not self.templates.env.auto_reload:
                self._templates[name] = template
        return template

    def fragment(self, name: str, context: dict[str, Any], *, oob: bool) -> str:
        template = self.template(f"fragments/{name}.html")
        return template.render({**context, "oob": oob})

    def feed(self, entries: list[dict[str, Any]], *, mode: str) -> str:
        """The feed's entries as the page adds them: rendered once for every page that
        gets the same lines (a public message, most orders), by what the template reads."""
        read = tuple((e["seq"], e["kind"], e["turn"], e.get("private"), e["text"]) for e in entries)
        key = ("feed", mode, i18n.current_language(), read)
        html: str | None = self._panels.get(key)
        if html is None:
            template = self.template("fragments/feed.html")
            html = template.render({"entries": entries, "mode": mode})
            self._panels.put(key, html)
        return html

    def sight(self, state: rules.GameState, name: str, viewer: rules.Viewer) -> rules.Viewer:
        """Whose view `viewer`'s copy of panel `name` is rendered from: the observers' if
        it is the same for this viewer, else the viewer's own."""
        shared = SHARED_WITH_OBSERVERS.get(name)
        return PUBLIC if shared is not None and shared(state, viewer) else viewer

    def _context(self, snapshot: Snapshot, viewer: rules.Viewer, panel: str) -> dict[str, Any]:
        """The context panel `panel` needs: one view per game, seq and viewer, with only
        the parts the panel's templates use (the rest is computed when a panel needs it)."""
        key = (snapshot.game_id, snapshot.seq, viewer.key, i18n.current_language())
        context: dict[str, Any] | None = self._contexts.get(key)
        missing = [part for part in self._parts_for(panel) if not context or part not in context]
        if context is not None and not missing:
            return context
        local = self.localised(snapshot)
        # A new dict, not an update: another thread may be rendering from this one.
        context = (
            dict(context) if context is not None else self._base_context(local, viewer, lazy=True)
        )
        for part in missing:
            context.update(self._context_part(part, local, viewer, context))
        self._contexts.put(key, context)
        return context

    def _parts_for(self, panel: str) -> tuple[str, ...]:
        parts = self._panel_parts.get(panel)
        if parts is None:
            used = names_used(self.templates.env, f"fragments/{panel}.html")
            parts = tuple(part for part in CONTEXT_PARTS if part in used)
            self._panel_parts[panel] = parts
        return parts

    def panels(
        self,
        snapshot: Snapshot,
        viewer: rules.Viewer,
        names: Iterable[str] | None = None,
        *,
        fresh: frozenset[str] = frozenset(),
    ) -> list[Fragment]:
        """The live panels `names` (default: all the viewer's page has), each rendered once
        per game, seq and sight; those in `fresh` rendered now (they show the time)."""
        wanted = set(fragments_for(viewer) if names is None else names)
        fragments = []
        for name in fragments_for(viewer):  # in page order
            if name not in wanted:
                continue
            marked = MARKED_FOR_NATIONS.get(name)
            if marked is not None and marked(snapshot.state, viewer):
                html = self._marked_panel(snapshot, name, viewer, fresh=name in fresh)
            else:
                sight = self.sight(snapshot.state, name, viewer)
                html = self._panel(snapshot, name, sight, sight.key, fresh=name in fresh)
            fragments.append(Fragment(html, panel=name))
        return fragments

    def _panel(
        self,
        snapshot: Snapshot,
        name: str,
        sight: rules.Viewer,
        copy: str,
        *,
        fresh: bool = False,
        extra: Mapping[str, Any] | None = None,
    ) -> str:
        """Panel `name` from `sight`'s view, kept per game, seq, `copy` and language."""
        key = (snapshot.game_id, snapshot.seq, name, copy, i18n.current_language())
        cached: str | None = self._panels.get(key)
        html = cached
        if html is None or fresh:
            context = self._context(snapshot, sight, name)
            if fresh:
                context = {**context, "remaining": _remaining(context["game"]["deadline"])}
            if extra:
                context = {**context, **extra}
            html = self.fragment(name, context, oob=True)
            if html == cached:
                html = cached  # the pages keep one copy, not one each
            else:
                self._panels.put(key, html)
        return html

    def _marked_panel(
        self, snapshot: Snapshot, name: str, viewer: rules.Viewer, *, fresh: bool = False
    ) -> str:
        """A MARKED_FOR_NATIONS panel: the observers' copy with every nation's marks,
        rendered once, then as `viewer`'s page shows it (kept once per nation)."""
        marked = self._panel(snapshot, name, PUBLIC, "marked", fresh=fresh, extra={"marks": True})
        nation_id = marks_for(snapshot.state, viewer)
        key = (snapshot.game_id, snapshot.seq, name, ("marks", nation_id), i18n.current_language())
        cached: str | None = self._panels.get(key)
        if cached is not None and not fresh:
            return cached
        # Its pieces kept by the copy itself (a string's hash is kept with it, so the
        # copy the panels' cache holds is found at once): cut once for every page.
        pieces: MarkedPieces | None = self._marks.get((marked,))
        if pieces is None:
            pieces = marked_pieces(marked)
            self._marks.put((marked,), pieces)
        html = finish_marks(marked, nation_id, pieces)
        if html == cached:
            return cached
        self._panels.put(key, html)
        return html

    # FragmentRenderer (app.realtime.hub)
    def full(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        feed = self.feed(self.feed_of(snapshot, events, viewer), mode="replace")
        return [
            *self.panels(snapshot, viewer, fresh=TIMED_PANELS),
            Fragment(feed),
            Fragment(self.connection_status("live")),
        ]

    def delta(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        touched = panels_touched_for(snapshot.state, (e.event for e in events), viewer)
        lines = self.channel_lines(snapshot, events, viewer) if "negotiation" in touched else None
        if lines is not None:
            fragments = [*self.panels(snapshot, viewer, touched - {"negotiation"}), *lines]
        else:
            fragments = self.panels(snapshot, viewer, touched)
        entries = self.feed_of(snapshot, events, viewer)
        if entries:
            fragments.append(Fragment(self.feed(entries, mode="prepend")))
        if any(e.event.kind == rules.EventKind.TURN_RESOLVED for e in events):
            # Last turn's "Orders confirmed." would mislead in the new turn.
            fragments.append(Fragment(self.order_status(None, "")))
        return fragments

    def channel_lines(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment] | None:
        """For a change of messages alone, in channels that were there before it: the
        lines of their channels `viewer`'s page lists (a message changes its channel's
        count, nothing else of the list), each to replace its own. None for any other
        change (a channel opened, a member added: the whole list)."""
        if any(e.event.kind != _K.MESSAGE_SENT for e in events):
            return None
        wanted: list[str] = []
        for logged in events:
            channel_id = str(logged.event.data.get("channel_id"))
            channel = snapshot.state.channel(channel_id)
            if channel is None:
                return None
            if sees_channel(viewer, channel) and channel_id not in wanted:
                wanted.append(channel_id)
        me = viewer.nation_id if viewer.role == "nation" else None
        if me is None:
            return None  # no channels list of its own (`talks_context`): as any change
        if not wanted or "negotiation" not in fragments_for(viewer):
            return []
        # Those lines alone, as the whole list has them (`talks_context`), not the page's
        # whole context: building that for each page cost more than the rest of a message.
        state = self.localised(snapshot).state
        seen = []
        for channel_id in wanted:
            channel = state.channel(channel_id)
            assert channel is not None  # the scenario's texts rename, never remove
            seen.append(rules.channel_view(state, channel, viewer))
        template = self.template("talks/channel_line.html")
        line: Callable[..., str] = template.module.channel_line  # type: ignore[attr-defined]
        url = seat_url(snapshot.game_id, viewer)
        return [
            Fragment(str(line(c, url, True)), patches="negotiation")
            for c in channel_lines(seen, state, me)
        ]

    def order_status(self, ok: bool | None, message: str, *, oob: bool = True) -> str:
        template = self.template("fragments/order_status.html")
        return template.render({"ok": ok, "message": message, "oob": oob})

    def commit_answer(
        self,
        *,
        operation: str = "",
        committed: list[str] | None = None,
        refusals: list[tuple[str, str]] | None = None,
        reopened: bool = False,
    ) -> str:
        """The commit form's answer, shown in its card: the units committed, and each
        refused unit (or the form, for an empty name) with the rules' reason."""
        template = self.template("fragments/commit_answer.html")
        return template.render(
            {
                "operation": operation,
                "committed": committed or [],
                "refusals": refusals or [],
                "reopened": reopened,
            }
        )

    def error(self, message: str) -> str:
        return self.connection_status("error", message)

    def revoked(self) -> str:
        return self.template("fragments/revoked.html").render({})

    def connection_status(self, status: str, message: str = "") -> str:
        template = self.template("fragments/connection.html")
        return template.render({"status": status, "message": message, "oob": True})
