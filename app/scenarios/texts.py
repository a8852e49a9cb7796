"""A scenario's texts in the reader's language.

A scenario file is written in English and may carry ``translations`` (by id, see
``ScenarioText`` in app/scenarios/models.py). The rules never read a translation: a game's
state keeps the file's own texts, and a page takes each text in its reader's language as
it is rendered. :class:`ScenarioTexts` does that for a game: the scenario, the game's
state and its logged events with their texts in one language. A text the game has
changed since it opened (a name chosen in play, a new government) differs from the file's
and is kept as it is; so is every text the translation leaves out.

Only texts are replaced, each where the state already holds it: what a viewer may see is
still decided by the rules' views, from the replaced state.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from app.i18n import DEFAULT_LANGUAGE, N_, gettext, use_language
from app.rules import state as rs
from app.rules.agreements.coalition_membership import LED_COALITION
from app.rules.agreements.joint_statement import STAND_TOGETHER
from app.rules.events import EventKind
from app.rules.outcomes import Event
from app.rules.reasons import TEXT, Reason, in_words
from app.rules.wording.changes import ChangeReason, brief_said, leader_said
from app.scenarios import models as sm
from app.scenarios.build import PLENARY, PUBLIC_CHANNEL_ID

__all__ = ["ScenarioTexts", "translated", "untranslated"]


def _text(value: str | None, fallback: str) -> str:
    return value if value is not None else fallback


def _overlay(item: Any, table: Mapping[str, Any], *fields: str) -> Any:
    """``item`` (a scenario model with an id) with the ``fields`` its entry in ``table``
    gives."""
    given = table.get(item.id)
    if given is None:
        return item
    update = {f: getattr(given, f) for f in fields if getattr(given, f) is not None}
    return item.model_copy(update=update) if update else item


def translated(scenario: sm.Scenario, language: str) -> sm.Scenario:
    """``scenario`` with its texts in ``language`` where it gives them (the file's own
    language, or one it has no translation for, gives it unchanged)."""
    texts = scenario.translations.get(language)  # type: ignore[call-overload]
    if texts is None:
        return scenario
    assert isinstance(texts, sm.ScenarioText)
    empty_nation = sm.NationText()

    def nation(n: sm.Nation) -> sm.Nation:
        t = texts.nations.get(n.id, empty_nation)
        return n.model_copy(
            update={
                "name": _text(t.name, n.name),
                "leader": _text(t.leader, n.leader or "") or n.leader,
                "public_objective": _text(t.public_objective, n.public_objective),
                "secret_objective": _text(t.secret_objective, n.secret_objective),
                "objectives": tuple(_overlay(o, t.objectives, "text") for o in n.objectives),
                "units": tuple(_overlay(u, t.units, "name") for u in n.units),
                "successor": successor(n.successor, t.successor),
            }
        )

    def successor(s: sm.Successor | None, t: sm.SuccessorText | None) -> sm.Successor | None:
        if s is None or t is None:
            return s
        objectives = s.objectives
        if objectives is not None:
            objectives = tuple(_overlay(o, t.objectives, "text") for o in objectives)
        return s.model_copy(
            update={
                "leader": _text(t.leader, s.leader or "") or s.leader,
                "brief": _text(t.brief, s.brief or "") or s.brief,
                "objectives": objectives,
            }
        )

    def actor(a: sm.Actor) -> sm.Actor:
        t = texts.actors.get(a.id)
        if t is None:
            return a
        reaction = a.reaction
        if reaction is not None and t.red_lines:
            reaction = reaction.model_copy(
                update={
                    "red_lines": tuple(_overlay(r, t.red_lines, "name") for r in reaction.red_lines)
                }
            )
        return a.model_copy(update={"name": _text(t.name, a.name), "reaction": reaction})

    def event(e: sm.Event) -> sm.Event:
        t = texts.events.get(e.id)
        if t is None:
            return e
        effects = tuple(
            f.model_copy(update={"text": t.briefs[f.target]})
            if f.kind == "leadership_change" and f.text and f.target in t.briefs
            else f
            for f in e.effects
        )
        return e.model_copy(
            update={
                "name": _text(t.name, e.name),
                "text": _text(t.text, e.text),
                "effects": effects,
            }
        )

    outcome = scenario.historical_outcome
    if outcome is not None and texts.historical_outcome is not None:
        outcome = outcome.model_copy(
            update={"summary": _text(texts.historical_outcome.summary, outcome.summary)}
        )
    escalation = scenario.escalation
    if texts.ladder and len(texts.ladder) == len(escalation.ladder):
        escalation = escalation.model_copy(update={"ladder": texts.ladder})
    return scenario.model_copy(
        update={
            "title": _text(texts.title, scenario.title),
            "standards": {**scenario.standards, **texts.standards},
            "summary": _text(texts.summary, scenario.summary),
            "briefing": _text(texts.briefing, scenario.briefing),
            "escalation": escalation,
            "map": scenario.map.model_copy(
                update={
                    "regions": tuple(
                        _overlay(r, texts.regions, "name") for r in scenario.map.regions
                    )
                }
            ),
            "nations": tuple(nation(n) for n in scenario.nations),
            "operations": tuple(
                _overlay(o, texts.operations, "name", "description") for o in scenario.operations
            ),
            "coalitions": tuple(_overlay(c, texts.coalitions, "name") for c in scenario.coalitions),
            "actors": tuple(actor(a) for a in scenario.actors),
            "channels": tuple(_overlay(c, texts.channels, "name") for c in scenario.channels),
            "events": tuple(event(e) for e in scenario.events),
            "collective_objectives": tuple(
                _overlay(o, texts.collective_objectives, "text")
                for o in scenario.collective_objectives
            ),
            "historical_outcome": outcome,
            "strategies": tuple(
                _overlay(s, texts.strategies, "name", "description") for s in scenario.strategies
            ),
        }
    )


SYNDICATE_NAME = N_("%(name)s — syndicate %(number)s")
"""The name of each syndicate of an exercise of several (stored in English, said in the
reader's language by `ScenarioTexts.title`)."""
BRANCH_NAME = N_("%(name)s — branch from turn %(turn)s")
"""The name of a game branched from another, unless control gave it one."""

_NAMED_PARTS = (
    (SYNDICATE_NAME, re.compile(r"^(?P<name>.+) — syndicate (?P<number>\d+)$")),
    (BRANCH_NAME, re.compile(r"^(?P<name>.+) — branch from turn (?P<turn>\d+)$")),
)


_STATEMENT = re.compile(
    "^" + re.escape(STAND_TOGETHER).replace(re.escape("{coalition}"), "(?P<coalition>.+)") + "$"
)


def _pick(current: str, original: str, translation: str) -> str:
    """The translation of a text the game still holds as the file wrote it; a text the
    game has changed since is its own."""
    return translation if current == original else current


class ScenarioTexts:
    """One scenario's texts in each language it has, for the games started from it."""

    def __init__(self, scenario: sm.Scenario) -> None:
        self.scenario = scenario
        self._translated: dict[str, sm.Scenario] = {}
        self._lock = threading.Lock()

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(self.scenario.translations)

    def scenario_in(self, language: str) -> sm.Scenario:
        if language not in self.scenario.translations:
            return self.scenario
        with self._lock:
            found = self._translated.get(language)
            if found is None:
                found = self._translated[language] = translated(self.scenario, language)
            return found

    def briefing(self, language: str) -> str:
        """What every player reads first (Markdown), in ``language``."""
        scenario = self.scenario_in(language)
        return f"*{scenario.summary}*\n\n{scenario.briefing}"

    def nation_name(self, nation_id: str, name: str, language: str) -> str:
        """A nation's ``name`` (as the game holds it) in ``language``."""
        before = self.scenario.nation(nation_id)
        after = self.scenario_in(language).nation(nation_id)
        return _pick(name, before.name, after.name) if before and after else name

    def title(self, name: str, language: str) -> str:
        """A game's ``name`` in ``language``: one named after the scenario, as most are,
        takes the scenario's title there; a name control gave it is its own. The words
        the code added to it (a syndicate's number, a branch's turn) are said there too."""
        if language != DEFAULT_LANGUAGE:
            for message, pattern in _NAMED_PARTS:
                found = pattern.match(name)
                if found:
                    parts = {**found.groupdict(), "name": self.title(found["name"], language)}
                    with use_language(language):
                        return gettext(message, **parts)
        return _pick(name, self.scenario.title, self.scenario_in(language).title)

    def state_in(self, state: rs.GameState, language: str) -> rs.GameState:
        """``state`` with the scenario's texts it still holds in ``language``, and the
        names the code gave (a default plenary, a new government) in it too."""
        local = _generated_names_in(self._scenario_texts_in(state, language), language)
        return self._code_named_in(local, language)

    def _code_named_in(self, state: rs.GameState, language: str) -> rs.GameState:
        """``state`` with the coalitions the code named after their lead, and the joint
        statements it wrote for a coalition (`said_by_code`), in ``language``."""
        if language == DEFAULT_LANGUAGE:
            return state
        coalitions = tuple(
            replace(c, name=said) if (said := self.said_by_code(c.name, language)) else c
            for c in state.coalitions
        )
        agreements = tuple(
            replace(a, terms=terms) if (terms := self._terms_in(a.terms, language)) else a
            for a in state.agreements
        )
        if coalitions == state.coalitions and agreements == state.agreements:
            return state
        return replace(state, coalitions=coalitions, agreements=agreements)

    def _terms_in(self, terms: Mapping[str, Any], language: str) -> dict[str, Any] | None:
        """An agreement's `terms` with the code's words in ``language`` (None: none)."""
        said = {
            key: new
            for key in ("name", "text")
            if isinstance(terms.get(key), str) and (new := self.said_by_code(terms[key], language))
        }
        return {**terms, **said} if said else None

    def said_by_code(self, text: str, language: str) -> str | None:
        """A name or statement the code wrote in English (a coalition named after its lead,
        `LED_COALITION`; a coalition's joint statement, `STAND_TOGETHER`) in ``language``
        with the scenario's names there; None for any other text (players' own words)."""
        if language == DEFAULT_LANGUAGE:
            return None
        local = self.scenario_in(language)
        statement = _STATEMENT.match(text)
        if statement:
            coalition = statement["coalition"]
            named = self.said_by_code(coalition, language) or self._coalition_named(
                coalition, language
            )
            with use_language(language):
                return gettext(STAND_TOGETHER).format(coalition=named)
        for nation in self.scenario.nations:
            if text == LED_COALITION.format(nation=nation.name):
                there = local.nation(nation.id) or nation
                with use_language(language):
                    return gettext(LED_COALITION).format(nation=there.name)
        return None

    def _coalition_named(self, name: str, language: str) -> str:
        """A coalition's name as the scenario wrote it, in ``language``."""
        for original, there in zip(
            self.scenario.coalitions, self.scenario_in(language).coalitions, strict=True
        ):
            if original.name == name:
                return there.name
        return name

    def _scenario_texts_in(self, state: rs.GameState, language: str) -> rs.GameState:
        if language not in self.scenario.translations:
            return state
        original, local = self.scenario, self.scenario_in(language)
        return replace(
            state,
            nations=tuple(self._nation(n, original, local) for n in state.nations),
            operations=tuple(self._operation(o, original, local) for o in state.operations),
            regions=_renamed(state.regions, original.map.regions, local.map.regions),
            coalitions=_renamed(state.coalitions, original.coalitions, local.coalitions),
            channels=tuple(self._channel(c, original, local) for c in state.channels),
            actors=tuple(self._actor(a, original, local) for a in state.actors),
            events=tuple(self._scripted(e, original, local) for e in state.events),
            collective_objectives=self._objectives(
                state.collective_objectives,
                original.collective_objectives,
                local.collective_objectives,
            ),
            escalation=replace(
                state.escalation,
                ladder=local.escalation.ladder
                if state.escalation.ladder == original.escalation.ladder
                else state.escalation.ladder,
            ),
            standards=_standards(state.standards, original.standards, local.standards),
            pending_changes=self._changes(state.pending_changes, original, local),
            records=tuple(
                replace(r, changes=self._changes(r.changes, original, local)) for r in state.records
            ),
        )

    def event_in(self, event: Event, language: str) -> Event:
        """A logged event with the scenario's texts it carries in ``language`` (a scripted
        inject's title, text and briefs; a successor government's leader and brief; the
        adversary's name in a turn's report)."""
        if language not in self.scenario.translations:
            return event
        if event.kind == EventKind.LEADERSHIP_CHANGE:
            return self._new_government(event, language)
        if event.kind == EventKind.TURN_RESOLVED:
            return self._adversary_named(event, language)
        if isinstance(event.data.get("terms"), dict):  # an agreement proposed or signed
            terms = self._terms_in(event.data["terms"], language)
            return event if terms is None else replace(event, data={**event.data, "terms": terms})
        if event.kind != EventKind.INJECT:
            return event
        event_id = event.data.get("event_id")
        original = next((e for e in self.scenario.events if e.id == event_id), None)
        local = next((e for e in self.scenario_in(language).events if e.id == event_id), None)
        if original is None or local is None:
            return event  # control's own inject: written in the exercise's language
        briefs = _briefs(original)
        local_briefs = _briefs(local)
        data = dict(event.data)
        given: dict[str, str] = dict(data.get("briefs") or {})
        data["name"] = _pick(data.get("name", ""), original.name, local.name)
        data["text"] = _pick(data.get("text", ""), original.text, local.text)
        data["briefs"] = {
            nation: _pick(text, briefs.get(nation, ""), local_briefs.get(nation, text))
            for nation, text in given.items()
        }
        return Event(event.kind, event.actor, data)  # type: ignore[arg-type]

    def _adversary_named(self, event: Event, language: str) -> Event:
        """A resolved turn's report of the adversary's moves names it as the reader does."""
        report = event.data.get("adversary")
        before = next((a for a in self.scenario.actors if a.kind == "adversary"), None)
        if not report or before is None:
            return event
        after = self.scenario_in(language).actor(before.id)
        name = _pick(report["name"], before.name, after.name if after else before.name)
        if name == report["name"]:
            return event
        data = {**event.data, "adversary": {**report, "name": name}}
        return Event(event.kind, event.actor, data)  # type: ignore[arg-type]

    def _new_government(self, event: Event, language: str) -> Event:
        nation_id = event.data.get("nation_id", event.actor)
        before = self.scenario.nation(nation_id or "")
        after = self.scenario_in(language).nation(nation_id or "")
        if before is None or after is None:
            return event
        if before.successor is None:
            # A default government: its words are the rules', said in the reader's language.
            names = {
                n.name: t.name
                for n, t in zip(
                    self.scenario.nations, self.scenario_in(language).nations, strict=True
                )
            }
            with use_language(language):
                data = {
                    **event.data,
                    "leader": leader_said(str(event.data.get("leader", ""))),
                    "brief": brief_said(str(event.data.get("brief", "")), names),
                }
            return Event(event.kind, event.actor, data)  # type: ignore[arg-type]
        assert after.successor is not None
        data = dict(event.data)
        data["leader"] = _pick(
            data.get("leader", ""), before.successor.leader or "", after.successor.leader or ""
        )
        data["brief"] = _pick(
            data.get("brief", ""), before.successor.brief or "", after.successor.brief or ""
        )
        return Event(event.kind, event.actor, data)  # type: ignore[arg-type]

    # -- one part of the state at a time ---------------------------------------------------

    def _nation(self, nation: rs.Nation, original: sm.Scenario, local: sm.Scenario) -> rs.Nation:
        before, after = original.nation(nation.id), local.nation(nation.id)
        if before is None or after is None:
            return nation
        # A new government's brief is the text of the event that brought it.
        secrets = {before.secret_objective: after.secret_objective}
        for scripted, translated_event in zip(original.events, local.events, strict=True):
            secrets.update(
                {
                    e.text: t.text
                    for e, t in zip(scripted.effects, translated_event.effects, strict=True)
                    if e.kind == "leadership_change" and e.target == nation.id and e.text
                }
            )
        leaders = {before.leader or "": after.leader or ""}
        objectives = list(zip(before.objectives, after.objectives, strict=True))
        # The government that took office after a fall: its leader, brief and objectives.
        if before.successor is not None and after.successor is not None:
            new, local_new = before.successor, after.successor
            leaders[new.leader or ""] = local_new.leader or ""
            secrets[new.brief or ""] = local_new.brief or ""
            objectives += zip(new.objectives or (), local_new.objectives or (), strict=True)
        leaders.pop("", None)
        secrets.pop("", None)
        units = {u.id: (u.name, t.name) for u, t in zip(before.units, after.units, strict=True)}
        return replace(
            nation,
            name=_pick(nation.name, before.name, after.name),
            leader=leaders.get(nation.leader, nation.leader),
            public_objective=_pick(
                nation.public_objective, before.public_objective, after.public_objective
            ),
            secret_objective=secrets.get(nation.secret_objective, nation.secret_objective),
            objectives=_translated_objectives(nation.objectives, objectives),
            units=tuple(
                replace(u, name=_pick(u.name, *units[u.id])) if u.id in units else u
                for u in nation.units
            ),
        )

    @staticmethod
    def _objectives(
        objectives: tuple[rs.Objective, ...],
        before: tuple[sm.CollectiveObjective, ...],
        after: tuple[sm.CollectiveObjective, ...],
    ) -> tuple[rs.Objective, ...]:
        return _translated_objectives(objectives, zip(before, after, strict=True))

    @staticmethod
    def _changes(
        changes: tuple[rs.Change, ...], original: sm.Scenario, local: sm.Scenario
    ) -> tuple[rs.Change, ...]:
        """``changes`` with the reasons a scripted event gave in the scenario's words (its
        name, stored as words) in the translation's, and the ladder's rung a crossed
        threshold names (stored in the file's words) as the translation names it: the
        stored history is left as it is."""
        names = {
            e.name: t.name
            for e, t in zip(original.events, local.events, strict=True)
            if e.name != t.name
        }
        rungs = _rungs(original.escalation.ladder, local.escalation.ladder)
        if not names and not rungs:
            return changes
        return tuple(_reason_in(c, names, rungs) for c in changes)

    @staticmethod
    def _operation(
        operation: rs.Operation, original: sm.Scenario, local: sm.Scenario
    ) -> rs.Operation:
        before, after = original.operation(operation.id), local.operation(operation.id)
        if before is None or after is None:
            return operation
        return replace(
            operation,
            name=_pick(operation.name, before.name, after.name),
            description=_pick(operation.description, before.description, after.description),
        )

    @staticmethod
    def _channel(channel: rs.Channel, original: sm.Scenario, local: sm.Scenario) -> rs.Channel:
        # A standing coalition's room bears its name (app/scenarios/build.py).
        names = {
            c.id: (c.name, t.name) for c, t in zip(original.channels, local.channels, strict=True)
        }
        names.update(
            {
                f"coalition-{c.id}": (c.name, t.name)
                for c, t in zip(original.coalitions, local.coalitions, strict=True)
                if f"coalition-{c.id}" not in names
            }
        )
        if channel.id not in names:
            return channel
        return replace(channel, name=_pick(channel.name, *names[channel.id]))

    @staticmethod
    def _actor(actor: rs.Actor, original: sm.Scenario, local: sm.Scenario) -> rs.Actor:
        before, after = original.actor(actor.id), local.actor(actor.id)
        if before is None or after is None:
            return actor
        reaction = actor.reaction
        if reaction is not None and before.reaction is not None and after.reaction is not None:
            lines = {
                r.id: (r.name, t.name)
                for r, t in zip(before.reaction.red_lines, after.reaction.red_lines, strict=True)
            }
            reaction = replace(
                reaction,
                red_lines=tuple(
                    replace(r, name=_pick(r.name, *lines[r.id])) if r.id in lines else r
                    for r in reaction.red_lines
                ),
            )
        return replace(actor, name=_pick(actor.name, before.name, after.name), reaction=reaction)

    @staticmethod
    def _scripted(
        scripted: rs.ScriptedEvent, original: sm.Scenario, local: sm.Scenario
    ) -> rs.ScriptedEvent:
        before = next((e for e in original.events if e.id == scripted.id), None)
        after = next((e for e in local.events if e.id == scripted.id), None)
        if before is None or after is None:
            return scripted
        briefs = {e.text: t.text for e, t in zip(before.effects, after.effects, strict=True)}
        return replace(
            scripted,
            name=_pick(scripted.name, before.name, after.name),
            text=_pick(scripted.text, before.text, after.text),
            effects=tuple(
                replace(e, text=briefs.get(e.text, e.text))
                if e.kind == "leadership_change" and e.text
                else e
                for e in scripted.effects
            ),
        )


def _rungs(before: tuple[str, ...], after: tuple[str, ...]) -> dict[str, str]:
    """Each rung's name in the file and in the translation (the same rung by its place:
    a translation's ladder has as many rungs as the file's, or none)."""
    if len(before) != len(after):
        return {}
    return {b: a for b, a in zip(before, after, strict=True) if b != a}


def _reason_in(change: rs.Change, names: Mapping[str, str], rungs: Mapping[str, str]) -> rs.Change:
    """``change`` with its reason's scenario words (an event's name, a rung's) translated."""
    reason = change.reason
    name = _event_name(reason)
    if name is not None and name in names:
        return replace(change, reason=in_words(names[name]))
    if reason.code == ChangeReason.THRESHOLD_CROSSED and reason.params.get("rung") in rungs:
        params = {**reason.params, "rung": rungs[reason.params["rung"]]}
        return replace(change, reason=Reason(reason.code, params))
    return change


def _event_name(reason: Reason) -> str | None:
    """The words a reason holds, if it is words (a scripted event's name, say)."""
    return str(reason.params.get("text")) if reason.code == TEXT else None


def _translated_objectives(
    objectives: tuple[rs.Objective, ...],
    pairs: Iterable[tuple[sm.CollectiveObjective, sm.CollectiveObjective]],
) -> tuple[rs.Objective, ...]:
    """The state's ``objectives`` with the translation of each it holds as the file wrote
    it (the pairs: each objective of the file and its translation)."""
    texts = {(o.id, o.text): t.text for o, t in pairs}
    return tuple(
        replace(o, text=texts[o.id, o.text]) if (o.id, o.text) in texts else o for o in objectives
    )


def _standards(
    names: Mapping[str, str], before: Mapping[str, str], after: Mapping[str, str]
) -> dict[str, str]:
    """The standards' names in the translation, but a name the game holds differently
    from the file's."""
    kept = {tag: name for tag, name in names.items() if name != before.get(tag)}
    return {**names, **after, **kept}


def _generated_names_in(state: rs.GameState, language: str) -> rs.GameState:
    """The names the code wrote in English into the state (not the scenario's), in
    ``language``: they come from the interface's catalogue, not from a translation."""
    if language == DEFAULT_LANGUAGE:
        return state
    with use_language(language):
        nations = tuple(
            replace(n, leader=leader_said(n.leader)) if n.leadership_changes else n
            for n in state.nations
        )
        channels = tuple(
            replace(c, name=gettext(PLENARY))
            if c.id == PUBLIC_CHANNEL_ID and c.name == PLENARY
            else c
            for c in state.channels
        )
    return replace(state, nations=nations, channels=channels)


def _briefs(event: sm.Event) -> dict[str, str]:
    return {e.target: e.text for e in event.effects if e.kind == "leadership_change" and e.text}


def _renamed(
    items: tuple[Any, ...], before: Iterable[Any], after: Iterable[Any]
) -> tuple[Any, ...]:
    """The state's ``items`` (with an id and a name) named as the translation names them."""
    names = {b.id: (b.name, a.name) for b, a in zip(before, after, strict=True)}
    return tuple(
        replace(item, name=_pick(item.name, *names[item.id])) if item.id in names else item
        for item in items
    )


def untranslated(scenario: sm.Scenario, language: str) -> list[str]:
    """The texts a person reads that the scenario leaves in its own language in
    ``language``, each as a path of the translation (``nations.arvenia.units.x.name``): a
    translation may be partial, and this says what it still lacks."""
    texts = scenario.translations.get(language)  # type: ignore[call-overload]
    if not isinstance(texts, sm.ScenarioText):
        texts = sm.ScenarioText()
    missing: list[str] = []

    def need(path: str, given: object) -> None:
        if given is None or given == ():
            missing.append(path)

    need("title", texts.title)
    need("summary", texts.summary)
    need("briefing", texts.briefing)
    if scenario.escalation.ladder:
        need("ladder", texts.ladder)
    for region in scenario.map.regions:
        need(f"regions.{region.id}.name", getattr(texts.regions.get(region.id), "name", None))
    for tag in dict.fromkeys(n.interoperability for n in scenario.nations):
        need(f"standards.{tag}", texts.standards.get(tag))
    for nation in scenario.nations:
        given = texts.nations.get(nation.id, sm.NationText())
        at = f"nations.{nation.id}"
        for field in ("name", "public_objective", "secret_objective"):
            need(f"{at}.{field}", getattr(given, field))
        if nation.leader:
            need(f"{at}.leader", given.leader)
        for unit in nation.units:
            need(f"{at}.units.{unit.id}.name", getattr(given.units.get(unit.id), "name", None))
        for objective in nation.objectives:
            text = getattr(given.objectives.get(objective.id), "text", None)
            need(f"{at}.objectives.{objective.id}.text", text)
        successor = nation.successor
        if successor is not None:
            given_successor = given.successor or sm.SuccessorText()
            if successor.leader:
                need(f"{at}.successor.leader", given_successor.leader)
            if successor.brief:
                need(f"{at}.successor.brief", given_successor.brief)
            for objective in successor.objectives or ():
                text = getattr(given_successor.objectives.get(objective.id), "text", None)
                need(f"{at}.successor.objectives.{objective.id}.text", text)
    for operation in scenario.operations:
        given_operation = texts.operations.get(operation.id, sm.OperationText())
        need(f"operations.{operation.id}.name", given_operation.name)
        need(f"operations.{operation.id}.description", given_operation.description)
    for section, items in (
        ("coalitions", scenario.coalitions),
        ("channels", scenario.channels),
    ):
        table: Mapping[str, sm.NameText] = getattr(texts, section)
        for item in items:
            need(f"{section}.{item.id}.name", getattr(table.get(item.id), "name", None))
    for actor in scenario.actors:
        given_actor = texts.actors.get(actor.id, sm.ActorText())
        need(f"actors.{actor.id}.name", given_actor.name)
        for red_line in actor.reaction.red_lines if actor.reaction else ():
            name = getattr(given_actor.red_lines.get(red_line.id), "name", None)
            need(f"actors.{actor.id}.red_lines.{red_line.id}.name", name)
    for event in scenario.events:
        given_event = texts.events.get(event.id, sm.EventText())
        need(f"events.{event.id}.name", given_event.name)
        need(f"events.{event.id}.text", given_event.text)
        for nation_id in _briefs(event):
            need(f"events.{event.id}.briefs.{nation_id}", given_event.briefs.get(nation_id))
    for shared in scenario.collective_objectives:
        text = getattr(texts.collective_objectives.get(shared.id), "text", None)
        need(f"collective_objectives.{shared.id}.text", text)
    if scenario.historical_outcome is not None:
        need("historical_outcome.summary", getattr(texts.historical_outcome, "summary", None))
    for strategy in scenario.strategies:
        given_strategy = texts.strategies.get(strategy.id, sm.StrategyText())
        need(f"strategies.{strategy.id}.name", given_strategy.name)
        need(f"strategies.{strategy.id}.description", given_strategy.description)
    return missing
