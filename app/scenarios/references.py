"""What a scenario's cross-references may name: issues, known ids, and each kind's targets."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from app.i18n import N_, gettext
from app.scenarios.models import CAVEATS, MANDATES, Path, PathElement, Scenario


@dataclass(frozen=True)
class Issue:
    """A problem found by :func:`check_scenario`: the path of the offending field in the
    scenario document (keys and list indexes) and a message for the author."""

    path: Path
    message: str


# What the messages name, singular and plural: English msgids, said in the author's
# language where a message is written (the CLI's, or the editor's request's).
NOUNS: dict[str, tuple[str, str]] = {
    "nation": (N_("nation"), N_("nations")),
    "region": (N_("region"), N_("regions")),
    "operation": (N_("operation"), N_("operations")),
    "coalition": (N_("coalition"), N_("coalitions")),
    "actor": (N_("actor"), N_("actors")),
    "channel": (N_("channel"), N_("channels")),
    "event": (N_("event"), N_("events")),
    "unit": (N_("unit"), N_("units")),
    "objective": (N_("objective"), N_("objectives")),
    "collective objective": (N_("collective objective"), N_("collective objectives")),
    "red line": (N_("red line"), N_("red lines")),
    "briefed nation": (N_("briefed nation"), N_("briefed nations")),
    "strategy": (N_("strategy"), N_("strategies")),
    "power": (N_("power"), N_("powers")),
    "capability": (N_("capability"), N_("capabilities")),
    "member": (N_("member"), N_("members")),
    "caveat": (N_("caveat"), N_("caveats")),
    "interoperability standard": (
        N_("interoperability standard"),
        N_("interoperability standards"),
    ),
}
# What may be given twice by mistake (the `what` of `duplicates`).
DUPLICATED: dict[str, str] = {
    "region id": N_("region id"),
    "objective id": N_("objective id"),
    "nation id": N_("nation id"),
    "unit id": N_("unit id"),
    "operation id": N_("operation id"),
    "coalition id": N_("coalition id"),
    "actor id": N_("actor id"),
    "red line id": N_("red line id"),
    "channel id": N_("channel id"),
    "event id": N_("event id"),
    "strategy id": N_("strategy id"),
}


def noun(what: str, plural: bool = False) -> str:
    """One of `NOUNS` (or of `DUPLICATED`) in the author's language."""
    if what in NOUNS:
        return gettext(NOUNS[what][plural])
    return gettext(DUPLICATED.get(what, what))


def duplicates(items: Iterable[tuple[Path, str]], what: str) -> list[Issue]:
    seen: dict[str, Path] = {}
    issues: list[Issue] = []
    for path, value in items:
        if value in seen:
            message = gettext(
                "duplicate %(what)s %(value)s (already used at %(where)s)",
                what=noun(what),
                value=repr(value),
                where=format_path(seen[value]),
            )
            issues.append(Issue(path, message))
        else:
            seen[value] = path
    return issues


def choices(known: Iterable[str], what: str = "region") -> str:
    """The end of an "unknown ..." message: the ids the scenario does define."""
    names = sorted(known)
    if not names:
        return gettext("; the scenario defines no %(what)s", what=noun(what, plural=True))
    return gettext(
        "; known %(what)s: %(names)s", what=noun(what, plural=True), names=", ".join(names)
    )


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
    "nation": N_("a nation id"),
    "nation_or_all": N_("a nation id or '*' (every nation)"),
    "pair_or_all": N_("'a>b' (nation a's trust in nation b) or '*' (every pair)"),
    "operation": N_("an operation id"),
    "operation_or_all": N_("an operation id or '*' (every operation)"),
    "coalition": N_("a coalition id"),
    "coalition_or_any": N_("a coalition id, or nothing for any coalition"),
    "coalition_or_all": N_("a coalition id or '*' (every coalition)"),
    "actor": N_("an actor id"),
}

# What each value rule asks for, as the field reference words it (the checks below).
VALUE_WANTED: dict[_ValueRule, str] = {
    "none": N_("no value (leave it out)"),
    "level": N_("an escalation level, a whole number from 0 to the ladder's max"),
    "percent": N_("a number from 0 to 100"),
    "share": N_("a share from 0 to 1"),
    "amount": N_("an amount, 0 or more"),
    "turn": N_("a turn of the game, a whole number from 1 to turns"),
    "change": N_("the change it makes (not 0), from -100 to 100"),
    "level_change": N_("the change of escalation level it makes (not 0), a whole number"),
    "budget_change": N_("the change of budget it makes (not 0), a whole number"),
    "difficulty_change": N_("the change of difficulty it makes (not 0), a whole number up to 20"),
}


def target_wanted(rule: _TargetRule) -> str:
    """What a target under ``rule`` must name, for the field reference."""
    return _TARGET_WANTED.get(rule, N_("no target (leave it out)"))


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
    return gettext(
        "unknown %(what)s %(value)s%(where)s%(choices)s",
        what=noun(what),
        value=repr(value),
        where=where,
        choices=choices(known, what),
    )


def _target_problem(rule: _TargetRule, target: str, known: Known, subject: str) -> str | None:
    """What is wrong with ``target`` under ``rule`` (``subject`` names what it belongs to:
    "a 'trust' effect"), or None."""
    if rule == "none":
        if not target:
            return None
        return gettext(
            "%(subject)s takes no target (got %(target)s)", subject=subject, target=repr(target)
        )
    if not target:
        if rule == "coalition_or_any":
            return None
        return gettext(
            "%(subject)s needs a target: %(wanted)s",
            subject=subject,
            wanted=gettext(target_wanted(rule)),
        )
    if target == "*" and rule.endswith("_or_all"):
        return None
    where = gettext(" in the target of %(subject)s", subject=subject)
    if rule == "pair_or_all":
        parts = target.split(">")
        if len(parts) != 2 or not all(parts):
            return gettext(
                "the target of %(subject)s must be %(wanted)s, not %(target)s",
                subject=subject,
                wanted=gettext(target_wanted(rule)),
                target=repr(target),
            )
        for nation in parts:
            if nation not in known.nations:
                return unknown("nation", nation, known.nations, where)
        if parts[0] == parts[1]:
            return gettext(
                "the target of %(subject)s names the same nation twice (%(target)s)",
                subject=subject,
                target=repr(target),
            )
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
    said = {"subject": subject, "value": f"{value:g}"}
    if rule == "none":
        if value == 0:
            return None
        return gettext("%(subject)s takes no value (got %(value)s)", **said)
    if rule == "level":
        if whole and 0 <= value <= known.max_level:
            return None
        return gettext(
            "the value of %(subject)s must be an escalation level, a whole number 0-%(most)s",
            most=known.max_level,
            **said,
        )
    if rule == "percent":
        if 0 <= value <= 100:
            return None
        return gettext("the value of %(subject)s must be from 0 to 100 (got %(value)s)", **said)
    if rule == "share":
        if 0 <= value <= 1:
            return None
        return gettext(
            "the value of %(subject)s must be a share from 0 to 1 (got %(value)s)", **said
        )
    if rule == "amount":
        if value >= 0:
            return None
        return gettext("the value of %(subject)s must be 0 or more (got %(value)s)", **said)
    if rule == "turn":
        if whole and 1 <= value <= known.turns:
            return None
        return gettext(
            "the value of %(subject)s must be a turn of the game, a whole number 1-%(last)s",
            last=known.turns,
            **said,
        )
    if value == 0:
        return gettext("the value of %(subject)s must be the change it makes, not 0", **said)
    limit: float = {
        "change": 100,
        "level_change": known.max_level,
        "budget_change": 100_000,
        "difficulty_change": 20,
    }[rule]
    if rule != "change" and not whole:
        return gettext("the value of %(subject)s must be a whole number (got %(value)s)", **said)
    if abs(value) > limit:
        return gettext(
            "the value of %(subject)s must be a change from -%(limit)s to %(limit)s "
            "(got %(value)s)",
            limit=f"{limit:g}",
            **said,
        )
    return None


# What a reference belongs to, as the messages name it ("a 'trust' effect").
_SUBJECTS: dict[str, str] = {
    "objective": N_("a %(kind)s objective"),
    "trigger": N_("a %(kind)s trigger"),
    "effect": N_("a %(kind)s effect"),
    "check": N_("a %(kind)s check"),
}


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
    subject = gettext(_SUBJECTS[noun], kind=repr(kind))
    target_rule, value_rule = rules
    problem = _target_problem(target_rule, target, known, subject)
    if problem is not None:
        issues.append(Issue((*path, "target"), problem))
    problem = _value_problem(value_rule, value, known, subject)
    if problem is not None:
        issues.append(Issue((*path, "value"), problem))
    return issues
