"""The cross-field checks of a validated scenario, one section of the document at a time."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from app.i18n import gettext
from app.scenarios.models import Actor, CollectiveObjective, NationStrategy, Path, Scenario
from app.scenarios.references import (
    CHECK_RULES,
    COLLECTIVE_KINDS,
    EFFECT_RULES,
    EFFECT_TEXTS,
    OBJECTIVE_RULES,
    TRIGGER_RULES,
    Issue,
    Known,
    check_reference,
    duplicates,
    format_path,
    unknown,
)
from app.scenarios.translation_checks import check_translations


def _check_escalation(scenario: Scenario) -> list[Issue]:
    issues: list[Issue] = []
    ladder = scenario.escalation
    if ladder.start > ladder.max:
        issues.append(
            Issue(
                ("escalation", "start"),
                gettext(
                    "start (%(start)s) must not be above max (%(max)s)",
                    start=ladder.start,
                    max=ladder.max,
                ),
            )
        )
    if ladder.threshold > ladder.max:
        issues.append(
            Issue(
                ("escalation", "threshold"),
                gettext(
                    "threshold (%(threshold)s) must not be above max (%(max)s)",
                    threshold=ladder.threshold,
                    max=ladder.max,
                ),
            )
        )
    if ladder.ladder and len(ladder.ladder) != ladder.max + 1:
        issues.append(
            Issue(
                ("escalation", "ladder"),
                gettext(
                    "names %(count)s rungs, but levels 0 to %(max)s need "
                    "%(needed)s names (one per level, starting at level 0)",
                    count=len(ladder.ladder),
                    max=ladder.max,
                    needed=ladder.max + 1,
                ),
            )
        )
    return issues


def _check_map(scenario: Scenario) -> list[Issue]:
    regions = scenario.map.regions
    region_ids = {r.id for r in regions}
    issues = duplicates(
        ((("map", "regions", i, "id"), r.id) for i, r in enumerate(regions)), "region id"
    )
    nation_ids = {n.id for n in scenario.nations}
    for i, region in enumerate(regions):
        if region.host is not None and region.host not in nation_ids:
            issues.append(
                Issue(
                    ("map", "regions", i, "host"),
                    unknown("nation", region.host, nation_ids),
                )
            )
        listed: set[str] = set()
        for j, other in enumerate(region.adjacent):
            path: Path = ("map", "regions", i, "adjacent", j)
            if other == region.id:
                issues.append(
                    Issue(
                        path,
                        gettext("region %(id)s cannot be adjacent to itself", id=repr(region.id)),
                    )
                )
            elif other not in region_ids:
                issues.append(Issue(path, unknown("region", other, region_ids)))
            elif other in listed:
                issues.append(
                    Issue(path, gettext("region %(other)s is listed twice", other=repr(other)))
                )
            listed.add(other)
    return issues


def _check_objectives(
    objectives: Iterable[CollectiveObjective],
    path: Path,
    known: Known,
    owner: str | None,
) -> list[Issue]:
    """A nation's objectives (``owner`` is its id) or the collective ones (None)."""
    objectives = tuple(objectives)
    issues = duplicates(
        (((*path, j, "id"), o.id) for j, o in enumerate(objectives)), "objective id"
    )
    for j, objective in enumerate(objectives):
        where: Path = (*path, j)
        if owner is None and objective.kind not in COLLECTIVE_KINDS:
            issues.append(
                Issue(
                    (*where, "kind"),
                    gettext(
                        "a collective objective cannot be %(kind)s, which measures "
                        "one nation; use one of %(names)s, or give it to a nation",
                        kind=repr(objective.kind),
                        names=", ".join(COLLECTIVE_KINDS),
                    ),
                )
            )
            continue
        issues += check_reference(
            where,
            "objective",
            objective.kind,
            objective.target,
            objective.value,
            OBJECTIVE_RULES[objective.kind],
            known,
        )
        if objective.kind == "trust_at_least" and objective.target == owner:
            issues.append(
                Issue(
                    (*where, "target"), gettext("a 'trust_at_least' objective names another nation")
                )
            )
    return issues


def _check_nations(scenario: Scenario, known: Known) -> list[Issue]:
    issues = duplicates(
        ((("nations", i, "id"), n.id) for i, n in enumerate(scenario.nations)), "nation id"
    )
    issues += duplicates(
        (
            (("nations", i, "units", j, "id"), u.id)
            for i, n in enumerate(scenario.nations)
            for j, u in enumerate(n.units)
        ),
        "unit id",
    )
    for i, nation in enumerate(scenario.nations):
        issues += duplicates(
            ((("nations", i, "caveats", j), c) for j, c in enumerate(nation.caveats)), "caveat"
        )
        if nation.home_region is not None and nation.home_region not in known.regions:
            issues.append(
                Issue(
                    ("nations", i, "home_region"),
                    unknown("region", nation.home_region, known.regions),
                )
            )
        elif nation.home_region is None and "home-region-only" in nation.caveats:
            where = nation.caveats.index("home-region-only")
            issues.append(
                Issue(
                    ("nations", i, "caveats", where),
                    gettext("the 'home-region-only' caveat needs the nation's home_region"),
                )
            )
        issues += _check_objectives(
            nation.objectives, ("nations", i, "objectives"), known, nation.id
        )
        if nation.successor is not None:
            issues += _check_successor(scenario, i, known)
    return issues


def _check_successor(scenario: Scenario, i: int, known: Known) -> list[Issue]:
    """A successor's caveats, the coalitions it leaves and its objectives."""
    nation = scenario.nations[i]
    successor = nation.successor
    assert successor is not None
    path: Path = ("nations", i, "successor")
    issues = duplicates(
        (((*path, "caveats", j), c) for j, c in enumerate(successor.caveats)), "caveat"
    )
    if "home-region-only" in successor.caveats and nation.home_region is None:
        issues.append(
            Issue(
                (*path, "caveats", successor.caveats.index("home-region-only")),
                gettext("the 'home-region-only' caveat needs the nation's home_region"),
            )
        )
    members_of = {c.id for c in scenario.coalitions if nation.id in c.members}
    for j, coalition in enumerate(successor.withdraw):
        if coalition == "*":
            continue
        if coalition not in known.coalitions:
            issues.append(
                Issue((*path, "withdraw", j), unknown("coalition", coalition, known.coalitions))
            )
        elif coalition not in members_of:
            issues.append(
                Issue(
                    (*path, "withdraw", j),
                    gettext(
                        "%(id)s is not a member of coalition %(coalition)s at the "
                        "start; name a coalition it starts in, or '*' for whichever "
                        "it is in by then",
                        id=repr(nation.id),
                        coalition=repr(coalition),
                    ),
                )
            )
    if successor.objectives is not None:
        issues += _check_objectives(successor.objectives, (*path, "objectives"), known, nation.id)
    return issues


def _check_operations(scenario: Scenario, known: Known) -> list[Issue]:
    issues = duplicates(
        ((("operations", i, "id"), o.id) for i, o in enumerate(scenario.operations)),
        "operation id",
    )
    for i, operation in enumerate(scenario.operations):
        path: Path = ("operations", i)
        if operation.region not in known.regions:
            issues.append(
                Issue(
                    (*path, "region"),
                    unknown("region", operation.region, known.regions),
                )
            )
        if operation.opens_turn > scenario.turns:
            issues.append(
                Issue(
                    (*path, "opens_turn"),
                    gettext(
                        "opens_turn (%(opens_turn)s) is after the last turn (%(turns)s)",
                        opens_turn=operation.opens_turn,
                        turns=scenario.turns,
                    ),
                )
            )
        if operation.deadline_turn > scenario.turns:
            issues.append(
                Issue(
                    (*path, "deadline_turn"),
                    gettext(
                        "deadline_turn (%(deadline_turn)s) is after the last turn "
                        "(%(turns)s); use 0 for the end of the game",
                        deadline_turn=operation.deadline_turn,
                        turns=scenario.turns,
                    ),
                )
            )
        elif 0 < operation.deadline_turn < operation.opens_turn:
            issues.append(
                Issue(
                    (*path, "deadline_turn"),
                    gettext(
                        "deadline_turn (%(deadline_turn)s) comes before opens_turn "
                        "(%(opens_turn)s)",
                        deadline_turn=operation.deadline_turn,
                        opens_turn=operation.opens_turn,
                    ),
                )
            )
    return issues


def _check_relations(scenario: Scenario, known: Known) -> list[Issue]:
    issues: list[Issue] = []
    seen: dict[frozenset[str], int] = {}
    for i, relation in enumerate(scenario.relations):
        path: Path = ("relations", i, "between")
        first, second = relation.between
        bad = False
        for j, nation in enumerate(relation.between):
            if nation not in known.nations:
                issues.append(Issue((*path, j), unknown("nation", nation, known.nations)))
                bad = True
        if first == second:
            issues.append(
                Issue(
                    (*path, 1),
                    gettext(
                        "a relation is between two different nations, not %(first)s and itself",
                        first=repr(first),
                    ),
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
                    gettext(
                        "the relation between %(first)s and %(second)s is already "
                        "given at %(where)s",
                        first=repr(first),
                        second=repr(second),
                        where=format_path(("relations", seen[pair])),
                    ),
                )
            )
        else:
            seen[pair] = i
    return issues


def _check_members(members: tuple[str, ...], path: Path, known: Known, what: str) -> list[Issue]:
    issues = duplicates(((((*path, j), m) for j, m in enumerate(members))), what)
    for j, member in enumerate(members):
        if member not in known.nations:
            issues.append(Issue((*path, j), unknown("nation", member, known.nations)))
    return issues


def _check_coalitions(scenario: Scenario, known: Known) -> list[Issue]:
    issues = duplicates(
        ((("coalitions", i, "id"), c.id) for i, c in enumerate(scenario.coalitions)),
        "coalition id",
    )
    taken: dict[str, str] = {}  # operation -> the coalition that took it on first
    for i, coalition in enumerate(scenario.coalitions):
        path: Path = ("coalitions", i)
        issues += _check_members(coalition.members, (*path, "members"), known, "member")
        if coalition.lead not in known.nations:
            issues.append(Issue((*path, "lead"), unknown("nation", coalition.lead, known.nations)))
        elif coalition.lead not in coalition.members:
            issues.append(
                Issue(
                    (*path, "lead"),
                    gettext(
                        "the lead nation %(lead)s must be one of the members (%(names)s)",
                        lead=repr(coalition.lead),
                        names=", ".join(coalition.members),
                    ),
                )
            )
        for j, operation in enumerate(coalition.operations):
            where: Path = (*path, "operations", j)
            if operation not in known.operations:
                issues.append(Issue(where, unknown("operation", operation, known.operations)))
            elif operation in taken:
                issues.append(
                    Issue(
                        where,
                        gettext(
                            "operation %(operation)s is already taken on by coalition "
                            "%(coalition)s; an operation has one coalition at most",
                            operation=repr(operation),
                            coalition=repr(taken[operation]),
                        ),
                    )
                )
            else:
                taken[operation] = coalition.id
    return issues


def _check_actors(scenario: Scenario, known: Known) -> list[Issue]:
    issues = duplicates(
        ((("actors", i, "id"), a.id) for i, a in enumerate(scenario.actors)), "actor id"
    )
    adversary: int | None = None
    for i, actor in enumerate(scenario.actors):
        path: Path = ("actors", i)
        if actor.id in known.nations:
            issues.append(
                Issue(
                    (*path, "id"),
                    gettext(
                        "actor id %(id)s is already a nation id; effects and "
                        "objectives name both, so give the actor another id",
                        id=repr(actor.id),
                    ),
                )
            )
        if actor.region is not None and actor.region not in known.regions:
            issues.append(Issue((*path, "region"), unknown("region", actor.region, known.regions)))
        if actor.kind == "adversary":
            if adversary is not None:
                issues.append(
                    Issue(
                        (*path, "kind"),
                        gettext(
                            "a scenario has at most one adversary; %(where)s is "
                            "already the adversary",
                            where=format_path(("actors", adversary)),
                        ),
                    )
                )
            else:
                adversary = i
        if actor.reaction is not None:
            issues += _check_reaction(scenario, known, actor, (*path, "reaction"))
        if actor.mandate is not None and actor.kind != "un":
            issues.append(
                Issue((*path, "mandate"), gettext("only a council (kind: un) grants mandates"))
            )
    return issues


def _check_reaction(scenario: Scenario, known: Known, actor: Actor, path: Path) -> list[Issue]:
    reaction = actor.reaction
    assert reaction is not None
    if actor.kind != "adversary":
        return [
            Issue(
                path,
                gettext(
                    "only the adversary reacts; this actor is a %(kind)s", kind=repr(actor.kind)
                ),
            )
        ]
    issues = duplicates(
        (((*path, "red_lines", i, "id"), line.id) for i, line in enumerate(reaction.red_lines)),
        "red line id",
    )
    for i, line in enumerate(reaction.red_lines):
        for j, operation in enumerate(line.operations):
            if operation not in known.operations:
                issues.append(
                    Issue(
                        (*path, "red_lines", i, "operations", j),
                        unknown("operation", operation, known.operations),
                    )
                )
    top = scenario.escalation.max
    for i, line in enumerate(reaction.red_lines):
        if line.level is not None and line.level > top:
            issues.append(
                Issue(
                    (*path, "red_lines", i, "level"),
                    gettext(
                        "level (%(level)s) must not be above the ladder's max (%(top)s)",
                        level=line.level,
                        top=top,
                    ),
                )
            )
    if reaction.backs_down_at is not None and reaction.backs_down_at > top:
        issues.append(
            Issue(
                (*path, "backs_down_at"),
                gettext(
                    "backs_down_at (%(backs_down_at)s) must not be above the "
                    "ladder's max (%(top)s)",
                    backs_down_at=reaction.backs_down_at,
                    top=top,
                ),
            )
        )
    return issues


_PLAYER_CHANNEL_ID = re.compile(r"ch-[0-9]+")


def _check_channels(scenario: Scenario, known: Known) -> list[Issue]:
    issues = duplicates(
        ((("channels", i, "id"), c.id) for i, c in enumerate(scenario.channels)), "channel id"
    )
    for i, channel in enumerate(scenario.channels):
        path: Path = ("channels", i)
        issues += _check_members(channel.members, (*path, "members"), known, "member")
        if _PLAYER_CHANNEL_ID.fullmatch(channel.id):
            issues.append(
                Issue(
                    (*path, "id"),
                    gettext(
                        "channel id %(id)s is reserved: the rules name the channels "
                        "players open during the game 'ch-<number>'",
                        id=repr(channel.id),
                    ),
                )
            )
        if channel.kind == "bilateral" and len(channel.members) != 2:
            issues.append(
                Issue(
                    (*path, "members"),
                    gettext(
                        "a bilateral channel has exactly 2 members, not %(count)s",
                        count=len(channel.members),
                    ),
                )
            )
    return issues


def _check_events(scenario: Scenario, known: Known) -> list[Issue]:
    issues = duplicates(
        ((("events", i, "id"), e.id) for i, e in enumerate(scenario.events)), "event id"
    )
    for i, event in enumerate(scenario.events):
        path: Path = ("events", i)
        trigger = event.trigger
        issues += check_reference(
            (*path, "trigger"),
            "trigger",
            trigger.kind,
            trigger.target,
            trigger.value,
            TRIGGER_RULES[trigger.kind],
            known,
        )
        for j, effect in enumerate(event.effects):
            where: Path = (*path, "effects", j)
            issues += check_reference(
                where,
                "effect",
                effect.kind,
                effect.target,
                effect.value,
                EFFECT_RULES[effect.kind],
                known,
            )
            if effect.kind not in EFFECT_TEXTS:
                continue
            accepted = EFFECT_TEXTS[effect.kind]
            if accepted is None and not effect.text:
                issues.append(
                    Issue(
                        (*where, "text"),
                        gettext("a %(kind)s effect needs a text", kind=repr(effect.kind)),
                    )
                )
            elif accepted is not None and effect.text not in accepted:
                issues.append(
                    Issue(
                        (*where, "text"),
                        gettext(
                            "the text of a %(kind)s effect must be one of %(names)s (got %(text)s)",
                            kind=repr(effect.kind),
                            names=", ".join(accepted),
                            text=repr(effect.text),
                        ),
                    )
                )
    return issues


def _check_settings(scenario: Scenario) -> list[Issue]:
    settings = scenario.settings
    if settings.collapse_threshold > settings.defection_threshold:
        return [
            Issue(
                ("settings", "collapse_threshold"),
                gettext(
                    "collapse_threshold (%(collapse_threshold)s) must not be "
                    "above defection_threshold (%(defection_threshold)s): "
                    "members defect before a coalition collapses",
                    collapse_threshold=settings.collapse_threshold,
                    defection_threshold=settings.defection_threshold,
                ),
            )
        ]
    return []


def _check_history(scenario: Scenario, known: Known) -> list[Issue]:
    outcome = scenario.historical_outcome
    if outcome is None:
        return []
    issues: list[Issue] = []
    for j, check in enumerate(outcome.checks):
        issues += check_reference(
            ("historical_outcome", "checks", j),
            "check",
            check.kind,
            check.target,
            check.value,
            CHECK_RULES[check.kind],
            known,
        )
    if scenario.strategy("historical") is None:
        issues.append(
            Issue(
                ("historical_outcome",),
                gettext(
                    "a scenario with a historical_outcome must define a strategy "
                    "with id 'historical' (how the real actors behaved), so that "
                    "bot games can check that it reproduces the outcome"
                ),
            )
        )
    return issues


# The kinds of operation each personality puts forces into (app.bots.personalities).
_PERSONALITY_POWERS: dict[str, frozenset[str]] = {
    "hawk": frozenset({"hard"}),
    "dove": frozenset({"soft"}),
}


def _check_strategies(scenario: Scenario, known: Known) -> list[Issue]:
    issues = duplicates(
        ((("strategies", i, "id"), s.id) for i, s in enumerate(scenario.strategies)),
        "strategy id",
    )
    for i, strategy in enumerate(scenario.strategies):
        for nation, plan in strategy.nations.items():
            path: Path = ("strategies", i, "nations", nation)
            if nation not in known.nations:
                issues.append(Issue(path, unknown("nation", nation, known.nations)))
            issues += _check_intents(plan, path, nation, known)
    return issues


def _check_intents(plan: NationStrategy, path: Path, nation: str, known: Known) -> list[Issue]:
    """A nation's aims, red lines and sought agreements name what exists and agree with
    each other and with its personality."""
    issues: list[Issue] = []
    lists: tuple[tuple[tuple[str, str], tuple[str, ...], str, frozenset[str]], ...] = (
        (("aims", "regions"), plan.aims.regions, "region", known.regions),
        (("red_lines", "regions"), plan.red_lines.regions, "region", known.regions),
        (("red_lines", "coalition_with"), plan.red_lines.coalition_with, "nation", known.nations),
        (("seeks", "coalition_with"), plan.seeks.coalition_with, "nation", known.nations),
        (("red_lines", "powers"), plan.red_lines.powers, "power", frozenset()),
        (("red_lines", "combat_by"), plan.red_lines.combat_by, "capability", frozenset()),
    )
    for (part, field), values, what, names in lists:
        where: Path = (*path, part, field)
        issues += duplicates(((((*where, j), v) for j, v in enumerate(values))), what)
        for j, value in enumerate(values):
            if names and value not in names:
                issues.append(Issue((*where, j), unknown(what, value, names)))
            elif what == "nation" and value == nation:
                issues.append(
                    Issue(
                        (*where, j),
                        gettext("a nation cannot name itself (%(value)s)", value=repr(value)),
                    )
                )
    for j, partner in enumerate(plan.seeks.coalition_with):
        if partner in plan.red_lines.coalition_with:
            issues.append(
                Issue(
                    (*path, "seeks", "coalition_with", j),
                    gettext(
                        "%(partner)s is both sought as a partner and a red line "
                        "(red_lines.coalition_with)",
                        partner=repr(partner),
                    ),
                )
            )
    for j, region in enumerate(plan.aims.regions):
        if region in plan.red_lines.regions:
            issues.append(
                Issue(
                    (*path, "aims", "regions", j),
                    gettext(
                        "region %(region)s is both an aim and a red line (red_lines.regions)",
                        region=repr(region),
                    ),
                )
            )
    powers = _PERSONALITY_POWERS.get(plan.personality, frozenset({"hard", "soft"}))
    if powers <= set(plan.red_lines.powers):
        issues.append(
            Issue(
                (*path, "red_lines", "powers"),
                gettext(
                    "a %(personality)s puts forces only into %(names)s "
                    "operations, and its red lines forbid them all: it could do "
                    "nothing",
                    personality=plan.personality,
                    names=", ".join(sorted(powers)),
                ),
            )
        )
    return issues


_Check = Callable[[Scenario, Known], list[Issue]]


def check_scenario(scenario: Scenario) -> list[Issue]:
    """The cross-field checks of a scenario that pydantic validated field by field.

    Returns the issues section by section; an empty list means the scenario is valid
    (the loader sorts them by line).
    """
    known = Known.of(scenario)
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
    tags = list(dict.fromkeys(n.interoperability for n in scenario.nations))
    issues += [
        Issue(("standards", tag), unknown("interoperability standard", tag, tags))
        for tag in scenario.standards
        if tag not in tags
    ]
    issues += check_translations(scenario)
    return issues
