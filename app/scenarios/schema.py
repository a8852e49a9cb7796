"""Scenario format v1: the models of an Entente scenario file and their cross-checks.

A scenario is an authored, versioned YAML file in ``scenarios/`` (docs/architecture.md,
"Scenarios").
Validation happens in two passes:

1. the pydantic models (``app.scenarios.models``) check each field on its own (types,
   ranges, enums, required and unknown fields); pydantic reports the location of every
   error;
2. :func:`check_scenario` (``app.scenarios.checks``) then walks the validated model and
   checks what spans several fields (unique ids, references between nations, regions,
   operations, coalitions, actors and the map, the escalation ladder, the targets of
   objectives, events and strategies, and a strategy's intents: aims, red lines and
   the agreements each nation seeks; what each kind may name is in
   ``app.scenarios.references``). It returns :class:`Issue` objects carrying the path of
   the offending field, e.g. ``("operations", 1, "region")``, so the loader can point the
   author at the exact line.

Every part added after the first release of format 1 (relations, coalitions, actors,
channels, events, objectives, settings, historical outcome, strategies, and the new
nation and operation fields) is optional with a default, so older files stay valid.
Each model maps one to one onto a dataclass of ``app.rules.state``; the conversion is
``app.scenarios.build``.

This module gathers the public names of the three, so callers import from one place.
Only the standard library, pydantic and the rules' state types are imported by them.
"""

from app.scenarios.checks import check_scenario
from app.scenarios.models import (
    CAPABILITIES,
    CAVEATS,
    FORMAT_VERSION,
    MANDATES,
    PERSONALITIES,
    POWERS,
    SLUG_PATTERN,
    Actor,
    Aims,
    Caveat,
    Channel,
    CheckKind,
    Coalition,
    CollectiveObjective,
    Effect,
    Escalation,
    Event,
    HistoricalOutcome,
    Line,
    MandateTerms,
    Name,
    Nation,
    NationStrategy,
    Objective,
    Operation,
    OutcomeCheck,
    Path,
    PathElement,
    Personality,
    Reaction,
    RedLine,
    Region,
    Relation,
    Scenario,
    ScenarioText,
    Seeks,
    Settings,
    Slug,
    Strategy,
    StrategyRedLines,
    Successor,
    Tag,
    Target,
    Text,
    TheatreMap,
    Trigger,
    Unit,
)
from app.scenarios.references import Issue, format_path

__all__ = [
    "CAPABILITIES",
    "CAVEATS",
    "FORMAT_VERSION",
    "MANDATES",
    "PERSONALITIES",
    "POWERS",
    "SLUG_PATTERN",
    "Actor",
    "Aims",
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
    "Line",
    "MandateTerms",
    "Name",
    "Nation",
    "NationStrategy",
    "Objective",
    "Operation",
    "OutcomeCheck",
    "Path",
    "PathElement",
    "Personality",
    "Reaction",
    "RedLine",
    "Region",
    "Relation",
    "Scenario",
    "ScenarioText",
    "Seeks",
    "Settings",
    "Slug",
    "Strategy",
    "StrategyRedLines",
    "Successor",
    "Tag",
    "Target",
    "Text",
    "TheatreMap",
    "Trigger",
    "Unit",
    "check_scenario",
    "format_path",
]
