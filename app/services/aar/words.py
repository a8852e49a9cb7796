"""The review's words for ids: names of nations and operations, agreement terms, who plays."""

from __future__ import annotations

from typing import Any

from app import rules
from app.i18n import N_, _
from app.rules.wording.base import term

# What each key of an agreement's terms is called (app/rules/agreements).
TERM_KEYS = {
    "amount": N_("amount"),
    "coalition_id": N_("coalition"),
    "command": N_("command"),
    "from": N_("from"),
    "host": N_("host"),
    "lead": N_("lead"),
    "name": N_("name"),
    "nation": N_("nation"),
    "ngo": N_("NGO"),
    "operation_id": N_("operation"),
    "operations": N_("operations"),
    "payer": N_("payer"),
    "region": N_("region"),
    "share": N_("share"),
    "strength": N_("strength"),
    "text": N_("text"),
    "to": N_("to"),
    "turn": N_("turn"),
}


def nation_name(state: rules.GameState, nation_id: object) -> str:
    nation = state.nation(str(nation_id))
    return nation.name if nation else str(nation_id)


def nation_names(state: rules.GameState, ids: object) -> str:
    if not isinstance(ids, list | tuple):
        return ""
    return ", ".join(nation_name(state, i) for i in ids)


def operation_name(state: rules.GameState, operation_id: object) -> str:
    operation = state.operation(str(operation_id))
    return operation.name if operation else str(operation_id)


def terms_text(state: rules.GameState, terms: dict[str, Any]) -> str:
    """An agreement's terms in words, with names for ids."""
    parts = []
    for key, value in terms.items():
        if key in ("nation", "lead", "payer", "from", "to", "host"):
            shown = nation_name(state, value)
        elif key == "text":
            shown = f"“{str(value).strip()}”"
        elif key == "share":
            shown = f"{value}%"
        elif key == "ngo":
            actor = state.actor(str(value))
            shown = actor.name if actor else str(value)
        elif key == "region":
            region = next((r for r in state.regions if r.id == value), None)
            shown = region.name if region else str(value)
        elif key == "operation_id":
            shown = operation_name(state, value)
        elif key == "operations":
            shown = ", ".join(operation_name(state, o) for o in str(value).split(",") if o)
        elif key == "coalition_id":
            coalition = state.coalition(str(value))
            shown = coalition.name if coalition else str(value)
        elif key == "command":
            shown = term(value)
        else:
            shown = str(value)
        if shown:
            label = TERM_KEYS.get(key)
            said = _(label) if label else key.replace("_id", "").replace("_", " ")
            parts.append(f"{said}: {shown}")
    return "; ".join(parts)


def controller_text(nation: rules.Nation) -> str:
    if nation.controller == "bot" and nation.bot:
        return _("bot (%(personality)s)", personality=nation.bot.replace("_", " "))
    if nation.controller == "human":
        return _("players")
    if nation.controller == "vacant":
        return _("nobody (empty seat)")
    return nation.controller


def sentence(text: str) -> str:
    """`text` with a capital first letter ("NGO coordination" stays as it is)."""
    return text[:1].upper() + text[1:]
