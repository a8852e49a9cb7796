"""Scenario format v1: the pydantic models of an Entente scenario file, field by field."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Annotated, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from app.i18n import N_, gettext
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
    standard_name,
)

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
            gettext(
                "must be a slug: lowercase letters, digits and hyphens, starting with a "
                "letter or digit"
            )
        )
    return value


def _check_single_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(gettext("must be a single line"))
    return value


Slug = Annotated[
    str,
    StringConstraints(min_length=1, max_length=64),
    AfterValidator(_check_slug),
    Field(json_schema_extra={"format": "id"}),  # the field reference says "an id"
]
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
    """A place on the theatre map."""

    id: Slug
    name: Name
    x: Annotated[int, _int(0, 1000)] = Field(description=N_("position on the 1000x600 theatre map"))
    y: Annotated[int, _int(0, 600)] = Field(description=N_("position on the 1000x600 theatre map"))
    adjacent: tuple[Slug, ...] = Field((), description=N_("the ids of the regions next to it"))
    host: Slug | None = Field(
        None,
        description=N_(
            "the nation whose territory it is, the only one that grants basing there "
            "(default: the nation whose home_region it is)"
        ),
    )


class TheatreMap(_Model):
    regions: tuple[Region, ...] = Field(min_length=1)


class Unit(_Model):
    """A force a nation can commit to operations."""

    id: Slug = Field(description=N_("unique among all the units of the scenario"))
    name: Name
    capability: Capability = Field(description=N_("what it contributes to an operation's needs"))
    strength: Annotated[int, _int(1, 10)] = Field(description=N_("how much it counts, 1-10"))
    cost: Annotated[int, _int(0)] = Field(description=N_("budget per turn while committed"))


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


class Successor(_Model):
    """The government that takes office if domestic support falls under the leadership
    threshold (docs/rules/domestic-politics.md). Everything is optional: a field left out
    keeps what the fallen government had (caveats are added to the nation's)."""

    leader: Name | None = None
    profile: Profile | None = None
    caveats: tuple[Caveat, ...] = Field(
        default=(), description=N_("national caveats the new government adds")
    )
    withdraw: tuple[Slug | Literal["*"], ...] = Field(
        default=(), description=N_("coalitions it walks out of ('*': every coalition it is in)")
    )
    objectives: tuple[Objective, ...] | None = Field(
        default=None, description=N_("the nation's objectives from then on (replacing its own)")
    )
    brief: Text | None = Field(
        default=None, description=N_("the new leader's brief (becomes the nation's secret brief)")
    )


class Nation(_Model):
    """A player's nation: its means, its politics, its objectives and its forces."""

    id: Slug
    name: Name
    budget: Annotated[int, _int(0)] = Field(description=N_("money at the start"))
    domestic_support: Annotated[int, _int(0, 100)] = Field(
        description=N_("public support at home, 0-100; low support limits what it can do")
    )
    interoperability: Tag = Field(description=N_("nations sharing the same tag interoperate well"))
    caveats: tuple[Caveat, ...] = ()
    public_objective: Text
    secret_objective: Text
    units: tuple[Unit, ...] = Field(min_length=1)
    leader: Name | None = None
    profile: Profile = "pragmatic"
    # Economic weight: a fair share of a coalition's burden is proportional to capacity.
    capacity: Annotated[int, _int(1)] = 100
    income: Annotated[int, _int(0)] = Field(
        default=0, description=N_("budget granted at the start of each turn after the first")
    )
    objectives: tuple[Objective, ...] = ()
    home_region: Slug | None = Field(
        default=None, description=N_("the region a 'home-region-only' caveat confines it to")
    )
    successor: Successor | None = Field(
        default=None, description=N_("who takes office if support brings the government down")
    )

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)


class Operation(_Model):
    id: Slug
    name: Name
    region: Slug
    power: Power
    difficulty: Annotated[int, _int(1, 20)] = Field(
        description=N_("total strength needed for a fair chance")
    )
    requirements: Mapping[Capability, Annotated[int, _int(1, 100)]] = Field(min_length=1)
    description: Text
    risk: Annotated[float, _number(0, 1)] = Field(
        default=0.1, description=N_("chance of casualties per committed unit when executed")
    )
    duration: Annotated[int, _int(1, 20)] = Field(
        default=1, description=N_("successes (partials count half) needed to complete it")
    )
    civilian_risk: Annotated[float, _number(0, 1)] = Field(
        default=0.0, description=N_("chance a failed hard-power execution harms civilians")
    )
    opens_turn: Annotated[int, _int(1)] = Field(
        default=1, description=N_("first turn forces may be committed (an event may open it)")
    )
    deadline_turn: Annotated[int, _int(0)] = Field(
        default=0, description=N_("turn at which it fails if not completed; 0: the game's end")
    )
    posture: Posture = Field(
        default="offensive",
        description=N_("defensive hard power (presence, policing) provokes half as much"),
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


class RedLine(_Model):
    """What the adversary has promised to answer: hard power at any of ``operations``."""

    id: Slug
    name: Name
    operations: tuple[Slug, ...] = Field(min_length=1)
    pressure: Annotated[float, _number(0, 10)] = Field(
        description=N_("escalation pressure (rungs) when the line is first crossed")
    )
    level: Annotated[int, _int(0, 100)] | None = Field(
        None, description=N_("the rung the adversary climbs to at least when it is crossed")
    )


class ResultScale(_Model):
    """How an operation's result scales the adversary's answer to it."""

    success: Annotated[float, _number(-2, 10)] = 1.0
    partial: Annotated[float, _number(-2, 10)] = 1.0
    failure: Annotated[float, _number(-2, 10)] = 1.0


class Reaction(_Model):
    """The adversary's reaction table (docs/rules/adversary.md); pressures are in rungs."""

    offensive: Annotated[float, _number(0, 5)] = Field(
        0.3, description=N_("pressure per unit of force size (strength / difficulty, capped)")
    )
    defensive: Annotated[float, _number(0, 5)] = Field(
        0.1, description=N_("the same for defensive hard power")
    )
    result: ResultScale = ResultScale()
    relief: Annotated[float, _number(0, 5)] = Field(
        1.0, description=N_("scales how far soft power that works calms the crisis")
    )
    deterrence: Annotated[float, _number(0, 5)] = Field(
        0.5, description=N_("relief when a coalition deters as one (doubled when defensive)")
    )
    probe: Annotated[float, _number(0, 5)] = Field(
        0.0, description=N_("pressure per sign of weakness (soft power only, divided), undeterred")
    )
    divided_below: Annotated[int, _int(0, 100)] = Field(
        50, description=N_("a coalition under this cohesion looks divided")
    )
    drift: Annotated[float, _number(0, 5)] = Field(
        0.0, description=N_("pressure in a turn when no operation is attempted")
    )
    momentum: Annotated[float, _number(0, 5)] = Field(
        0.0, description=N_("pressure every turn: a crisis that grows by itself until relieved")
    )
    miscalculation_chance: Annotated[float, _number(0, 1)] = 0.0
    miscalculation: Annotated[float, _number(0, 10)] = 1.0
    backs_down_at: Annotated[int, _int(0, 100)] | None = Field(
        None, description=N_("the level at or below which deterrence or coercion ends the crisis")
    )
    red_lines: tuple[RedLine, ...] = ()


class MandateTerms(_Model):
    """When a council (a `un` actor) grants a coalition that asks it a mandate
    (docs/rules/legitimacy.md)."""

    grants: Literal["un", "regional"] = Field(
        "un", description=N_("the mandate it gives: un, or regional for a regional organisation")
    )
    attitude_at_least: Annotated[int, _int(0, 100)] = Field(
        60, description=N_("its attitude to the coalition effort must be at least this")
    )
    members_at_least: Annotated[int, _int(1, 50)] = Field(
        2, description=N_("the coalition needs at least this many members")
    )
    vetoed_by: Name | None = Field(
        None, description=N_("a permanent member that vetoes any mandate (its name)")
    )


class Actor(_Model):
    """A non-player actor: the adversary (at most one), the UN, an NGO, the population."""

    id: Slug
    name: Name
    kind: ActorKind
    attitude: Annotated[int, _int(0, 100)] = 50
    region: Slug | None = None
    reaction: Reaction | None = Field(
        None, description=N_("the adversary's reaction table (only the adversary has one)")
    )
    mandate: MandateTerms | None = Field(
        None, description=N_("when this council grants a mandate (only a un actor has terms)")
    )


class Channel(_Model):
    """A room for messages. No ``members`` means every nation."""

    id: Slug
    name: Name
    kind: ChannelKind
    members: tuple[Slug, ...] = ()
    leak_chance: Annotated[float, _number(0, 1)] = 0.0


class Trigger(_Model):
    """When an event fires: ``kind`` says what is watched; which ``target`` and ``value``
    each kind takes is in the kinds of trigger."""

    kind: TriggerKind
    target: Target = Field("", description=N_("what the kind watches (see the kinds of trigger)"))
    value: Annotated[float, _number()] = Field(0, description=N_("the level, turn or threshold"))


class Effect(_Model):
    """What an event changes; which ``target``, ``value`` and ``text`` each kind takes is
    in the kinds of effect."""

    kind: EffectKind
    target: Target = Field("", description=N_("what it changes (see the kinds of effect)"))
    value: Annotated[float, _number()] = Field(0, description=N_("the change it makes"))
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


class Aims(_Model):
    """What a nation wants from the crisis besides its own objectives (which a bot always
    pursues: every `operation_succeeds` objective of the nation weighs its operation by its
    points)."""

    regions: tuple[Slug, ...] = Field(
        default=(),
        description=N_(
            "regions whose operations it cares about (each adds a small "
            "objective's worth to the operations there)"
        ),
    )
    collective: bool = Field(
        default=True,
        description=N_("it also pursues the collective objectives (false: only its own)"),
    )


class StrategyRedLines(_Model):
    """What a nation will not do, whatever the operations on offer."""

    powers: tuple[Power, ...] = Field(
        default=(), description=N_("kinds of operation it puts no forces into (hard, soft)")
    )
    regions: tuple[Slug, ...] = Field(default=(), description=N_("regions where it puts no forces"))
    combat_by: tuple[Capability, ...] = Field(
        default=(),
        description=N_(
            "capabilities it sends into no hard-power operation (e.g. [land]: no ground combat)"
        ),
    )
    coalition_with: tuple[Slug, ...] = Field(
        default=(), description=N_("nations it will not share a coalition with")
    )


class Seeks(_Model):
    """The agreements a nation seeks."""

    coalition_with: tuple[Slug, ...] = Field(
        default=(),
        description=N_(
            "the partners it asks first when it founds a coalition (empty: anyone it trusts)"
        ),
    )
    command: CommandStructure | None = Field(
        default=None,
        description=N_("the command structure it proposes when it leads (default: the strategy's)"),
    )
    mandate: bool | None = Field(
        default=None,
        description=N_(
            "as a lead, it asks the councils for a mandate (default: when it uses force)"
        ),
    )
    burden: Literal["forces", "pays"] = Field(
        default="forces",
        description=N_(
            "pays: it offers to carry half of its lead's costs (a cost-sharing "
            "deal) besides any forces it sends"
        ),
    )


class NationStrategy(_Model):
    """What one nation intends (docs/rules/strategies.md): how it plays (its
    personality), what it aims at, its red lines and the agreements it seeks. A bot picks
    operations from these and the state of the game, never from a list of operations."""

    personality: Personality = "cooperative"
    aims: Aims = Field(default_factory=Aims)
    red_lines: StrategyRedLines = Field(default_factory=StrategyRedLines)
    seeks: Seeks = Field(default_factory=Seeks)

    @model_validator(mode="before")
    @classmethod
    def _no_focus(cls, data: object) -> object:
        if isinstance(data, Mapping) and "focus" in data:
            raise ValueError(
                gettext(
                    "'focus' (a list of operations for the bot to pick) was removed: say what "
                    "the nation intends instead, with aims (regions, collective), red_lines "
                    "(powers, regions, combat_by, coalition_with) and seeks (coalition_with, "
                    "command, mandate, burden); see docs/rules/strategies.md"
                )
            )
        return data


class Strategy(_Model):
    """A named way of playing the whole scenario, for bots and Monte Carlo studies.
    Nations not listed play ``cooperative``."""

    id: Slug
    name: Name
    description: Text
    command: CommandStructure | None = Field(
        default=None, description=N_("the command structure coalition leads propose")
    )
    nations: Mapping[Slug, NationStrategy] = Field(default_factory=dict)

    def personality(self, nation_id: str) -> Personality:
        plan = self.nations.get(nation_id)
        return plan.personality if plan is not None else "cooperative"


# --- the scenario's texts in other languages ----------------------------------------------
# The file is written in English (the interface's own language); ``translations`` overlays
# the texts a person reads, by id, in each other language the interface speaks. The rules
# never read them: they are taken in the reader's language when a page is rendered
# (app/scenarios/texts.py). Keep this in step with app.i18n.LANGUAGES (tested).
TranslationLanguage = Literal["fr"]


class _TextModel(_Model):
    """Every field optional: what is not translated is shown in the file's language."""


class UnitText(_TextModel):
    name: Name | None = None


class ObjectiveText(_TextModel):
    text: Text | None = None


class SuccessorText(_TextModel):
    """The texts of the government that may take office; ``objectives`` by the ids of the
    successor's own."""

    leader: Name | None = None
    brief: Text | None = None
    objectives: Mapping[Slug, ObjectiveText] = Field(default_factory=dict)


class NationText(_TextModel):
    """A nation's texts; ``units`` and ``objectives`` by the ids of that nation's own."""

    name: Name | None = None
    leader: Name | None = None
    public_objective: Text | None = None
    secret_objective: Text | None = None
    objectives: Mapping[Slug, ObjectiveText] = Field(default_factory=dict)
    units: Mapping[Slug, UnitText] = Field(default_factory=dict)
    successor: SuccessorText | None = None


class NameText(_TextModel):
    name: Name | None = None


class OperationText(_TextModel):
    name: Name | None = None
    description: Text | None = None


class ActorText(_TextModel):
    name: Name | None = None
    red_lines: Mapping[Slug, NameText] = Field(
        default_factory=dict, description=N_("the adversary's red lines' names, by id")
    )


class EventText(_TextModel):
    name: Name | None = None
    text: Text | None = None
    briefs: Mapping[Slug, Text] = Field(
        default_factory=dict,
        description=N_("the text of its leadership_change effect on each nation, by nation id"),
    )


class StrategyText(_TextModel):
    name: Name | None = None
    description: Text | None = None


class HistoricalOutcomeText(_TextModel):
    summary: Text | None = None


class ScenarioText(_TextModel):
    """A scenario's texts in one other language, each given by the id of what it names."""

    title: Name | None = None
    summary: Line | None = None
    briefing: Text | None = None
    ladder: tuple[Name, ...] = Field(
        (), description=N_("the escalation ladder's rungs (as many as escalation.ladder)")
    )
    regions: Mapping[Slug, NameText] = Field(default_factory=dict)
    standards: Mapping[Tag, Name] = Field(
        default_factory=dict, description=N_("the interoperability standards' names, by tag")
    )
    nations: Mapping[Slug, NationText] = Field(default_factory=dict)
    operations: Mapping[Slug, OperationText] = Field(default_factory=dict)
    coalitions: Mapping[Slug, NameText] = Field(default_factory=dict)
    actors: Mapping[Slug, ActorText] = Field(default_factory=dict)
    channels: Mapping[Slug, NameText] = Field(default_factory=dict)
    events: Mapping[Slug, EventText] = Field(default_factory=dict)
    collective_objectives: Mapping[Slug, ObjectiveText] = Field(default_factory=dict)
    historical_outcome: HistoricalOutcomeText | None = None
    strategies: Mapping[Slug, StrategyText] = Field(default_factory=dict)


class Scenario(_Model):
    """A whole scenario: what players read, the theatre, the nations and their forces, the
    operations, and the optional parts that make the crisis move."""

    format: Literal[1] = Field(description=N_("the version of the file format; always 1"))
    id: Slug = Field(description=N_("the scenario's id in the library; keep it across versions"))
    version: Annotated[int, _int(1)] = Field(description=N_("the author's version number"))
    title: Name = Field(description=N_("the scenario's name, as players see it"))
    summary: Line = Field(description=N_("one line that says what the scenario is about"))
    briefing: Text = Field(description=N_("what every player reads first (Markdown)"))
    turns: Annotated[int, _int(1, 50)] = Field(description=N_("how many turns the game lasts"))
    orders_seconds: Annotated[int, _int(10, 86_400)] = Field(
        description=N_("how long the orders phase of a turn lasts, in seconds")
    )
    escalation: Escalation = Field(description=N_("the adversary's escalation ladder"))
    map: TheatreMap = Field(description=N_("the theatre: its regions and how they connect"))
    nations: tuple[Nation, ...] = Field(min_length=2, description=N_("the players' nations"))
    operations: tuple[Operation, ...] = Field(
        min_length=1, description=N_("what forces can be committed to, region by region")
    )
    relations: tuple[Relation, ...] = Field(
        (), description=N_("trust and alignment between nations at the start")
    )
    coalitions: tuple[Coalition, ...] = Field((), description=N_("coalitions formed at the start"))
    actors: tuple[Actor, ...] = Field(
        (), description=N_("non-player actors: the adversary, the UN, NGOs, the population")
    )
    channels: tuple[Channel, ...] = Field((), description=N_("message rooms open at the start"))
    events: tuple[Event, ...] = Field(
        (), description=N_("the master events list: injects that fire when their trigger is met")
    )
    collective_objectives: tuple[CollectiveObjective, ...] = Field(
        (), description=N_("what the whole coalition is scored on")
    )
    settings: Settings = Field(default_factory=Settings, description=N_("rule settings to tune"))
    historical_outcome: HistoricalOutcome | None = Field(
        None, description=N_("what happened in history, checked against each game's end")
    )
    strategies: tuple[Strategy, ...] = Field(
        (), description=N_("named ways for bots to play the scenario (simulation)")
    )
    standards: Mapping[Tag, Name] = Field(
        default_factory=dict,
        description=N_(
            "the interoperability standards' names as players read them, by the tag "
            "nations give (a tag left out reads as itself, its hyphens as spaces)"
        ),
    )
    translations: Mapping[TranslationLanguage, ScenarioText] = Field(
        default_factory=dict,
        description=N_(
            "its texts in other languages (fr), by the ids of what they name; "
            "what is left out is shown as written above"
        ),
    )

    def nation(self, nation_id: str) -> Nation | None:
        return next((n for n in self.nations if n.id == nation_id), None)

    def standard_name(self, tag: str) -> str:
        """An interoperability standard as players read it."""
        return standard_name(tag, self.standards)

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
