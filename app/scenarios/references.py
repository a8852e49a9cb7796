"""What a scenario's cross-references may name: issues, known ids, and each kind's targets."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from app.scenarios.models import CAVEATS, MANDATES, Path, PathElement, Scenario


@dataclass(frozen=True)
class Issue:
    """A problem found by :func:`check_scenario`: the path of the offending field in the
    scenario document (keys and list indexes) and a message for the author."""

    path: Path
    message: str


def duplicates(items: Iterable[tuple[Path, str]], what: str) -> list[Issue]:
    seen: dict[str, Path] = {}
    issues: list[Issue] = []
    for path, value in items:
        if value in seen:
            where = format_path(seen[value])
            issues.append(Issue(path, f"duplicate {what} {value!r} (already used at {where})"))
        else:
            seen[value] = path
    return issues


def choices(known: Iterable[str], what: str = "regions") -> str:
    names = sorted(known)
    if not names:
        return f"; the scenario defines no {what}"
    return f"; known {what}: " + ", ".join(names)


def format_path(path: Iterable[PathElement]) -> str:
    """``("nations", 0, "units", 2, "strength")`` -> ``nations[0].units[2].strength``;
    the empty path is ``(document)``."""
    text = ""
    for element in path:
        if isinstance(element, int):
            text += f"[{element}]"
        else:
            text += f".{element}" if text else element
    return text or "(document)"


# -- the targets and values of objectives, triggers, effects and checks -------------------

_TargetRule = Literal[
    "none",
    "nation",
    "nation_or_all",
    "pair_or_all",
    "operation",
    "operation_or_all",
    "coalition",
    "coalition_or_any",
    "coalition_or_all",
    "actor",
]
_ValueRule = Literal[
    "none",
    "level",
    "percent",
    "share",
    "amount",
    "turn",
    "change",
    "level_change",
    "budget_change",
    "difficulty_change",
]

_TARGET_WANTED: dict[_TargetRule, str] = {
    "nation": "a nation id",
    "nation_or_all": "a nation id or '*' (every nation)",
    "pair_or_all": "'a>b' (nation a's trust in nation b) or '*' (every pair)",
    "operation": "an operation id",
    "operation_or_all": "an operation id or '*' (every operation)",
    "coalition": "a coalition id",
    "coalition_or_any": "a coalition id, or nothing for any coalition",
    "coalition_or_all": "a coalition id or '*' (every coalition)",
    "actor": "an actor id",
}

# What each value rule asks for, as the field reference words it (the checks below).
VALUE_WANTED: dict[_ValueRule, str] = {
    "none": "no value (leave it out)",
    "level": "an escalation level, a whole number from 0 to the ladder's max",
    "percent": "a number from 0 to 100",
    "share": "a share from 0 to 1",
    "amount": "an amount, 0 or more",
    "turn": "a turn of the game, a whole number from 1 to turns",
    "change": "the change it makes (not 0), from -100 to 100",
    "level_change": "the change of escalation level it makes (not 0), a whole number",
    "budget_change": "the change of budget it makes (not 0), a whole number",
    "difficulty_change": "the change of difficulty it makes (not 0), a whole number up to 20",
}


def target_wanted(rule: _TargetRule) -> str:
    """What a target under ``rule`` must name, for the field reference."""
    return _TARGET_WANTED.get(rule, "no target (leave it out)")


# Mirrors the comments on ObjectiveKind, TriggerKind and EffectKind in app/rules/state.py.
OBJECTIVE_RULES: dict[str, tuple[_TargetRule, _ValueRule]] = {
    "operation_succeeds": ("operation", "none"),
    "escalation_at_most": ("none", "level"),
    "support_at_least": ("none", "percent"),
    "budget_at_least": ("none", "amount"),
    "in_coalition": ("coalition_or_any", "none"),
    "lead_coalition": ("coalition_or_any", "none"),
    "outside_coalitions": ("none", "none"),
    "cohesion_at_least": ("coalition", "percent"),
    "burden_share_at_most": ("none", "share"),
    "no_hard_power": ("none", "none"),
    "coalition_dissolved": ("coalition", "none"),
    "trust_at_least": ("nation", "percent"),
    "fair_share_at_least": ("none", "share"),
    "crisis_won": ("none", "share"),
}
# The other kinds measure one nation's own standing, which a shared objective lacks.
COLLECTIVE_KINDS = ("operation_succeeds", "escalation_at_most", "cohesion_at_least")
TRIGGER_RULES: dict[str, tuple[_TargetRule, _ValueRule]] = {
    "turn": ("none", "turn"),
    "escalation_at_least": ("none", "level"),
    "support_below": ("nation", "percent"),
    "cohesion_below": ("coalition", "percent"),
    "operation_failed": ("operation", "none"),
    "population_below": ("actor", "percent"),
}
EFFECT_RULES: dict[str, tuple[_TargetRule, _ValueRule]] = {
    "escalation": ("none", "level_change"),
    "support": ("nation_or_all", "change"),
    "budget": ("nation_or_all", "budget_change"),
    "trust": ("pair_or_all", "change"),
    "difficulty": ("operation_or_all", "difficulty_change"),
    "population": ("actor", "change"),
    "cohesion": ("coalition_or_all", "change"),
    "caveat": ("nation", "none"),
    "leadership_change": ("nation", "none"),
    "open_operation": ("operation", "none"),
    "mandate": ("coalition_or_all", "none"),
}
# Effects whose text is what they do, and the texts they accept (None: any non-empty text).
EFFECT_TEXTS: dict[str, tuple[str, ...] | None] = {
    "caveat": CAVEATS,
    "leadership_change": None,
    "mandate": tuple(m for m in MANDATES if m != "none"),
}
CHECK_RULES: dict[str, tuple[_TargetRule, _ValueRule]] = {
    "operation_succeeds": ("operation", "none"),
    "escalation_at_most": ("none", "level"),
    "cohesion_at_least": ("coalition", "percent"),
    "coalition_dissolved": ("coalition", "none"),
    "support_at_least": ("nation", "percent"),
}


@dataclass(frozen=True)
class Known:
    """The ids a reference may name, and the scale of the turns and the ladder."""

    nations: frozenset[str]
    operations: frozenset[str]
    coalitions: frozenset[str]
    actors: frozenset[str]
    regions: frozenset[str]
    turns: int
    max_level: int

    @classmethod
    def of(cls, scenario: Scenario) -> Known:
        return cls(
            nations=frozenset(n.id for n in scenario.nations),
            operations=frozenset(o.id for o in scenario.operations),
            coalitions=frozenset(c.id for c in scenario.coalitions),
            actors=frozenset(a.id for a in scenario.actors),
            regions=frozenset(r.id for r in scenario.map.regions),
            turns=scenario.turns,
            max_level=scenario.escalation.max,
        )


def unknown(what: str, value: str, known: Collection[str], where: str = "") -> str:
    return f"unknown {what} {value!r}{where}{choices(known, what + 's')}"


def _target_problem(rule: _TargetRule, target: str, known: Known, subject: str) -> str | None:
    """What is wrong with ``target`` under ``rule`` (``subject`` names what it belongs to:
    "a 'trust' effect"), or None."""
    if rule == "none":
        return f"{subject} takes no target (got {target!r})" if target else None
    if not target:
        if rule == "coalition_or_any":
            return None
        return f"{subject} needs a target: {_TARGET_WANTED[rule]}"
    if target == "*" and rule.endswith("_or_all"):
        return None
    where = f" in the target of {subject}"
    if rule == "pair_or_all":
        parts = target.split(">")
        if len(parts) != 2 or not all(parts):
            return f"the target of {subject} must be {_TARGET_WANTED[rule]}, not {target!r}"
        for nation in parts:
            if nation not in known.nations:
                return unknown("nation", nation, known.nations, where)
        if parts[0] == parts[1]:
            return f"the target of {subject} names the same nation twice ({target!r})"
        return None
    what, ids = {
        "nation": ("nation", known.nations),
        "nation_or_all": ("nation", known.nations),
        "operation": ("operation", known.operations),
        "operation_or_all": ("operation", known.operations),
        "coalition": ("coalition", known.coalitions),
        "coalition_or_any": ("coalition", known.coalitions),
        "coalition_or_all": ("coalition", known.coalitions),
        "actor": ("actor", known.actors),
    }[rule]
    return None if target in ids else unknown(what, target, ids, where)


def _value_problem(rule: _ValueRule, value: float, known: Known, subject: str) -> str | None:
    """What is wrong with ``value`` under ``rule``, or None."""
    whole = float(value).is_integer()
    if rule == "none":
        return None if value == 0 else f"{subject} takes no value (got {value:g})"
    must = f"the value of {subject} must be"
    if rule == "level":
        ok = whole and 0 <= value <= known.max_level
        return None if ok else f"{must} an escalation level, a whole number 0-{known.max_level}"
    if rule == "percent":
        return None if 0 <= value <= 100 else f"{must} from 0 to 100 (got {value:g})"
    if rule == "share":
        return None if 0 <= value <= 1 else f"{must} a share from 0 to 1 (got {value:g})"
    if rule == "amount":
        return None if value >= 0 else f"{must} 0 or more (got {value:g})"
    if rule == "turn":
        ok = whole and 1 <= value <= known.turns
        return None if ok else f"{must} a turn of the game, a whole number 1-{known.turns}"
    if value == 0:
        return f"{must} the change it makes, not 0"
    limit: float = {
        "change": 100,
        "level_change": known.max_level,
        "budget_change": 100_000,
        "difficulty_change": 20,
    }[rule]
    if rule != "change" and not whole:
        return f"{must} a whole number (got {value:g})"
    if abs(value) > limit:
        return f"{must} a change from -{limit:g} to {limit:g} (got {value:g})"
    return None


def check_reference(
    path: Path,
    noun: str,
    kind: str,
    target: str,
    value: float,
    rules: tuple[_TargetRule, _ValueRule],
    known: Known,
) -> list[Issue]:
    """The target and value of one objective, trigger, effect or check against its kind."""
    issues: list[Issue] = []
    subject = f"a {kind!r} {noun}"
    target_rule, value_rule = rules
    problem = _target_problem(target_rule, target, known, subject)
    if problem is not None:
        issues.append(Issue((*path, "target"), problem))
    problem = _value_problem(value_rule, value, known, subject)
    if problem is not None:
        issues.append(Issue((*path, "value"), problem))
    return issues
