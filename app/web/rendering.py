"""Jinja2 rendering of pages and of the live fragments pushed over websockets.

Everything a template receives comes from `rules.view` / `rules.view_event` for the
viewer, so a fragment can only ever contain what that viewer may see.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app import rules
from app.config import PROJECT_ROOT
from app.realtime.hub import Fragment
from app.rules.reasons import Reason
from app.rules.resolution import LIFT_FREE, LIFT_RATIO, RESULTS_TABLE
from app.rules.resolution.tuning import MIN_CAPABILITY_MATCH, MIN_FORCE_RATIO
from app.rules.text import printable
from app.rules.wording import words
from app.services.game_results import LoggedEvent, Snapshot
from app.web.talks import talks_context

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATE_FRAGMENTS = (
    "clock",
    "situation",
    "theatre",
    "operations",
    "nations",
    "negotiation",
    "results",
)

CAPABILITY_LABELS = {
    "land": "Land",
    "air": "Air",
    "maritime": "Maritime",
    "lift": "Strategic lift",
    "isr": "ISR",
    "special_forces": "Special forces",
    "medical": "Medical",
    "engineers": "Engineers",
    "cyber": "Cyber",
}


MANDATE_LABELS = {"un": "UN Security Council", "regional": "regional organisation", "none": "none"}


def signed(change: float) -> str:
    """A change as it moved: whole points as "+3", fractions as "+0.25" (never rounded
    away: a quarter of a rung of pressure is shown, not hidden)."""
    if abs(change - round(change)) < 1e-9:
        return f"{round(change):+d}"
    return f"{change:+.3f}".rstrip("0")


def delta_badge(change: float | None, title: str = "since last turn") -> Markup:
    """A small signed badge for what a number did (nothing if it did not move)."""
    if not change or abs(change) < 0.001:  # a marker, not a change (a threshold crossed)
        return Markup("")
    kind = "up" if change > 0 else "down"
    return Markup('<span class="delta delta-{}" title="{}">{}</span>').format(
        kind, title, signed(change)
    )


def subject_label(subject: str, nation_names: dict[str, str], game: dict[str, Any]) -> str:
    """A change's subject in words: "support:arvenia" -> "Arvenia's domestic support"."""
    kind, _, target = subject.partition(":")
    coalitions = {c["id"]: c["name"] for c in game.get("coalitions", [])}
    operations = {o["id"]: o["name"] for o in game.get("operations", [])}
    actors = {a["id"]: a["name"] for a in game.get("actors", [])}

    def name(nation_id: str) -> str:
        return "everyone" if nation_id == "*" else nation_names.get(nation_id, nation_id)

    if kind == "trust" and "<>" in target:  # as games recorded it before pairs
        a, b = target.split("<>", 1)
        return f"trust between {name(a)} and {name(b)}"
    if kind == "trust" and ">" in target:
        truster, trusted = target.split(">", 1)
        return f"{name(truster)}'s trust in {name(trusted)}"
    labels: dict[str, Callable[[str], str]] = {
        "support": lambda t: f"{name(t)}'s domestic support",
        "budget": lambda t: f"{name(t)}'s budget",
        "cohesion": lambda t: f"cohesion of {coalitions.get(t, t)}",
        "operation": lambda t: operations.get(t, t),
        "difficulty": lambda t: f"difficulty of {operations.get(t, t)}",
        "attitude": lambda t: f"attitude of {actors.get(t, t.replace('-', ' '))}",
        "trust": lambda t: f"trust ({operations.get(t, t)})",
        "caveat": lambda t: f"{name(t)}'s caveats",
        "leader": lambda t: f"{name(t)}'s government",
        "mandate": lambda t: f"mandate of {coalitions.get(t, t)}",
    }
    if kind in labels:
        return labels[kind](target)
    return subject.replace("_", " ").capitalize()


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
            names = [nation_names.get(n, n) for n in nations]
            among = ", ".join(names[:-1]) + " and " + names[-1]
            return f"trust {'between' if len(names) == 2 else 'among'} {among}"
    return "; ".join(subject_label(s, nation_names, game) for s in subjects)


def printable_output(value: Any) -> Any:
    """Every `{{ ... }}` passes through here: text stored before the boundary checks (or
    any other way) with a character UTF-8 cannot carry must not take a page down."""
    if isinstance(value, Markup):
        return Markup(printable(str(value)))
    if isinstance(value, str):
        return printable(value)
    return value


def in_words(reason: Reason | str, state: rules.GameState | None = None) -> str:
    """A reason (or a bare code, as a factor's name) in words, for a page that holds the
    rules' records rather than a view (control's console)."""
    return words(reason if isinstance(reason, Reason) else Reason(reason), state)


def make_templates(directory: Path = TEMPLATES_DIR, *, reload: bool = False) -> Jinja2Templates:
    """The page templates, each compiled once and kept (Jinja's cache holds 400, the
    directory far fewer). Only with `reload` (ENTENTE_RELOAD_TEMPLATES, while editing
    them) does each use check its file's modification time: under load that check
    cost 7.6% of the server's time."""
    templates = Jinja2Templates(directory=str(directory))
    templates.env.auto_reload = reload
    templates.env.finalize = printable_output
    templates.env.globals["capability_label"] = lambda c: CAPABILITY_LABELS.get(c, c)
    templates.env.globals["mandate_label"] = lambda m: MANDATE_LABELS.get(m, m)
    templates.env.globals["delta_badge"] = delta_badge
    templates.env.globals["subject_label"] = subject_label
    templates.env.globals["change_line_label"] = change_line_label
    templates.env.filters["signed"] = signed
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


def changes_since_last_turn(game: dict[str, Any]) -> dict[str, float]:
    """Net change of each subject ("support:x", "trust:a>b", "cohesion:c") in the last
    resolved turn, from the changes this viewer may see."""
    if not game["records"]:
        return {}
    totals: dict[str, float] = {}
    for change in game["records"][-1]["changes"]:
        totals[change["subject"]] = totals.get(change["subject"], 0) + change["delta"]
    return totals


NATION_ONLY_FRAGMENTS = ("negotiation",)


def fragments_for(viewer: rules.Viewer) -> tuple[str, ...]:
    """The live fragments a viewer's page has: observers do not negotiate."""
    if viewer.role == "nation":
        return STATE_FRAGMENTS
    return tuple(n for n in STATE_FRAGMENTS if n not in NATION_ONLY_FRAGMENTS)


def feed_entries(
    state: rules.GameState, events: list[LoggedEvent], viewer: rules.Viewer
) -> list[dict[str, Any]]:
    """The viewer's feed entries for `events`, newest first."""
    entries = []
    for logged in reversed(events):
        seen = rules.view_event(state, logged.event, viewer)
        if seen is not None:
            entries.append({"seq": logged.seq, "turn": logged.turn, **seen})
    return entries


class PageRenderer:
    """Renders a game for one viewer: the page, and the fragments of the live feed."""

    def __init__(self, templates: Jinja2Templates) -> None:
        self.templates = templates

    def context(
        self, snapshot: Snapshot, viewer: rules.Viewer, now: float | None = None
    ) -> dict[str, Any]:
        now = time.time() if now is None else now
        game = rules.view(snapshot.state, viewer)
        deadline = game["deadline"]
        names = {n["id"]: n["name"] for n in game["nations"]}
        return {
            "game_id": snapshot.game_id,
            "seat_url": (
                f"/games/{snapshot.game_id}/nations/{viewer.nation_id}"
                if viewer.role == "nation"
                else f"/games/{snapshot.game_id}/observe"
            ),
            "game_name": snapshot.name,
            "seq": snapshot.seq,
            "game": game,
            "me": game["me"],
            "nation_names": names,
            "operation_names": {o["id"]: o["name"] for o in game["operations"]},
            "remaining": None if deadline is None else max(0, round(deadline - now)),
            "legal": self._legal(snapshot.state, viewer),
            "changes_since": changes_since_last_turn(game),
            "defection_threshold": snapshot.state.defection_threshold,
            **talks_context(snapshot.state, viewer, game),  # the negotiation panel
        }

    def _legal(self, state: rules.GameState, viewer: rules.Viewer) -> dict[str, Any]:
        """What the page offers, from `legal_actions` only (the rules decide, not the
        page): unit choices per operation, per-unit command actions, and for an
        operation with no choice the rules' reason in words."""
        commit: dict[str, list[str]] = {}
        blocked: dict[str, str] = {}
        unit_actions: dict[str, list[dict[str, str]]] = {}
        nation = state.nation(viewer.nation_id) if viewer.nation_id else None
        if viewer.role != "nation" or nation is None:
            return {"commit": commit, "blocked": blocked, "unit_actions": unit_actions}
        for action in rules.legal_actions(state, nation.id):
            if isinstance(action, rules.CommitUnit):
                commit.setdefault(action.operation_id, []).append(action.unit_id)
            elif isinstance(action, rules.TransferAuthority):
                coalition = state.coalition(action.coalition_id)
                label = f"Place under {coalition.name if coalition else 'coalition'} command"
                unit_actions.setdefault(action.unit_id, []).append(
                    {"kind": "transfer", "coalition_id": action.coalition_id, "label": label}
                )
            elif isinstance(action, rules.ReclaimUnit):
                unit_actions.setdefault(action.unit_id, []).append(
                    {"kind": "reclaim", "label": "Take back under national command"}
                )
            elif isinstance(action, rules.RedCard):
                unit_actions.setdefault(action.unit_id, []).append(
                    {"kind": "red_card", "label": "Red card: refuse this tasking"}
                )
        free = [u for u in nation.units if state.commitment(u.id) is None]
        for operation in state.operations:
            if operation.id in commit:
                continue
            if not free:
                blocked[operation.id] = "All your units are committed."
                continue
            refused = rules.apply(state, nation.id, rules.CommitUnit(free[0].id, operation.id))
            if isinstance(refused, rules.Rejection):
                blocked[operation.id] = refused.message
        return {"commit": commit, "blocked": blocked, "unit_actions": unit_actions}

    def fragment(self, name: str, context: dict[str, Any], *, oob: bool) -> str:
        template = self.templates.get_template(f"fragments/{name}.html")
        return template.render({**context, "oob": oob})

    def feed(self, entries: list[dict[str, Any]], *, mode: str) -> str:
        template = self.templates.get_template("fragments/feed.html")
        return template.render({"entries": entries, "mode": mode})

    def panels(self, snapshot: Snapshot, viewer: rules.Viewer) -> list[Fragment]:
        context = self.context(snapshot, viewer)
        return [
            Fragment(self.fragment(name, context, oob=True), panel=name)
            for name in fragments_for(viewer)
        ]

    # FragmentRenderer (app.realtime.hub)
    def full(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        feed = self.feed(feed_entries(snapshot.state, events, viewer), mode="replace")
        return [
            *self.panels(snapshot, viewer),
            Fragment(feed),
            Fragment(self.connection_status("live")),
        ]

    def delta(
        self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer
    ) -> list[Fragment]:
        fragments = self.panels(snapshot, viewer)
        entries = feed_entries(snapshot.state, events, viewer)
        if entries:
            fragments.append(Fragment(self.feed(entries, mode="prepend")))
        if any(e.event.kind == rules.EventKind.TURN_RESOLVED for e in events):
            # Last turn's "Orders confirmed." would mislead in the new turn.
            fragments.append(Fragment(self.order_status(None, "")))
        return fragments

    def order_status(self, ok: bool | None, message: str, *, oob: bool = True) -> str:
        template = self.templates.get_template("fragments/order_status.html")
        return template.render({"ok": ok, "message": message, "oob": oob})

    def error(self, message: str) -> str:
        return self.connection_status("error", message)

    def revoked(self) -> str:
        return self.templates.get_template("fragments/revoked.html").render({})

    def connection_status(self, status: str, message: str = "") -> str:
        template = self.templates.get_template("fragments/connection.html")
        return template.render({"status": status, "message": message, "oob": True})
