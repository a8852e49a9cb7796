"""Scenario format v1: the pydantic models of an Entente scenario file.

A scenario is an authored, versioned YAML file in ``scenarios/`` (docs/architecture.md,
"Scenarios").
Validation happens in two passes:

1. the pydantic models below check each field on its own (types, ranges, enums,
   required and unknown fields); pydantic reports the location of every error;
2. :func:`check_scenario` then walks the validated model and checks what spans
   several fields (unique ids, references between nations, regions, operations,
   coalitions, actors and the map, the escalation ladder, the targets of objectives,
   events and strategies). It returns :class:`Issue` objects carrying the path of the
   offending field, e.g. ``("operations", 1, "region")``, so the loader can point the
   author at the exact line.

Every part added after the first release of format 1 (relations, coalitions, actors,
channels, events, objectives, settings, historical outcome, strategies, and the new
nation and operation fields) is optional with a default, so older files stay valid.
Each model maps one to one onto a dataclass of ``app.rules.state``; the conversion is
``app.scenarios.build``.

Only the standard library, pydantic and the rules' state types are imported here.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.rules.state import (
    ActorKind,
    Capability,
    ChannelKind,
    CommandStructure,
    EffectKind,
    GameState,
    Mandate,
    ObjectiveKind,
    Posture,
    Power,
    Profile,
    TriggerKind,
)

__all__ = [
    "CAPABILITIES",
    "CAVEATS",
    "FORMAT_VERSION",
    "PERSONALITIES",
    "POWERS",
    "Actor",
    "Caveat",
    "Channel",
    "CheckKind",
    "Coalition",
    "CollectiveObjective",
    "Effect",
    "Escalation",
    "Event",
    "HistoricalOutcome",
    "Issue",
    "Nation",
    "NationStrategy",
    "Objective",
    "Operation",
    "OutcomeCheck",
    "Personality",
    "Region",
    "Relation",
    "Scenario",
    "Settings",
    "Strategy",
    "TheatreMap",
    "Trigger",
    "Unit",
    "check_scenario",
    "format_path",
]

FORMAT_VERSION = 1

Caveat = Literal["no-offensive-ground", "no-night-ops", "no-combat", "home-region-only"]

Personality = Literal["cooperative", "free_rider", "hawk", "dove", "spoiler"]
"""How a bot plays a nation under a scenario strategy (``app.bots`` reads it):
``cooperative`` pledges its fair share and honours it; ``free_rider`` joins but lets others
carry the cost; ``hawk`` favours hard power; ``dove`` favours soft power and restraint;
``spoiler`` works to divide or dissolve the coalition."""

CheckKind = Literal[
    "operation_succeeds",  # target: operation id
    "escalation_at_most",  # value: level
    "cohesion_at_least",  # target: coalition id; value: cohesion
    "coalition_dissolved",  # target: coalition id
    "support_at_least",  # target: nation id; value: its domestic support
]
"""What a historical outcome can check at the end of a game."""

CAPABILITIES: tuple[str, ...] = get_args(Capability)
CAVEATS: tuple[str, ...] = get_args(Caveat)
POWERS: tuple[str, ...] = get_args(Power)
PERSONALITIES: tuple[str, ...] = get_args(Personality)
MANDATES: tuple[str, ...] = get_args(Mandate)

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

PathElement = str | int
Path = tuple[PathElement, ...]


def _rule_default(name: str) -> float:
    """The rules' own default for a setting a scenario may tune, so the two cannot drift."""
    default = next(f.default for f in dataclasses.fields(GameState) if f.name == name)
    assert isinstance(default, int | float), name
    return default


def _check_slug(value: str) -> str:
    if not SLUG_PATTERN.fullmatch(value):
        raise ValueError(
            "must be a slug: lowercase letters, digits and hyphens, starting with a letter or digit"
        )
    return value


def _check_single_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    return value


Slug = Annotated[str, StringConstraints(min_length=1, max_length=64), AfterValidator(_check_slug)]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_check_single_line),
]
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(_check_single_line),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_check_single_line),
]
# What an objective, trigger, effect or check is about: an id, "*", "a>b" or nothing;
# which of these is allowed depends on the kind, so check_scenario checks it.
Target = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=130),
    AfterValidator(_check_single_line),
]


def _int(ge: int, le: int | None = None) -> object:
    """A strict integer range: YAML ``3`` passes, ``"3"``, ``3.0`` and ``yes`` do not."""
    return Field(strict=True, ge=ge, le=le)


def _number(ge: float | None = None, le: float | None = None) -> object:
    """A strict number: YAML ``3`` and ``0.5`` pass, ``"0.5"`` and ``yes`` do not."""
    return Field(strict=True, ge=ge, le=le, allow_inf_nan=False)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Escalation(_Model):
    """The adversary's escalation ladder: the level starts at ``start``; crossing
    ``threshold`` worsens the crisis; ``max`` is the top rung. ``ladder`` optionally names
    every rung from 0 to ``max`` (so it has ``max + 1`` names)."""

    start: Annotated[int, _int(0, 100)]
    max: Annotated[int, _int(1, 100)]
    threshold: Annotated[int, _int(1, 100)]
    ladder: tuple[Name, ...] = ()


class Region(_Model):
    id: Slug
    name: Name
    x: Annotated[int, _int(0, 1000)] = Field(description="position on the 1000x600 theatre map")
    y: Annotated[int, _int(0, 600)] = Field(description="position on the 1000x600 theatre map")
    adjacent: tuple[Slug, ...] = ()


class TheatreMap(_Model):
    regions: tuple[Region, ...] = Field(min_length=1)


class Unit(_Model):
    id: Slug
    name: Name
    capability: Capability
    strength: Annotated[int, _int(1, 10)]
    cost: Annotated[int, _int(0)] = Field(description="budget per turn while committed")


class CollectiveObjective(_Model):
    """What the rules score at the end: ``kind`` says what is checked, ``target`` and
    ``value`` what against (see ObjectiveKind in app/rules/state.py); ``points`` its
    weight. Targets are cross-checked by :func:`check_scenario`."""

    id: Slug
    text: Text
    kind: ObjectiveKind
    target: Target = ""
    value: Annotated[float, _number()] = 0
    points: Annotated[int, _int(0, 100)] = 10


class Objective(CollectiveObjective):
    """A nation's own objective; a secret one is shown only to that nation (and control)."""

    secret: bool = False


class Nation(_Model):
    id: Slug
    name: Name
    budget: Annotated[int, _int(0)]
    domestic_support: Annotated[int, _int(0, 100)]
    interoperability: Tag = Field(description="nations sharing the same tag interoperate well")
    caveats: tuple[Caveat, ...] = ()
    public_objective: Text
    secret_objective: Text
    units: tuple[Unit, ...] = Field(min_length=1)
    leader: Name | None = None
    profile: Profile = "pragmatic"
    # Economic weight: a fair share of a coalition's burden is proportional to capacity.
    capacity: Annotated[int, _int(1)] = 100
    income: Annotated[int, _int(0)] = Field(
        default=0, description="budget granted at the start of each turn after the first"
    )
    objectives: tuple[Objective, ...] = ()
    home_region: Slug | None = Field(
        default=None, description="the region a 'home-region-only' caveat confines it to"
    )

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)


class Operation(_Model):
    id: Slug
    name: Name
    region: Slug
    power: Power
    difficulty: Annotated[int, _int(1, 20)] = Field(
        description="total strength needed for a fair chance"
    )
    requirements: Mapping[Capability, Annotated[int, _int(1, 100)]] = Field(min_length=1)
    description: Text
    risk: Annotated[float, _number(0, 1)] = Field(
        default=0.1, description="chance of casualties per committed unit when executed"
    )
    duration: Annotated[int, _int(1, 20)] = Field(
        default=1, description="successes (partials count half) needed to complete it"
    )
    civilian_risk: Annotated[float, _number(0, 1)] = Field(
        default=0.0, description="chance a failed hard-power execution harms civilians"
    )
    opens_turn: Annotated[int, _int(1)] = Field(
        default=1, description="first turn forces may be committed (an event may open it)"
    )
    deadline_turn: Annotated[int, _int(0)] = Field(
        default=0, description="turn at which it fails if not completed; 0: the game's end"
    )
    posture: Posture = Field(
        default="offensive",
        description="defensive hard power (presence, policing) provokes half as much",
    )


class Relation(_Model):
    """The initial relation of two nations, the same in both directions; every pair not
    listed starts at trust 50, alignment 50, cooperation 0."""

    between: tuple[Slug, ...] = Field(min_length=2, max_length=2)
    trust: Annotated[int, _int(0, 100)] = 50
    alignment: Annotated[int, _int(0, 100)] = 50
    cooperation: Annotated[int, _int(0, 100)] = 0


class Coalition(_Model):
    """A coalition that exists when the game opens (more may be formed in play)."""

    id: Slug
    name: Name
    lead: Slug
    members: tuple[Slug, ...] = Field(min_length=1)
    command: CommandStructure = "lead_nation"
    mandate: Mandate = "none"
    cohesion: Annotated[int, _int(0, 100)] = 60
    operations: tuple[Slug, ...] = ()


class Actor(_Model):
    """A non-player actor: the adversary (at most one), the UN, an NGO, the population."""

    id: Slug
    name: Name
    kind: ActorKind
    attitude: Annotated[int, _int(0, 100)] = 50
    region: Slug | None = None


class Channel(_Model):
    """A room for messages. No ``members`` means every nation."""

    id: Slug
    name: Name
    kind: ChannelKind
    members: tuple[Slug, ...] = ()
    leak_chance: Annotated[float, _number(0, 1)] = 0.0


class Trigger(_Model):
    kind: TriggerKind
    target: Target = ""
    value: Annotated[float, _number()] = 0


class Effect(_Model):
    kind: EffectKind
    target: Target = ""
    value: Annotated[float, _number()] = 0
    text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)] = ""


class Event(_Model):
    """An inject of the master events list: fires once, when its trigger is met."""

    id: Slug
    name: Name
    text: Text
    public: bool = True
    trigger: Trigger
    effects: tuple[Effect, ...] = ()


class Settings(_Model):
    """Rule settings a scenario may tune; the defaults are the rules' own."""

    defection_threshold: Annotated[int, _int(0, 100)] = int(_rule_default("defection_threshold"))
    collapse_threshold: Annotated[int, _int(0, 100)] = int(_rule_default("collapse_threshold"))
    leadership_threshold: Annotated[int, _int(0, 100)] = int(_rule_default("leadership_threshold"))
    # The chance per turn that the press learns of the talks in a bilateral channel the
    # players open during the game.
    bilateral_leak_chance: Annotated[float, _number(0, 1)] = _rule_default("bilateral_leak_chance")


class OutcomeCheck(_Model):
    """One measurable fact of the historical outcome, checked at the end of a game."""

    kind: CheckKind
    target: Target = ""
    value: Annotated[float, _number()] = 0


class HistoricalOutcome(_Model):
    summary: Text
    checks: tuple[OutcomeCheck, ...] = Field(min_length=1)


class NationStrategy(_Model):
    """How a bot plays one nation: its personality and the operations it favours."""

    personality: Personality = "cooperative"
    focus: tuple[Slug, ...] = ()


class Strategy(_Model):
    """A named way of playing the whole scenario, for bots and Monte Carlo studies.
    Nations not listed play ``cooperative``."""

    id: Slug
    name: Name
    description: Text
    command: CommandStructure | None = Field(
        default=None, description="the command structure coalition leads propose"
    )
    nations: Mapping[Slug, NationStrategy] = Field(default_factory=dict)

    def personality(self, nation_id: str) -> Personality:
        plan = self.nations.get(nation_id)
        return plan.personality if plan is not None else "cooperative"


class Scenario(_Model):
    format: Literal[1]
    id: Slug
    version: Annotated[int, _int(1)]
    title: Name
    summary: Line
    briefing: Text
    turns: Annotated[int, _int(1, 50)]
    orders_seconds: Annotated[int, _int(10, 86_400)]
    escalation: Escalation
    map: TheatreMap
    nations: tuple[Nation, ...] = Field(min_length=2)
    operations: tuple[Operation, ...] = Field(min_length=1)
    relations: tuple[Relation, ...] = ()
    coalitions: tuple[Coalition, ...] = ()
    actors: tuple[Actor, ...] = ()
    channels: tuple[Channel, ...] = ()
    events: tuple[Event, ...] = ()
    collective_objectives: tuple[CollectiveObjective, ...] = ()
    settings: Settings = Field(default_factory=Settings)
    historical_outcome: HistoricalOutcome | None = None
    strategies: tuple[Strategy, ...] = ()

    def nation(self, nation_id: str) -> Nation | None:
        return next((n for n in self.nations if n.id == nation_id), None)

    def region(self, region_id: str) -> Region | None:
        return next((r for r in self.map.regions if r.id == region_id), None)

    def operation(self, operation_id: str) -> Operation | None:
        return next((o for o in self.operations if o.id == operation_id), None)

    def coalition(self, coalition_id: str) -> Coalition | None:
        return next((c for c in self.coalitions if c.id == coalition_id), None)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.id == actor_id), None)

    def strategy(self, strategy_id: str) -> Strategy | None:
        return next((s for s in self.strategies if s.id == strategy_id), None)

    def relation(self, nation: str, other: str) -> Relation | None:
        """The listed relation of two nations (in either order), if any."""
        pair = {nation, other}
        return next((r for r in self.relations if set(r.between) == pair), None)

    def units(self) -> Iterable[tuple[Nation, Unit]]:
        """Every unit of the scenario with the nation that owns it."""
        for nation in self.nations:
            for unit in nation.units:
                yield nation, unit


@dataclass(frozen=True)
class Issue:
    """A problem found by :func:`check_scenario`: the path of the offending field in the
    scenario document (keys and list indexes) and a message for the author."""

    path: Path
    message: str


def _duplicates(items: Iterable[tuple[Path, str]], what: str) -> list[Issue]:
    seen: dict[str, Path] = {}
    issues: list[Issue] = []
    for path, value in items:
        if value in seen:
            where = format_path(seen[value])
            issues.append(Issue(path, f"duplicate {what} {value!r} (already used at {where})"))
        else:
            seen[value] = path
    return issues


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

# Mirrors the comments on ObjectiveKind, TriggerKind and EffectKind in app/rules/state.py.
_OBJECTIVE_RULES: dict[str, tuple[_TargetRule, _ValueRule]] = {
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
}
# The other kinds measure one nation's own standing, which a shared objective lacks.
_COLLECTIVE_KINDS = ("operation_succeeds", "escalation_at_most", "cohesion_at_least")
_TRIGGER_RULES: dict[str, tuple[_TargetRule, _ValueRule]] = {
    "turn": ("none", "turn"),
    "escalation_at_least": ("none", "level"),
    "support_below": ("nation", "percent"),
    "cohesion_below": ("coalition", "percent"),
    "operation_failed": ("operation", "none"),
    "population_below": ("actor", "percent"),
}
_EFFECT_RULES: dict[str, tuple[_TargetRule, _ValueRule]] = {
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
_EFFECT_TEXTS: dict[str, tuple[str, ...] | None] = {
    "caveat": CAVEATS,
    "leadership_change": None,
    "mandate": tuple(m for m in MANDATES if m != "none"),
}
_CHECK_RULES: dict[str, tuple[_TargetRule, _ValueRule]] = {
    "operation_succeeds": ("operation", "none"),
    "escalation_at_most": ("none", "level"),
    "cohesion_at_least": ("coalition", "percent"),
    "coalition_dissolved": ("coalition", "none"),
    "support_at_least": ("nation", "percent"),
}


@dataclass(frozen=True)
class _Known:
    """The ids a reference may name, and the scale of the turns and the ladder."""

    nations: frozenset[str]
    operations: frozenset[str]
    coalitions: frozenset[str]
    actors: frozenset[str]
    regions: frozenset[str]
    turns: int
    max_level: int

    @classmethod
    def of(cls, scenario: Scenario) -> _Known:
        return cls(
            nations=frozenset(n.id for n in scenario.nations),
            operations=frozenset(o.id for o in scenario.operations),
            coalitions=frozenset(c.id for c in scenario.coalitions),
            actors=frozenset(a.id for a in scenario.actors),
            regions=frozenset(r.id for r in scenario.map.regions),
            turns=scenario.turns,
            max_level=scenario.escalation.max,
        )


def _unknown(what: str, value: str, known: Collection[str], where: str = "") -> str:
    return f"unknown {what} {value!r}{where}{_choices(known, what + 's')}"


def _target_problem(rule: _TargetRule, target: str, known: _Known, subject: str) -> str | None:
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
                return _unknown("nation", nation, known.nations, where)
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
    return None if target in ids else _unknown(what, target, ids, where)


def _value_problem(rule: _ValueRule, value: float, known: _Known, subject: str) -> str | None:
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


def _check_reference(
    path: Path,
    noun: str,
    kind: str,
    target: str,
    value: float,
    rules: tuple[_TargetRule, _ValueRule],
    known: _Known,
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


# -- the cross-field checks, one section of the document at a time ------------------------


def _check_escalation(scenario: Scenario) -> list[Issue]:
    issues: list[Issue] = []
    ladder = scenario.escalation
    if ladder.start > ladder.max:
        issues.append(
            Issue(
                ("escalation", "start"),
                f"start ({ladder.start}) must not be above max ({ladder.max})",
            )
        )
    if ladder.threshold > ladder.max:
        issues.append(
            Issue(
                ("escalation", "threshold"),
                f"threshold ({ladder.threshold}) must not be above max ({ladder.max})",
            )
        )
    if ladder.ladder and len(ladder.ladder) != ladder.max + 1:
        issues.append(
            Issue(
                ("escalation", "ladder"),
                f"names {len(ladder.ladder)} rungs, but levels 0 to {ladder.max} need "
                f"{ladder.max + 1} names (one per level, starting at level 0)",
            )
        )
    return issues


def _check_map(scenario: Scenario) -> list[Issue]:
    regions = scenario.map.regions
    region_ids = {r.id for r in regions}
    issues = _duplicates(
        ((("map", "regions", i, "id"), r.id) for i, r in enumerate(regions)), "region id"
    )
    for i, region in enumerate(regions):
        listed: set[str] = set()
        for j, other in enumerate(region.adjacent):
            path: Path = ("map", "regions", i, "adjacent", j)
            if other == region.id:
                issues.append(Issue(path, f"region {region.id!r} cannot be adjacent to itself"))
            elif other not in region_ids:
                issues.append(Issue(path, f"unknown region {other!r}{_choices(region_ids)}"))
            elif other in listed:
                issues.append(Issue(path, f"region {other!r} is listed twice"))
            listed.add(other)
    return issues


def _check_objectives(
    objectives: Iterable[CollectiveObjective],
    path: Path,
    known: _Known,
    owner: str | None,
) -> list[Issue]:
    """A nation's objectives (``owner`` is its id) or the collective ones (None)."""
    objectives = tuple(objectives)
    issues = _duplicates(
        (((*path, j, "id"), o.id) for j, o in enumerate(objectives)), "objective id"
    )
    for j, objective in enumerate(objectives):
        where: Path = (*path, j)
        if owner is None and objective.kind not in _COLLECTIVE_KINDS:
            issues.append(
                Issue(
                    (*where, "kind"),
                    f"a collective objective cannot be {objective.kind!r}, which measures one "
                    f"nation; use one of {', '.join(_COLLECTIVE_KINDS)}, or give it to a nation",
                )
            )
            continue
        issues += _check_reference(
            where,
            "objective",
            objective.kind,
            objective.target,
            objective.value,
            _OBJECTIVE_RULES[objective.kind],
            known,
        )
        if objective.kind == "trust_at_least" and objective.target == owner:
            issues.append(
                Issue((*where, "target"), "a 'trust_at_least' objective names another nation")
            )
    return issues


def _check_nations(scenario: Scenario, known: _Known) -> list[Issue]:
    issues = _duplicates(
        ((("nations", i, "id"), n.id) for i, n in enumerate(scenario.nations)), "nation id"
    )
    issues += _duplicates(
        (
            (("nations", i, "units", j, "id"), u.id)
            for i, n in enumerate(scenario.nations)
            for j, u in enumerate(n.units)
        ),
        "unit id",
    )
    for i, nation in enumerate(scenario.nations):
        issues += _duplicates(
            ((("nations", i, "caveats", j), c) for j, c in enumerate(nation.caveats)), "caveat"
        )
        if nation.home_region is not None and nation.home_region not in known.regions:
            issues.append(
                Issue(
                    ("nations", i, "home_region"),
                    f"unknown region {nation.home_region!r}{_choices(known.regions)}",
                )
            )
        elif nation.home_region is None and "home-region-only" in nation.caveats:
            where = nation.caveats.index("home-region-only")
            issues.append(
                Issue(
                    ("nations", i, "caveats", where),
                    "the 'home-region-only' caveat needs the nation's home_region",
                )
            )
        issues += _check_objectives(
            nation.objectives, ("nations", i, "objectives"), known, nation.id
        )
    return issues


def _check_operations(scenario: Scenario, known: _Known) -> list[Issue]:
    issues = _duplicates(
        ((("operations", i, "id"), o.id) for i, o in enumerate(scenario.operations)),
        "operation id",
    )
    for i, operation in enumerate(scenario.operations):
        path: Path = ("operations", i)
        if operation.region not in known.regions:
            issues.append(
                Issue(
                    (*path, "region"),
                    f"unknown region {operation.region!r}{_choices(known.regions)}",
                )
            )
        if operation.opens_turn > scenario.turns:
            issues.append(
                Issue(
                    (*path, "opens_turn"),
                    f"opens_turn ({operation.opens_turn}) is after the last turn "
                    f"({scenario.turns})",
                )
            )
        if operation.deadline_turn > scenario.turns:
            issues.append(
                Issue(
                    (*path, "deadline_turn"),
                    f"deadline_turn ({operation.deadline_turn}) is after the last turn "
                    f"({scenario.turns}); use 0 for the end of the game",
                )
            )
        elif 0 < operation.deadline_turn < operation.opens_turn:
            issues.append(
                Issue(
                    (*path, "deadline_turn"),
                    f"deadline_turn ({operation.deadline_turn}) comes before opens_turn "
                    f"({operation.opens_turn})",
                )
            )
    return issues


def _check_relations(scenario: Scenario, known: _Known) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[frozenset[str], int] = {}
    for i, relation in enumerate(scenario.relations):
        path: Path = ("relations", i, "between")
        first, second = relation.between
        bad = False
        for j, nation in enumerate(relation.between):
            if nation not in known.nations:
                issues.append(Issue((*path, j), _unknown("nation", nation, known.nations)))
                bad = True
        if first == second:
            issues.append(
                Issue(
                    (*path, 1),
                    f"a relation is between two different nations, not {first!r} and itself",
                )
            )
            continue
        if bad:
            continue
        pair = frozenset(relation.between)
        if pair in seen:
            issues.append(
                Issue(
                    path,
                    f"the relation between {first!r} and {second!r} is already given at "
                    f"{format_path(('relations', seen[pair]))}",
                )
            )
        else:
            seen[pair] = i
    return issues


def _check_members(members: tuple[str, ...], path: Path, known: _Known, what: str) -> list[Issue]:
    issues = _duplicates(((((*path, j), m) for j, m in enumerate(members))), what)
    for j, member in enumerate(members):
        if member not in known.nations:
            issues.append(Issue((*path, j), _unknown("nation", member, known.nations)))
    return issues


def _check_coalitions(scenario: Scenario, known: _Known) -> list[Issue]:
    issues = _duplicates(
        ((("coalitions", i, "id"), c.id) for i, c in enumerate(scenario.coalitions)),
        "coalition id",
    )
    taken: dict[str, str] = {}  # operation -> the coalition that took it on first
    for i, coalition in enumerate(scenario.coalitions):
        path: Path = ("coalitions", i)
        issues += _check_members(coalition.members, (*path, "members"), known, "member")
        if coalition.lead not in known.nations:
            issues.append(Issue((*path, "lead"), _unknown("nation", coalition.lead, known.nations)))
        elif coalition.lead not in coalition.members:
            issues.append(
                Issue(
                    (*path, "lead"),
                    f"the lead nation {coalition.lead!r} must be one of the members "
                    f"({', '.join(coalition.members)})",
                )
            )
        for j, operation in enumerate(coalition.operations):
            where: Path = (*path, "operations", j)
            if operation not in known.operations:
                issues.append(Issue(where, _unknown("operation", operation, known.operations)))
            elif operation in taken:
                issues.append(
                    Issue(
                        where,
                        f"operation {operation!r} is already taken on by coalition "
                        f"{taken[operation]!r}; an operation has one coalition at most",
                    )
                )
            else:
                taken[operation] = coalition.id
    return issues


def _check_actors(scenario: Scenario, known: _Known) -> list[Issue]:
    issues = _duplicates(
        ((("actors", i, "id"), a.id) for i, a in enumerate(scenario.actors)), "actor id"
    )
    adversary: int | None = None
    for i, actor in enumerate(scenario.actors):
        path: Path = ("actors", i)
        if actor.id in known.nations:
            issues.append(
                Issue(
                    (*path, "id"),
                    f"actor id {actor.id!r} is already a nation id; effects and objectives "
                    "name both, so give the actor another id",
                )
            )
        if actor.region is not None and actor.region not in known.regions:
            issues.append(
                Issue(
                    (*path, "region"), f"unknown region {actor.region!r}{_choices(known.regions)}"
                )
            )
        if actor.kind == "adversary":
            if adversary is not None:
                issues.append(
                    Issue(
                        (*path, "kind"),
                        "a scenario has at most one adversary; "
                        f"{format_path(('actors', adversary))} is already the adversary",
                    )
                )
            else:
                adversary = i
    return issues


_PLAYER_CHANNEL_ID = re.compile(r"ch-[0-9]+")


def _check_channels(scenario: Scenario, known: _Known) -> list[Issue]:
    issues = _duplicates(
        ((("channels", i, "id"), c.id) for i, c in enumerate(scenario.channels)), "channel id"
    )
    for i, channel in enumerate(scenario.channels):
        path: Path = ("channels", i)
        issues += _check_members(channel.members, (*path, "members"), known, "member")
        if _PLAYER_CHANNEL_ID.fullmatch(channel.id):
            issues.append(
                Issue(
                    (*path, "id"),
                    f"channel id {channel.id!r} is reserved: the rules name the channels "
                    "players open during the game 'ch-<number>'",
                )
            )
        if channel.kind == "bilateral" and len(channel.members) != 2:
            issues.append(
                Issue(
                    (*path, "members"),
                    f"a bilateral channel has exactly 2 members, not {len(channel.members)}",
                )
            )
    return issues


def _check_events(scenario: Scenario, known: _Known) -> list[Issue]:
    issues = _duplicates(
        ((("events", i, "id"), e.id) for i, e in enumerate(scenario.events)), "event id"
    )
    for i, event in enumerate(scenario.events):
        path: Path = ("events", i)
        trigger = event.trigger
        issues += _check_reference(
            (*path, "trigger"),
            "trigger",
            trigger.kind,
            trigger.target,
            trigger.value,
            _TRIGGER_RULES[trigger.kind],
            known,
        )
        for j, effect in enumerate(event.effects):
            where: Path = (*path, "effects", j)
            issues += _check_reference(
                where,
                "effect",
                effect.kind,
                effect.target,
                effect.value,
                _EFFECT_RULES[effect.kind],
                known,
            )
            if effect.kind not in _EFFECT_TEXTS:
                continue
            accepted = _EFFECT_TEXTS[effect.kind]
            if accepted is None and not effect.text:
                issues.append(Issue((*where, "text"), f"a {effect.kind!r} effect needs a text"))
            elif accepted is not None and effect.text not in accepted:
                issues.append(
                    Issue(
                        (*where, "text"),
                        f"the text of a {effect.kind!r} effect must be one of "
                        f"{', '.join(accepted)} (got {effect.text!r})",
                    )
                )
    return issues


def _check_settings(scenario: Scenario) -> list[Issue]:
    settings = scenario.settings
    if settings.collapse_threshold > settings.defection_threshold:
        return [
            Issue(
                ("settings", "collapse_threshold"),
                f"collapse_threshold ({settings.collapse_threshold}) must not be above "
                f"defection_threshold ({settings.defection_threshold}): members defect "
                "before a coalition collapses",
            )
        ]
    return []


def _check_history(scenario: Scenario, known: _Known) -> list[Issue]:
    outcome = scenario.historical_outcome
    if outcome is None:
        return []
    issues: list[Issue] = []
    for j, check in enumerate(outcome.checks):
        issues += _check_reference(
            ("historical_outcome", "checks", j),
            "check",
            check.kind,
            check.target,
            check.value,
            _CHECK_RULES[check.kind],
            known,
        )
    if scenario.strategy("historical") is None:
        issues.append(
            Issue(
                ("historical_outcome",),
                "a scenario with a historical_outcome must define a strategy with id "
                "'historical' (how the real actors behaved), so that bot games can check "
                "that it reproduces the outcome",
            )
        )
    return issues


def _check_strategies(scenario: Scenario, known: _Known) -> list[Issue]:
    issues = _duplicates(
        ((("strategies", i, "id"), s.id) for i, s in enumerate(scenario.strategies)),
        "strategy id",
    )
    for i, strategy in enumerate(scenario.strategies):
        for nation, plan in strategy.nations.items():
            path: Path = ("strategies", i, "nations", nation)
            if nation not in known.nations:
                issues.append(Issue(path, _unknown("nation", nation, known.nations)))
            issues += _duplicates(
                (((*path, "focus", j), o) for j, o in enumerate(plan.focus)), "focus operation"
            )
            for j, operation in enumerate(plan.focus):
                if operation not in known.operations:
                    issues.append(
                        Issue(
                            (*path, "focus", j),
                            _unknown("operation", operation, known.operations),
                        )
                    )
    return issues


_Check = Callable[[Scenario, _Known], list[Issue]]


def check_scenario(scenario: Scenario) -> list[Issue]:
    """The cross-field checks of a scenario that pydantic validated field by field.

    Returns the issues section by section; an empty list means the scenario is valid
    (the loader sorts them by line).
    """
    known = _Known.of(scenario)
    issues = _check_escalation(scenario) + _check_map(scenario)
    sections: tuple[_Check, ...] = (
        _check_nations,
        _check_operations,
        _check_relations,
        _check_coalitions,
        _check_actors,
        _check_channels,
        _check_events,
    )
    for check in sections:
        issues += check(scenario, known)
    issues += _check_objectives(
        scenario.collective_objectives, ("collective_objectives",), known, None
    )
    issues += _check_settings(scenario)
    issues += _check_history(scenario, known)
    issues += _check_strategies(scenario, known)
    return issues


def _choices(known: Iterable[str], what: str = "regions") -> str:
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
