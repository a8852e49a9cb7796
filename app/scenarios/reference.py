"""The scenario field reference, generated from the schema itself (issue 19).

Every field of every part of a scenario file, with its type, whether it is required, its
default, the values it allows, its description and an example, comes from the pydantic
models' JSON schema (``app.scenarios.models``); what each kind of objective, trigger,
effect and check may name comes from the tables the cross-checks use
(``app.scenarios.references``). Examples are the first value found at the same place in
the scenarios shipped with Entente, so they are real and valid. Nothing is written twice.

A part is addressed by its *pattern*, the path of its mapping with list positions left out
(``nations.units``, ``events.trigger``); the editor computes the same pattern from the
line under the cursor.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

from app.i18n import N_, NP_, gettext, pgettext
from app.rules.state import ActorKind
from app.scenarios.models import Scenario
from app.scenarios.references import (
    CHECK_RULES,
    EFFECT_RULES,
    EFFECT_TEXTS,
    OBJECTIVE_RULES,
    TRIGGER_RULES,
    VALUE_WANTED,
    target_wanted,
)

_MISSING = object()


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    default: str  # as YAML would write it; "" when required
    allowed: tuple[str, ...]
    description: str
    example: str  # as YAML would write it; "" when no shipped scenario sets it


@dataclass(frozen=True)
class PartDoc:
    pattern: str  # "" for the top level
    title: str
    description: str
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class KindDoc:
    kind: str
    target: str
    value: str
    text: str = ""


@dataclass(frozen=True)
class KindTable:
    title: str
    where: str  # the pattern of the part whose ``kind`` it is
    kinds: tuple[KindDoc, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Reference:
    parts: tuple[PartDoc, ...]
    kinds: tuple[KindTable, ...]

    def allowed(self, pattern: str, name: str) -> tuple[str, ...]:
        """The values a field allows (the guided forms offer them), or ()."""
        for part in self.parts:
            if part.pattern == pattern:
                return next((f.allowed for f in part.fields if f.name == name), ())
        return ()

    def as_json(self) -> str:
        """The parts by pattern, for the editor's panel (which follows the cursor)."""
        return json.dumps(
            {
                part.pattern: {
                    "title": part.title,
                    "description": part.description,
                    "fields": {
                        f.name: {
                            "type": f.type,
                            "required": f.required,
                            "default": f.default,
                            "allowed": list(f.allowed),
                            "description": f.description,
                            "example": f.example,
                        }
                        for f in part.fields
                    },
                }
                for part in self.parts
            }
        ).replace("<", "\\u003c")  # it sits in a <script> element of the editor


def _yaml(value: object) -> str:
    """A value as it is written in a scenario file (flow style, on one line)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return value if value and value.strip() == value and ":" not in value else json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    return str(value)


# The msgctxt of a type's words as the items of a list, after "a list of": English says
# "a list of an id", other languages need their own form there (French: "d'identifiants").
# Each `NP_` writes it out: extraction reads only literals.
_ITEMS = "items of a list"


@dataclass(frozen=True)
class _Type:
    """A field's type in words, in the reader's language: on its own (``one``) and as
    what a list holds (``items``); each is one catalogue message with placeholders, so a
    language orders and agrees the words its own way."""

    one: str
    items: str


def _words(one: str, items: str, /, **variables: Any) -> _Type:
    """The type's words from its two messages (the same English, marked twice so the
    catalogue has both: ``N_`` on its own, ``NP_`` in the context of a list's items)."""
    return _Type(gettext(one, **variables), pgettext(_ITEMS, items, **variables))


def _bounds(schema: Mapping[str, Any], low: str, high: str) -> str:
    """A schema's limits (its ``low`` and ``high`` keys) in words: "at least 1, at most 10"."""
    found = []
    if low in schema:
        found.append(gettext("at least %(bound)s", bound=_yaml(schema[low])))
    if high in schema:
        found.append(gettext("at most %(bound)s", bound=_yaml(schema[high])))
    return ", ".join(found)


def _type_of(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[_Type, tuple[str, ...]]:
    """A field's type in words and its allowed values, from its JSON schema."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _words(
            N_("a mapping (%(part)s)"),
            NP_("items of a list", "a mapping (%(part)s)"),
            part=_part_title(name),
        ), ()
    if "const" in schema:
        return _words(N_("exactly"), NP_("items of a list", "exactly")), (_yaml(schema["const"]),)
    if "enum" in schema:
        return _words(N_("one of"), NP_("items of a list", "one of")), tuple(
            _yaml(v) for v in schema["enum"]
        )
    for union in ("anyOf", "oneOf"):
        if union in schema:
            options = [o for o in schema[union] if o.get("type") != "null"]
            if not options:
                return _words(N_("nothing"), NP_("items of a list", "nothing")), ()
            inner, allowed = _type_of(options[0], defs)
            if len(options) == len(schema[union]):
                return inner, allowed
            return _Type(
                gettext("%(type)s (or nothing)", type=inner.one),
                pgettext(_ITEMS, NP_("items of a list", "%(type)s (or nothing)"), type=inner.items),
            ), allowed
    kind = schema.get("type")
    bounds = _bounds(schema, "minimum", "maximum")
    if kind == "integer":
        if bounds:
            return _words(
                N_("a whole number (%(bounds)s)"),
                NP_("items of a list", "a whole number (%(bounds)s)"),
                bounds=bounds,
            ), ()
        return _words(N_("a whole number"), NP_("items of a list", "a whole number")), ()
    if kind == "number":
        if bounds:
            return _words(
                N_("a number (%(bounds)s)"),
                NP_("items of a list", "a number (%(bounds)s)"),
                bounds=bounds,
            ), ()
        return _words(N_("a number"), NP_("items of a list", "a number")), ()
    if kind == "boolean":
        return _words(N_("true or false"), NP_("items of a list", "true or false")), (
            "true",
            "false",
        )
    if kind == "string":
        if schema.get("format") == "id":
            return _words(
                N_("an id (lowercase letters, digits and hyphens)"),
                NP_("items of a list", "an id (lowercase letters, digits and hyphens)"),
            ), ()
        longest = schema.get("maxLength")
        if longest:
            return _words(
                N_("text (up to %(longest)s characters)"),
                NP_("items of a list", "text (up to %(longest)s characters)"),
                longest=longest,
            ), ()
        return _words(N_("text"), NP_("items of a list", "text")), ()
    if kind == "array":
        inner, allowed = _type_of(schema.get("items", {}), defs)
        counts = _bounds(schema, "minItems", "maxItems")
        if counts:
            return _words(
                N_("a list (%(counts)s) of %(items)s"),
                NP_("items of a list", "a list (%(counts)s) of %(items)s"),
                counts=counts,
                items=inner.items,
            ), allowed
        return _words(
            N_("a list of %(items)s"),
            NP_("items of a list", "a list of %(items)s"),
            items=inner.items,
        ), allowed
    if kind == "object":
        inner, allowed = _type_of(schema.get("additionalProperties", {}), defs)
        keys = schema.get("propertyNames", {}).get("enum")
        if keys:
            return _words(
                N_("a mapping from one of %(keys)s to %(value)s"),
                NP_("items of a list", "a mapping from one of %(keys)s to %(value)s"),
                keys=", ".join(keys),
                value=inner.one,
            ), tuple(keys)
        return _words(
            N_("a mapping from ids to %(value)s"),
            NP_("items of a list", "a mapping from ids to %(value)s"),
            value=inner.one,
        ), allowed
    return _words(N_("any value"), NP_("items of a list", "any value")), ()


# Each part's title, by the name of its model: the English is the model's name in words
# (``_title``; a test keeps the two equal), the catalogue gives it in other languages.
_TITLES: dict[str, str] = {
    "Scenario": N_("Scenario"),
    "Actor": N_("Actor"),
    "ActorText": N_("Actor text"),
    "Aims": N_("Aims"),
    "Channel": N_("Channel"),
    "Coalition": N_("Coalition"),
    "CollectiveObjective": N_("Collective objective"),
    "Effect": N_("Effect"),
    "Escalation": N_("Escalation"),
    "Event": N_("Event"),
    "EventText": N_("Event text"),
    "HistoricalOutcome": N_("Historical outcome"),
    "HistoricalOutcomeText": N_("Historical outcome text"),
    "MandateTerms": N_("Mandate terms"),
    "NameText": N_("Name text"),
    "Nation": N_("Nation"),
    "NationStrategy": N_("Nation strategy"),
    "NationText": N_("Nation text"),
    "Objective": N_("Objective"),
    "ObjectiveText": N_("Objective text"),
    "Operation": N_("Operation"),
    "OperationText": N_("Operation text"),
    "OutcomeCheck": N_("Outcome check"),
    "Reaction": N_("Reaction"),
    "RedLine": N_("Red line"),
    "Region": N_("Region"),
    "Relation": N_("Relation"),
    "ResultScale": N_("Result scale"),
    "ScenarioText": N_("Scenario text"),
    "Seeks": N_("Seeks"),
    "Settings": N_("Settings"),
    "Strategy": N_("Strategy"),
    "StrategyRedLines": N_("Strategy red lines"),
    "StrategyText": N_("Strategy text"),
    "Successor": N_("Successor"),
    "SuccessorText": N_("Successor text"),
    "TheatreMap": N_("Theatre map"),
    "Trigger": N_("Trigger"),
    "Unit": N_("Unit"),
    "UnitText": N_("Unit text"),
}


def _part_title(name: str) -> str:
    return gettext(_TITLES.get(name, _title(name)))


def _translated(description: str) -> str:
    """A description of the schema (a model's docstring or a field's ``description``) in
    the reader's language; scripts/i18n.py extracts them all (``schema_descriptions``)."""
    return gettext(description) if description else ""


def schema_descriptions() -> Iterator[tuple[str, str]]:
    """(description, model name) of every description of the scenario schema, for the
    catalogue: the models' docstrings cannot be marked where they are written."""
    schema = Scenario.model_json_schema(mode="validation")

    def walk(node: object, owner: str) -> Iterator[tuple[str, str]]:
        if isinstance(node, dict):
            text = node.get("description")
            if isinstance(text, str) and text:
                yield text, owner
            for key, value in node.items():
                if key != "description":
                    yield from walk(value, owner)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value, owner)

    for name, definition in {"Scenario": schema, **schema.get("$defs", {})}.items():
        yield from walk({k: v for k, v in definition.items() if k != "$defs"}, name)


def _title(name: str) -> str:
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in name).strip()
    return words[:1].upper() + words[1:]


def _examples(documents: Iterable[object]) -> dict[tuple[str, str], object]:
    """The first value of each (pattern, field) in the shipped scenarios."""
    found: dict[tuple[str, str], object] = {}

    def walk(node: object, pattern: str) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item, pattern)
        elif isinstance(node, dict):
            for key, value in node.items():
                found.setdefault((pattern, str(key)), value)
                walk(value, f"{pattern}.{key}" if pattern else str(key))

    for document in documents:
        walk(document, "")
    return found


def _example_text(value: object) -> str:
    if isinstance(value, dict | list):
        text = _yaml(value)
        return text if len(text) <= 160 else text[:157] + "..."
    if isinstance(value, str) and ("\n" in value or len(value) > 160):
        first = value.strip().splitlines()[0] if value.strip() else ""
        return json.dumps(first[:157] + ("..." if len(first) > 157 else ""))
    return _yaml(value)


def build_reference(examples: Iterable[object] = ()) -> Reference:
    """The reference of every part of the format, in the current language (field names,
    values and examples stay as a file writes them); ``examples`` are parsed scenario
    documents (the shipped ones) the examples are taken from."""
    schema = Scenario.model_json_schema(mode="validation")
    defs: Mapping[str, Any] = schema.get("$defs", {})
    found = _examples(examples)
    parts: list[PartDoc] = []
    seen: set[str] = set()

    def visit(definition: Mapping[str, Any], name: str, pattern: str) -> None:
        if pattern in seen:
            return
        seen.add(pattern)
        required = set(definition.get("required", ()))
        fields: list[FieldDoc] = []
        children: list[tuple[str, str]] = []
        for field_name, prop in definition.get("properties", {}).items():
            words, allowed = _type_of(prop, defs)
            default = prop.get("default", _MISSING)
            example = found.get((pattern, field_name), _MISSING)
            fields.append(
                FieldDoc(
                    name=field_name,
                    type=words.one,
                    required=field_name in required,
                    default="" if default is _MISSING else _yaml(default),
                    allowed=allowed,
                    description=_translated(prop.get("description", "")),
                    example="" if example is _MISSING else _example_text(example),
                )
            )
            for ref in _refs(prop):
                children.append((ref, f"{pattern}.{field_name}" if pattern else field_name))
        parts.append(
            PartDoc(
                pattern,
                _part_title(name),
                _translated(definition.get("description", "")),
                tuple(fields),
            )
        )
        for ref, child_pattern in children:
            visit(defs[ref], ref, child_pattern)

    visit(schema, "Scenario", "")
    return Reference(tuple(parts), _kind_tables())


def _refs(schema: Mapping[str, Any]) -> Iterable[str]:
    if "$ref" in schema:
        yield schema["$ref"].rsplit("/", 1)[-1]
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _refs(schema[key])
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, ()):
            yield from _refs(option)


def _kind_tables() -> tuple[KindTable, ...]:
    def table(title: str, where: str, rules: Mapping[str, Any]) -> KindTable:
        kinds = []
        for kind, (target_rule, value_rule) in rules.items():
            texts = EFFECT_TEXTS.get(kind, ()) if rules is EFFECT_RULES else ()
            text = ""
            if kind in EFFECT_TEXTS and rules is EFFECT_RULES:
                text = (
                    gettext("one of %(values)s", values=", ".join(texts))
                    if texts
                    else gettext("any text")
                )
            kinds.append(
                KindDoc(
                    kind,
                    gettext(target_wanted(target_rule)),
                    gettext(VALUE_WANTED[value_rule]),
                    text,
                )
            )
        return KindTable(gettext(title), where, tuple(kinds))

    actors = KindTable(
        gettext("Kinds of actor"),
        "actors",
        tuple(KindDoc(kind, "", "") for kind in get_args(ActorKind)),
    )
    return (
        table(N_("Kinds of objective"), "nations.objectives", OBJECTIVE_RULES),
        table(N_("Kinds of trigger"), "events.trigger", TRIGGER_RULES),
        table(N_("Kinds of effect"), "events.effects", EFFECT_RULES),
        table(N_("Kinds of historical check"), "historical_outcome.checks", CHECK_RULES),
        actors,
    )
