"""Cross-checking a scenario whose fields do not all validate, so an author sees every
error of a file in one pass (issue 19).

The cross-reference checks (:func:`app.scenarios.schema.check_scenario`) need a validated
model. When pydantic refuses some fields, a *stand-in* document is made from the author's
data: a wrong optional field is removed (its default stands in), a wrong required field
gets the first harmless value its type accepts, and what cannot be stood in for (a unit
that is not a mapping, say) is left out of its list. The stand-in is validated and
cross-checked; an issue about a part that was stood in for, or that names an id whose
item was left out, is dropped, since it would only echo the schema error already
reported. The issues keep the paths of the author's document.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from app.scenarios.schema import Issue, PathElement, Scenario, check_scenario

_DocPath = tuple[PathElement, ...]

# Values tried, in order, for a required field whose own value is wrong.
_CANDIDATES: tuple[object, ...] = (10, 1, 0, 100, 0.5, "x", "placeholder", (), {})
# A stand-in that still fails (a model-level rule, say) is retried a few times, each time
# leaving out more; after that only the schema errors are reported.
_ATTEMPTS = 4


@dataclass
class _StandIn:
    data: Any
    replaced: set[_DocPath]  # original paths whose checks would only echo a stand-in
    left_out: dict[_DocPath, set[int]]  # original list path -> original indexes left out
    left_out_ids: set[str]


def cross_check_partially(data: object, error_paths: Iterable[_DocPath]) -> list[Issue]:
    """The cross-reference issues of ``data`` (a scenario document that failed schema
    validation at ``error_paths``) that do not merely echo those errors; empty when no
    stand-in validates."""
    if not isinstance(data, dict):
        return []
    stand_in = _StandIn(copy.deepcopy(data), set(), {}, set())
    paths = _innermost(list(error_paths))
    scenario: Scenario | None = None
    for _ in range(_ATTEMPTS):
        for path in paths:
            _stand_in_for(stand_in, path)
        try:
            scenario = Scenario.model_validate(_without_left_out(stand_in))
            break
        except ValidationError as exc:
            paths = _innermost([_original_path(stand_in, tuple(e["loc"])) for e in exc.errors()])
            for path in paths:  # the second time round, leave whole items out
                _leave_out_item(stand_in, path)
    if scenario is None:
        return []
    issues: list[Issue] = []
    for issue in check_scenario(scenario):
        path = _original_path(stand_in, issue.path)
        if any(path[: len(done)] == done for done in stand_in.replaced):
            continue
        if any(f"'{gone}'" in issue.message for gone in stand_in.left_out_ids):
            continue
        issues.append(Issue(path, issue.message))
    return issues


def _innermost(paths: list[_DocPath]) -> list[_DocPath]:
    """The paths that contain no other: a list "too short" because one of its items
    failed only echoes that item's error."""
    return [p for p in paths if not any(len(o) > len(p) and o[: len(p)] == p for o in paths)]


# -- standing in ---------------------------------------------------------------------------


def _container(data: Any, path: _DocPath) -> Any:
    """The value at ``path`` of the document, or None where the path leaves it."""
    node = data
    for element in path:
        inside_mapping = isinstance(node, dict) and element in node
        inside_list = isinstance(node, list) and isinstance(element, int) and element < len(node)
        if not (inside_mapping or inside_list):
            return None
        node = node[element]
    return node


def _stand_in_for(stand_in: _StandIn, path: _DocPath) -> None:
    if not path or _is_left_out(stand_in, path):
        return
    *parent_path, name = path
    parent = _container(stand_in.data, tuple(parent_path))
    if isinstance(name, int) or not isinstance(parent, dict):
        _leave_out_item(stand_in, path)
        return
    field = _field_at(tuple(parent_path), name)
    # An unknown field, a key of a free mapping (requirements), or an optional field whose
    # default stands in.
    if field is None or not field.is_required():
        parent.pop(name, None)
    else:
        value = _placeholder(field)
        if name == "id" and isinstance(parent.get(name), str):
            stand_in.left_out_ids.add(parent[name])  # what refers to it cannot resolve
        if value is _NOTHING:
            _leave_out_item(stand_in, path)
            return
        parent[name] = value
    # A stand-in kind, target or value makes its siblings' checks meaningless.
    stand_in.replaced.add(tuple(parent_path) if parent_path else path)


def _leave_out_item(stand_in: _StandIn, path: _DocPath) -> None:
    """Leave out the innermost list item that contains ``path`` (an original path)."""
    for end in range(len(path), 0, -1):
        index = path[end - 1]
        if isinstance(index, int):
            item = _container(stand_in.data, path[:end])
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                stand_in.left_out_ids.add(item["id"])
            stand_in.left_out.setdefault(path[: end - 1], set()).add(index)
            stand_in.replaced.add(path[:end])
            return


def _is_left_out(stand_in: _StandIn, path: _DocPath) -> bool:
    return any(
        isinstance(path[end - 1], int)
        and path[end - 1] in stand_in.left_out.get(path[: end - 1], ())
        for end in range(1, len(path) + 1)
    )


def _without_left_out(stand_in: _StandIn) -> Any:
    def walk(node: Any, path: _DocPath) -> Any:
        if isinstance(node, dict):
            return {key: walk(value, (*path, key)) for key, value in node.items()}
        if isinstance(node, list):
            gone = stand_in.left_out.get(path, set())
            return [walk(item, (*path, i)) for i, item in enumerate(node) if i not in gone]
        return node

    return walk(stand_in.data, ())


def _original_path(stand_in: _StandIn, path: _DocPath) -> _DocPath:
    """A path of the stand-in document (items left out) as a path of the original."""
    original: list[PathElement] = []
    for element in path:
        if isinstance(element, int):
            gone = stand_in.left_out.get(tuple(original), set())
            kept = (i for i in range(element + len(gone) + 1) if i not in gone)
            element = next(i for n, i in enumerate(kept) if n == element)
        original.append(element)
    return tuple(original)


# -- the schema's fields -------------------------------------------------------------------


def _field_at(parent_path: _DocPath, name: str) -> FieldInfo | None:
    model = model_at(parent_path)
    if model is None:
        return None
    return model.model_fields.get(name)


def model_at(path: _DocPath) -> type[BaseModel] | None:
    """The schema model of the mapping at ``path`` (None inside a free mapping)."""
    model: type[BaseModel] | None = Scenario
    keyed = False
    for element in path:
        if isinstance(element, int):
            continue
        if keyed:
            keyed = False
            continue
        if model is None or element not in model.model_fields:
            return None
        annotation = model.model_fields[element].annotation
        keyed = get_origin(annotation) in (Mapping, dict)
        model = _inner_model(annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _inner_model(argument)
        if found is not None:
            return found
    return None


_NOTHING = object()


def _literals(annotation: Any) -> Iterator[object]:
    if get_origin(annotation) is Literal:
        yield from get_args(annotation)
    for argument in get_args(annotation):
        if get_origin(annotation) is not Literal:
            yield from _literals(argument)


@functools.cache
def _adapter(annotation: Any, metadata: tuple[Any, ...]) -> TypeAdapter[Any]:
    typed: Any = Annotated[annotation, *metadata] if metadata else annotation
    return TypeAdapter(typed)


def _placeholder(field: FieldInfo) -> object:
    """The first candidate value the field accepts, or ``_NOTHING``."""
    annotation: Any = field.annotation
    adapter = _adapter(annotation, tuple(field.metadata))
    for candidate in (*_literals(field.annotation), *_CANDIDATES):
        try:
            adapter.validate_python(candidate)
        except ValidationError:
            continue
        return list(candidate) if isinstance(candidate, tuple) else candidate
    return _NOTHING
