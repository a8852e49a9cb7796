"""Jinja2 rendering of pages and of the live fragments pushed over websockets.

Everything a template receives comes from `rules.view` / `rules.view_event` for the
viewer, so a fragment can only ever contain what that viewer may see.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates

from app import rules
from app.config import PROJECT_ROOT
from app.services.games import LoggedEvent, Snapshot

TEMPLATES_DIR = PROJECT_ROOT / "templates"
STATE_FRAGMENTS = ("clock", "situation", "operations", "nations", "negotiation", "results")

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


def make_templates(directory: Path = TEMPLATES_DIR) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(directory))
    templates.env.globals["capability_label"] = lambda c: CAPABILITY_LABELS.get(c, c)
    templates.env.filters["pct"] = lambda v: f"{float(v):.0%}"
    templates.env.filters["num"] = lambda v: f"{float(v):.2f}"
    return templates


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
            "seat_url": f"/games/{snapshot.game_id}/nations/{viewer.nation_id}",
            "game_name": snapshot.name,
            "seq": snapshot.seq,
            "game": game,
            "me": game["me"],
            "nation_names": names,
            "operation_names": {o["id"]: o["name"] for o in game["operations"]},
            "remaining": None if deadline is None else max(0, round(deadline - now)),
            "legal": self._legal(snapshot.state, viewer),
        }

    def _legal(self, state: rules.GameState, viewer: rules.Viewer) -> dict[str, Any]:
        """Unit choices per operation: only legal ones (the rules decide, not the page),
        and for an operation with none, the rules' reason in words."""
        commit: dict[str, list[str]] = {}
        blocked: dict[str, str] = {}
        nation = state.nation(viewer.nation_id) if viewer.nation_id else None
        if viewer.role != "nation" or nation is None:
            return {"commit": commit, "blocked": blocked}
        for action in rules.legal_actions(state, nation.id):
            if isinstance(action, rules.CommitUnit):
                commit.setdefault(action.operation_id, []).append(action.unit_id)
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
        return {"commit": commit, "blocked": blocked}

    def fragment(self, name: str, context: dict[str, Any], *, oob: bool) -> str:
        template = self.templates.get_template(f"fragments/{name}.html")
        return template.render({**context, "oob": oob})

    def feed(self, entries: list[dict[str, Any]], *, mode: str) -> str:
        template = self.templates.get_template("fragments/feed.html")
        return template.render({"entries": entries, "mode": mode})

    # FragmentRenderer (app.realtime.hub)
    def full(self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer) -> str:
        context = self.context(snapshot, viewer)
        parts = [self.fragment(name, context, oob=True) for name in STATE_FRAGMENTS]
        parts.append(self.feed(feed_entries(snapshot.state, events, viewer), mode="replace"))
        parts.append(self.connection_status("live"))
        return "\n".join(parts)

    def delta(self, snapshot: Snapshot, events: list[LoggedEvent], viewer: rules.Viewer) -> str:
        context = self.context(snapshot, viewer)
        parts = [self.fragment(name, context, oob=True) for name in STATE_FRAGMENTS]
        entries = feed_entries(snapshot.state, events, viewer)
        if entries:
            parts.append(self.feed(entries, mode="prepend"))
        if any(e.event.kind == "turn_resolved" for e in events):
            # Last turn's "Orders confirmed." would mislead in the new turn.
            parts.append(self.order_status(None, ""))
        return "\n".join(parts)

    def order_status(self, ok: bool | None, message: str, *, oob: bool = True) -> str:
        template = self.templates.get_template("fragments/order_status.html")
        return template.render({"ok": ok, "message": message, "oob": oob})

    def error(self, message: str) -> str:
        return self.connection_status("error", message)

    def connection_status(self, status: str, message: str = "") -> str:
        template = self.templates.get_template("fragments/connection.html")
        return template.render({"status": status, "message": message, "oob": True})
