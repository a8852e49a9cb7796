"""The cross-checks of a scenario's ``translations``: each text names something the
scenario has (a nation, one of its units, an event...) and translates what is there."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from app.i18n import gettext
from app.scenarios.models import Nation, NationText, Path, Scenario, ScenarioText
from app.scenarios.references import Issue, unknown


def _ids(
    given: Mapping[str, object], known: Collection[str], what: str, path: Path, where: str = ""
) -> list[Issue]:
    """An issue for each key of ``given`` that is not one of the ``known`` ids."""
    return [
        Issue((*path, key), unknown(what, key, known, where)) for key in given if key not in known
    ]


def _check_language(scenario: Scenario, texts: ScenarioText, path: Path) -> list[Issue]:
    issues: list[Issue] = []
    ladder = scenario.escalation.ladder
    if texts.ladder and len(texts.ladder) != len(ladder):
        wanted = (
            gettext("%(count)s rungs, one for each of escalation.ladder", count=len(ladder))
            if ladder
            else gettext("none: escalation.ladder names no rungs")
        )
        issues.append(
            Issue(
                (*path, "ladder"),
                gettext(
                    "has %(count)s rungs; it needs %(wanted)s",
                    count=len(texts.ladder),
                    wanted=wanted,
                ),
            )
        )
    sections: Iterable[tuple[str, Mapping[str, object], Collection[str], str]] = (
        ("regions", texts.regions, [r.id for r in scenario.map.regions], "region"),
        ("nations", texts.nations, [n.id for n in scenario.nations], "nation"),
        ("operations", texts.operations, [o.id for o in scenario.operations], "operation"),
        ("coalitions", texts.coalitions, [c.id for c in scenario.coalitions], "coalition"),
        ("actors", texts.actors, [a.id for a in scenario.actors], "actor"),
        ("channels", texts.channels, [c.id for c in scenario.channels], "channel"),
        ("events", texts.events, [e.id for e in scenario.events], "event"),
        (
            "collective_objectives",
            texts.collective_objectives,
            [o.id for o in scenario.collective_objectives],
            "collective objective",
        ),
        ("strategies", texts.strategies, [s.id for s in scenario.strategies], "strategy"),
    )
    for section, given, known, what in sections:
        issues += _ids(given, known, what, (*path, section))
    issues += _ids(
        texts.standards,
        list(dict.fromkeys(n.interoperability for n in scenario.nations)),
        "interoperability standard",
        (*path, "standards"),
    )
    for nation_id, nation_text in texts.nations.items():
        nation = scenario.nation(nation_id)
        if nation is None:
            continue
        at: Path = (*path, "nations", nation_id)
        of = gettext(" of nation %(nation)s", nation=repr(nation_id))
        issues += _ids(nation_text.units, [u.id for u in nation.units], "unit", (*at, "units"), of)
        issues += _ids(
            nation_text.objectives,
            [o.id for o in nation.objectives],
            "objective",
            (*at, "objectives"),
            of,
        )
        if nation_text.leader is not None and not nation.leader:
            issues.append(
                Issue(
                    (*at, "leader"),
                    gettext("nation %(nation)s names no leader", nation=repr(nation_id)),
                )
            )
        issues += _check_successor(nation, nation_text, at)
    for actor_id, actor_text in texts.actors.items():
        actor = scenario.actor(actor_id)
        if actor is None:
            continue
        lines = [line.id for line in actor.reaction.red_lines] if actor.reaction else []
        issues += _ids(
            actor_text.red_lines,
            lines,
            "red line",
            (*path, "actors", actor_id, "red_lines"),
            gettext(" of actor %(actor)s", actor=repr(actor_id)),
        )
    for event in scenario.events:
        event_text = texts.events.get(event.id)
        if event_text is None:
            continue
        briefed = [e.target for e in event.effects if e.kind == "leadership_change" and e.text]
        issues += _ids(
            event_text.briefs,
            briefed,
            "briefed nation",
            (*path, "events", event.id, "briefs"),
            gettext(
                " (event %(event)s has no leadership_change effect with a text for it)",
                event=repr(event.id),
            ),
        )
    if texts.historical_outcome is not None and scenario.historical_outcome is None:
        issues.append(
            Issue((*path, "historical_outcome"), gettext("the scenario has no historical_outcome"))
        )
    return issues


def _check_successor(nation: Nation, texts: NationText, at: Path) -> list[Issue]:
    """The texts of a nation's successor translate the successor the nation has."""
    given, successor = texts.successor, nation.successor
    if given is None:
        return []
    at = (*at, "successor")
    if successor is None:
        return [Issue(at, gettext("nation %(nation)s has no successor", nation=repr(nation.id)))]
    issues = _ids(
        given.objectives,
        [o.id for o in successor.objectives or ()],
        "objective",
        (*at, "objectives"),
        gettext(" of the successor of nation %(nation)s", nation=repr(nation.id)),
    )
    for field in ("leader", "brief"):
        if getattr(given, field) is not None and not getattr(successor, field):
            issues.append(
                Issue(
                    (*at, field),
                    gettext(
                        "the successor of nation %(nation)s has no %(field)s",
                        nation=repr(nation.id),
                        field=field,
                    ),
                )
            )
    return issues


def check_translations(scenario: Scenario) -> list[Issue]:
    issues: list[Issue] = []
    for language, texts in scenario.translations.items():
        issues += _check_language(scenario, texts, ("translations", language))
    return issues
