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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args

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


def _type_of(schema: Mapping[str, Any], defs: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """A field's type in words and its allowed values, from its JSON schema."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return f"a mapping ({_title(name)})", ()
    if "const" in schema:
        return "exactly", (_yaml(schema["const"]),)
    if "enum" in schema:
        return "one of", tuple(_yaml(v) for v in schema["enum"])
    for union in ("anyOf", "oneOf"):
        if union in schema:
            options = [o for o in schema[union] if o.get("type") != "null"]
            text, allowed = _type_of(options[0], defs) if options else ("nothing", ())
            nullable = len(options) < len(schema[union])
            return (f"{text} (or nothing)" if nullable else text), allowed
    kind = schema.get("type")
    bounds = []
    for key, word in (("minimum", "at least"), ("maximum", "at most")):
        if key in schema:
            bounds.append(f"{word} {_yaml(schema[key])}")
    if kind == "integer":
        return "a whole number" + (f" ({', '.join(bounds)})" if bounds else ""), ()
    if kind == "number":
        return "a number" + (f" ({', '.join(bounds)})" if bounds else ""), ()
    if kind == "boolean":
        return "true or false", ("true", "false")
    if kind == "string":
        if schema.get("format") == "id":
            return "an id (lowercase letters, digits and hyphens)", ()
        longest = schema.get("maxLength")
        return "text" + (f" (up to {longest} characters)" if longest else ""), ()
    if kind == "array":
        inner, allowed = _type_of(schema.get("items", {}), defs)
        counts = []
        if "minItems" in schema:
            counts.append(f"at least {schema['minItems']}")
        if "maxItems" in schema:
            counts.append(f"at most {schema['maxItems']}")
        count = f" ({', '.join(counts)})" if counts else ""
        return f"a list{count} of {inner}", allowed
    if kind == "object":
        inner, allowed = _type_of(schema.get("additionalProperties", {}), defs)
        keys = schema.get("propertyNames", {}).get("enum")
        if keys:
            return f"a mapping from one of {', '.join(keys)} to {inner}", tuple(keys)
        return f"a mapping from ids to {inner}", allowed
    return "any value", ()


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
    """The reference of every part of the format; ``examples`` are parsed scenario
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
            text, allowed = _type_of(prop, defs)
            default = prop.get("default", _MISSING)
            example = found.get((pattern, field_name), _MISSING)
            fields.append(
                FieldDoc(
                    name=field_name,
                    type=text,
                    required=field_name in required,
                    default="" if default is _MISSING else _yaml(default),
                    allowed=allowed,
                    description=prop.get("description", ""),
                    example="" if example is _MISSING else _example_text(example),
                )
            )
            for ref in _refs(prop):
                children.append((ref, f"{pattern}.{field_name}" if pattern else field_name))
        parts.append(
            PartDoc(pattern, _title(name), definition.get("description", ""), tuple(fields))
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
                text = "one of " + ", ".join(texts) if texts else "any text"
            kinds.append(KindDoc(kind, target_wanted(target_rule), VALUE_WANTED[value_rule], text))
        return KindTable(title, where, tuple(kinds))

    actors = KindTable(
        "Kinds of actor",
        "actors",
        tuple(KindDoc(kind, "", "") for kind in get_args(ActorKind)),
    )
    return (
        table("Kinds of objective", "nations.objectives", OBJECTIVE_RULES),
        table("Kinds of trigger", "events.trigger", TRIGGER_RULES),
        table("Kinds of effect", "events.effects", EFFECT_RULES),
        table("Kinds of historical check", "historical_outcome.checks", CHECK_RULES),
        actors,
    )
