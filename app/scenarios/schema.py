"""Scenario format v1: the pydantic models of an Entente scenario file.

A scenario is an authored, versioned YAML file in ``scenarios/`` (DESIGN.md section 1).
Validation happens in two passes:

1. the pydantic models below check each field on its own (types, ranges, enums,
   required and unknown fields); pydantic reports the location of every error;
2. :func:`check_scenario` then walks the validated model and checks what spans
   several fields (unique ids, references between regions, operations and the map,
   the ordering of the escalation ladder). It returns :class:`Issue` objects carrying
   the path of the offending field, e.g. ``("operations", 1, "region")``, so the loader
   can point the author at the exact line.

Only the standard library and pydantic are imported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from app.rules.state import Capability, Power

FORMAT_VERSION = 1

Caveat = Literal["no-offensive-ground", "no-night-ops", "no-combat", "home-region-only"]


CAPABILITIES: tuple[str, ...] = get_args(Capability)
CAVEATS: tuple[str, ...] = get_args(Caveat)
POWERS: tuple[str, ...] = get_args(Power)

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")

PathElement = str | int
Path = tuple[PathElement, ...]


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


def _int(ge: int, le: int | None = None) -> object:
    """A strict integer range: YAML ``3`` passes, ``"3"``, ``3.0`` and ``yes`` do not."""
    return Field(strict=True, ge=ge, le=le)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Escalation(_Model):
    """The adversary's escalation ladder: the level starts at ``start``; crossing
    ``threshold`` worsens the crisis; ``max`` is the top rung."""

    start: Annotated[int, _int(0, 100)]
    max: Annotated[int, _int(1, 100)]
    threshold: Annotated[int, _int(1, 100)]


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

    def nation(self, nation_id: str) -> Nation | None:
        return next((n for n in self.nations if n.id == nation_id), None)

    def region(self, region_id: str) -> Region | None:
        return next((r for r in self.map.regions if r.id == region_id), None)

    def operation(self, operation_id: str) -> Operation | None:
        return next((o for o in self.operations if o.id == operation_id), None)

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


def check_scenario(scenario: Scenario) -> list[Issue]:
    """The cross-field checks of a scenario that pydantic validated field by field.

    Returns the issues in document order; an empty list means the scenario is valid.
    """
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

    regions = scenario.map.regions
    region_ids = {r.id for r in regions}
    issues += _duplicates(
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

    issues += _duplicates(
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

    issues += _duplicates(
        ((("operations", i, "id"), o.id) for i, o in enumerate(scenario.operations)),
        "operation id",
    )
    for i, operation in enumerate(scenario.operations):
        if operation.region not in region_ids:
            issues.append(
                Issue(
                    ("operations", i, "region"),
                    f"unknown region {operation.region!r}{_choices(region_ids)}",
                )
            )
    return issues


def _choices(known: Iterable[str]) -> str:
    names = sorted(known)
    if not names:
        return ""
    return "; known regions: " + ", ".join(names)


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
