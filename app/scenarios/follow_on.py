"""A follow-on scenario: the scenario a game started from, carried forward to where the
game now stands, for the next exercise of a course.

What the schema can say is carried over: budgets, domestic support, governments and
caveats; units as they now stand; trust between nations (the mean of both directions,
since the schema's relations are symmetric); the coalitions still in being; operations'
difficulty and when they open; actors' attitudes; the escalation level; the scripted
events that have not happened yet. What it cannot say (an operation's progress, pledges,
messages) is summed up in the briefing for the instructor to edit.
"""

from __future__ import annotations

from typing import Any

import yaml

from app.rules.state import GameState

MAX_ID = 60


def _clamp(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def follow_on(source: str, state: GameState, *, game_name: str) -> str:
    """The YAML of a follow-on scenario of `source` from `state` (not yet validated)."""
    data: dict[str, Any] = yaml.safe_load(source)
    elapsed = max(0, state.turn - 1)
    data["id"] = f"{str(data['id'])[: MAX_ID - 10]}-follow-on"
    data["title"] = f"{data['title']} — follow-on"
    data["version"] = 1
    data["summary"] = f"Follow-on from {game_name}, turn {state.turn}: {data.get('summary', '')}"
    data["briefing"] = f"{data.get('briefing', '').rstrip()}\n\n{_story(state, game_name)}"
    escalation = data["escalation"]
    escalation["start"] = _clamp(state.escalation.level, 0, int(escalation["max"]))

    nations = {n.id: n for n in state.nations}
    new_governments: set[str] = set()
    for nation in data["nations"]:
        now = nations.get(nation["id"])
        if now is None:
            continue
        nation["budget"] = max(0, now.budget)
        nation["domestic_support"] = _clamp(now.domestic_support, 0, 100)
        nation["caveats"] = list(now.caveats)
        nation["profile"] = now.profile
        if now.leader:
            if now.leader != nation.get("leader"):
                new_governments.add(nation["id"])
            nation["leader"] = now.leader
        strengths = {u.id: u.strength for u in now.units}
        kept = [u for u in nation["units"] if u["id"] in strengths] or nation["units"][:1]
        for unit in kept:
            unit["strength"] = _clamp(strengths.get(unit["id"], unit["strength"]), 1, 10)
        nation["units"] = kept

    ids = sorted(nations)
    relations = []
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            ab, ba = state.relation(a, b), state.relation(b, a)
            pair = [r for r in (ab, ba) if r is not None]
            if not pair:
                continue
            relations.append(
                {
                    "between": [a, b],
                    "trust": _clamp(sum(r.trust for r in pair) / len(pair), 0, 100),
                    "alignment": _clamp(sum(r.alignment for r in pair) / len(pair), 0, 100),
                    "cooperation": _clamp(sum(r.cooperation for r in pair) / len(pair), 0, 100),
                }
            )
    data["relations"] = relations

    operation_ids = {o["id"] for o in data["operations"]}
    # An operation is run by the first active coalition that took it on, as the rules read
    # it (`GameState.coalition_for_operation`); a scenario names one coalition at most.
    taken: set[str] = set()
    known = {str(c.get("id")) for c in data.get("coalitions", [])} | {
        c.id for c in state.coalitions
    }
    data["coalitions"] = []
    for c in state.coalitions:
        if not c.active:
            continue
        kept = [o for o in c.operations if o in operation_ids and o not in taken]
        taken.update(kept)
        data["coalitions"].append(
            {
                "id": c.id,
                "name": c.name,
                "lead": c.lead,
                "members": list(c.members),
                "command": c.command,
                "mandate": c.mandate,
                "cohesion": _clamp(c.cohesion, 0, 100),
                "operations": kept,
            }
        )
    # Coalitions that broke up, or that the scenario named and the game never formed.
    _forget_coalitions(data, known - {c["id"] for c in data["coalitions"]})
    operations = {o.id: o for o in state.operations}
    for operation in data["operations"]:
        now_op = operations.get(operation["id"])
        if now_op is None:
            continue
        operation["difficulty"] = _clamp(now_op.difficulty, 1, 20)
        operation["opens_turn"] = max(1, now_op.opens_turn - elapsed)
        if now_op.deadline_turn:
            operation["deadline_turn"] = max(0, now_op.deadline_turn - elapsed)
    attitudes = {a.id: a.attitude for a in state.actors}
    for actor in data.get("actors", []):
        if actor["id"] in attitudes:
            actor["attitude"] = _clamp(attitudes[actor["id"]], 0, 100)
    data["events"] = [e for e in data.get("events", []) if e["id"] not in state.fired]
    # A case study's history and its scripted strategies describe the original crisis.
    data.pop("historical_outcome", None)
    data.pop("strategies", None)
    _carry_translations(data, new_governments)
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


class _Dumper(yaml.SafeDumper):
    """Writes text of several lines (the briefing) as a literal block (`|`), as the
    scenario files are written, rather than as a quoted string with doubled quotes."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        # A literal block holds no trailing spaces, tabs or blank lines at its ends.
        lines = [line.rstrip() for line in value.replace("\t", "    ").splitlines()]
        block = "\n".join(lines).strip("\n") + "\n"
        return dumper.represent_scalar("tag:yaml.org,2002:str", block, "|")
    return dumper.represent_str(value)


_Dumper.add_representer(str, _text)


def _carry_translations(data: dict[str, Any], new_governments: set[str]) -> None:
    """The translations of what the follow-on still has. Its title, summary and briefing
    are new (in the file's language, for the instructor to edit), so theirs are dropped."""
    ids = {
        "regions": {r["id"] for r in data["map"]["regions"]},
        "operations": {o["id"] for o in data["operations"]},
        "coalitions": {c["id"] for c in data.get("coalitions", [])},
        "actors": {a["id"] for a in data.get("actors", [])},
        "channels": {c["id"] for c in data.get("channels", [])},
        "events": {e["id"] for e in data.get("events", [])},
        "collective_objectives": {o["id"] for o in data.get("collective_objectives", [])},
    }
    nations = {n["id"]: n for n in data["nations"]}
    for texts in (data.get("translations") or {}).values():
        for gone in ("title", "summary", "briefing", "historical_outcome", "strategies"):
            texts.pop(gone, None)
        for section, kept in ids.items():
            if section in texts:
                texts[section] = {k: v for k, v in texts[section].items() if k in kept}
        for nation_id, nation_texts in (texts.get("nations") or {}).items():
            nation = nations.get(nation_id, {})
            for part in ("units", "objectives"):
                kept = {item["id"] for item in nation.get(part, [])}
                if part in nation_texts:
                    nation_texts[part] = {k: v for k, v in nation_texts[part].items() if k in kept}
            successor = nation.get("successor")
            successor_texts = nation_texts.get("successor")
            if isinstance(successor_texts, dict) and isinstance(successor, dict):
                kept = {o["id"] for o in successor.get("objectives") or []}
                if "objectives" in successor_texts:
                    successor_texts["objectives"] = {
                        k: v for k, v in successor_texts["objectives"].items() if k in kept
                    }
            elif successor_texts is not None:
                nation_texts.pop("successor")
            if nation_id in new_governments:
                # A government changed in play keeps its own name: the successor's, in
                # the translation's words, where it was the one that took office.
                nation_texts.pop("leader", None)
                if (
                    isinstance(successor, dict)
                    and isinstance(successor_texts, dict)
                    and successor.get("leader") == nation.get("leader")
                    and successor_texts.get("leader")
                ):
                    nation_texts["leader"] = successor_texts["leader"]


def _forget_coalitions(data: dict[str, Any], gone: set[str]) -> None:
    """Objectives, successors' briefs and scripted events about coalitions that broke up
    in the game (or never formed) are dropped (the briefing says which broke up): a
    scenario names only coalitions it has."""
    if not gone:
        return

    def about_gone(item: dict[str, Any]) -> bool:
        return str(item.get("target", "")) in gone

    for nation in data["nations"]:
        nation["objectives"] = [o for o in nation.get("objectives", []) if not about_gone(o)]
        successor = nation.get("successor")
        if isinstance(successor, dict):  # the brief of a government still to come
            successor["objectives"] = [
                o for o in successor.get("objectives", []) if not about_gone(o)
            ]
            successor["withdraw"] = [c for c in successor.get("withdraw", []) if c not in gone]
    if "collective_objectives" in data:
        data["collective_objectives"] = [
            o for o in data["collective_objectives"] if not about_gone(o)
        ]
    events = []
    for event in data.get("events", []):
        effects = [e for e in event.get("effects", []) if not about_gone(e)]
        if effects and not about_gone(event.get("trigger", {})):
            events.append({**event, "effects": effects})
    data["events"] = events


def _story(state: GameState, game_name: str) -> str:
    names = {o.id: o.name for o in state.operations}
    lines = [
        f"## Where {game_name} left off",
        "",
        f"Turn {state.turn} of {state.turns}; escalation at {state.escalation.level} of "
        f"{state.escalation.max}.",
        "",
    ]
    for operation in state.operations:
        if operation.status != "open" or operation.progress:
            lines.append(
                f"- {names[operation.id]}: {operation.status}, progress "
                f"{operation.progress:g} of {operation.duration}."
            )
    for coalition in state.coalitions:
        state_word = "in being" if coalition.active else "dissolved"
        lines.append(f"- {coalition.name}: {state_word}, cohesion {coalition.cohesion}.")
    return "\n".join(lines) + "\n"
