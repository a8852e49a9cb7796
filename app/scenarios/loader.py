"""Loading scenario files, with errors that point at a line and a field.

Instructors author scenarios as YAML, and the browser editor shows errors by line and
field (docs/architecture.md, "Scenarios"), so every problem is reported as a
:class:`ScenarioError` ``file:line:column: field: message`` where ``field`` is the path
of the offending field (``nations[0].units[2].strength``) or ``(document)``.

How a line is found: the text is composed into a YAML node tree first (``SafeLoader``),
which gives a map from each path (a tuple of keys and list indexes) to the position of
its key (for a mapping entry) or of the item (for a list entry). Pydantic's error
locations and the cross-reference issues of :func:`app.scenarios.schema.check_scenario`
are paths in the same document, so each error is placed at the deepest part of its path
present in the document: a wrong value at its key, a missing field at the mapping that
lacks it. Duplicate keys, which PyYAML silently collapses to the last one, are reported
too.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from app.i18n import N_, gettext, ngettext
from app.scenarios.partial import cross_check_partially, model_at
from app.scenarios.pydantic_messages import pydantic_message
from app.scenarios.schema import (
    FORMAT_VERSION,
    PathElement,
    Scenario,
    check_scenario,
    format_path,
)

__all__ = [
    "SCENARIO_SUFFIXES",
    "ScenarioError",
    "ScenarioInvalid",
    "load_directory",
    "load_scenario",
    "parse_scenario",
    "validate_paths",
]

logger = logging.getLogger(__name__)

SCENARIO_SUFFIXES = (".yaml", ".yml")
DOCUMENT = "(document)"

# A scenario is a few hundred nodes; aliases can make a small text expand enormously
# ("billion laughs"), so stop walking long before that hurts the server.
_MAX_NODES = 100_000
_MERGE_TAG = "tag:yaml.org,2002:merge"

_DocPath = tuple[PathElement, ...]
_Position = tuple[int, int]  # 1-based line and column


@dataclass(frozen=True)
class ScenarioError:
    """One problem in a scenario file. ``line`` and ``column`` are 1-based; 0 means the
    file could not be read at all. ``field`` is the path as the schema spells it
    (``nations[3].objectives[0]``, counting from 0); ``named`` the same path as an author
    reads it (``nations[veskland].objectives[win]``, see :func:`readable_path`), which is
    what is shown."""

    file: str
    line: int
    column: int
    field: str
    message: str
    named: str = ""

    @property
    def place(self) -> str:
        return self.named or self.field

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.place}: {self.message}"


class ScenarioInvalid(Exception):
    """A scenario file that cannot be used; ``errors`` lists every problem found."""

    def __init__(self, errors: Iterable[ScenarioError]) -> None:
        self.errors: list[ScenarioError] = list(errors)
        super().__init__(*self.errors)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class _TooLarge(Exception):
    pass


def _position(mark: Mark) -> _Position:
    return mark.line + 1, mark.column + 1


class _DocumentIndex:
    """Positions of every path of a composed YAML document, and its duplicate keys."""

    def __init__(self, root: Node) -> None:
        self.positions: dict[_DocPath, _Position] = {(): _position(root.start_mark)}
        self.duplicates: list[tuple[_DocPath, _Position, int]] = []  # path, where, first line
        self._budget = _MAX_NODES
        self._walk(root, (), set())

    def locate(self, path: _DocPath) -> _Position:
        """The position of the deepest prefix of ``path`` present in the document."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.positions:
                return self.positions[prefix]
            # A mapping key that YAML read as a number (``1: x``) is stored as text.
            text_prefix = (*path[: end - 1], str(path[end - 1])) if end else prefix
            if text_prefix in self.positions:
                return self.positions[text_prefix]
        return self.positions[()]

    def _walk(self, node: Node, path: _DocPath, ancestors: set[int]) -> None:
        if id(node) in ancestors:  # a recursive alias: the path would never end
            return
        self._budget -= 1
        if self._budget < 0:
            raise _TooLarge
        ancestors.add(id(node))
        try:
            if isinstance(node, MappingNode):
                self._walk_mapping(node, path, ancestors)
            elif isinstance(node, SequenceNode):
                for index, item in enumerate(node.value):
                    child = (*path, index)
                    self.positions[child] = _position(item.start_mark)
                    self._walk(item, child, ancestors)
        finally:
            ancestors.discard(id(node))

    def _walk_mapping(self, node: MappingNode, path: _DocPath, ancestors: set[int]) -> None:
        first_seen: dict[tuple[str, str], _Position] = {}
        merged: list[Node] = []
        for key, value in node.value:
            if key.tag == _MERGE_TAG:
                merged.append(value)
                continue
            if not isinstance(key, ScalarNode):
                continue
            where = _position(key.start_mark)
            identity = (key.tag, key.value)
            if identity in first_seen:
                self.duplicates.append(((*path, key.value), where, first_seen[identity][0]))
            else:
                first_seen[identity] = where
            child = (*path, key.value)
            self.positions[child] = where  # the last one wins, as in the constructed data
            self._walk(value, child, ancestors)
        # ``<<: *defaults`` adds the keys the mapping does not set itself.
        for source in merged:
            sources = source.value if isinstance(source, SequenceNode) else [source]
            for mapping in sources:
                if not isinstance(mapping, MappingNode):
                    continue
                for key, value in mapping.value:
                    if not isinstance(key, ScalarNode) or key.tag == _MERGE_TAG:
                        continue
                    child = (*path, key.value)
                    if child not in self.positions:
                        self.positions[child] = _position(key.start_mark)
                        self._walk(value, child, ancestors)


# PyYAML's words (its contexts and problems), said in the author's language: the ones a
# scenario's author meets, whole or with the part PyYAML fills in; others stay PyYAML's.
_YAML_WORDS: dict[str, str] = {
    "mapping values are not allowed here": N_("mapping values are not allowed here"),
    "could not find expected ':'": N_("could not find expected ':'"),
    "found unexpected end of stream": N_("found unexpected end of stream"),
    "found unhashable key": N_("found unhashable key"),
    "found unexpected document separator": N_("found unexpected document separator"),
    "expected a single document in the stream": N_("expected a single document in the stream"),
    "while scanning a simple key": N_("while scanning a simple key"),
    "while scanning a plain scalar": N_("while scanning a plain scalar"),
    "while scanning a quoted scalar": N_("while scanning a quoted scalar"),
    "while scanning a double-quoted scalar": N_("while scanning a double-quoted scalar"),
    "while scanning a block scalar": N_("while scanning a block scalar"),
    "while scanning for the next token": N_("while scanning for the next token"),
    "while scanning an alias": N_("while scanning an alias"),
    "while scanning an anchor": N_("while scanning an anchor"),
    "while parsing a block mapping": N_("while parsing a block mapping"),
    "while parsing a block collection": N_("while parsing a block collection"),
    "while parsing a flow mapping": N_("while parsing a flow mapping"),
    "while parsing a flow sequence": N_("while parsing a flow sequence"),
    "while parsing a block node": N_("while parsing a block node"),
    "while parsing a flow node": N_("while parsing a flow node"),
    "while parsing a node": N_("while parsing a node"),
    "while composing a mapping": N_("while composing a mapping"),
    "while constructing a mapping": N_("while constructing a mapping"),
    "found duplicate key": N_("found duplicate key"),
}
_YAML_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"expected (?P<expected>.+), but (?:found|got) (?P<found>.+)"),
        N_("expected %(expected)s, but found %(found)s"),
    ),
    (
        re.compile(r"found character (?P<found>.+) that cannot start any token"),
        N_("found character %(found)s that cannot start any token"),
    ),
    (re.compile(r"found undefined alias (?P<found>.+)"), N_("found undefined alias %(found)s")),
    (
        re.compile(r"found unknown escape character (?P<found>.+)"),
        N_("found unknown escape character %(found)s"),
    ),
    (
        re.compile(r"found duplicate anchor (?P<found>.+); first occurrence"),
        N_("found duplicate anchor %(found)s; first occurrence"),
    ),
)
_YAML_EXPECTED: dict[str, str] = {
    "a comment or a line break": N_("a comment or a line break"),
    "the node content": N_("the node content"),
    "a mapping node": N_("a mapping node"),
    "a sequence node": N_("a sequence node"),
    "a scalar node": N_("a scalar node"),
}


def yaml_words(said: str) -> str:
    """One of PyYAML's contexts or problems in the author's language (as it is if unknown)."""
    if said in _YAML_WORDS:
        return gettext(_YAML_WORDS[said])
    for pattern, template in _YAML_PATTERNS:
        found = pattern.fullmatch(said)
        if found is not None:
            parts = {
                k: gettext(_YAML_EXPECTED[v]) if v in _YAML_EXPECTED else v
                for k, v in found.groupdict().items()
            }
            return gettext(template, **parts)
    return said


def _yaml_problem(exc: yaml.YAMLError, text: str, filename: str) -> ScenarioError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        parts: list[str] = []
        if exc.context:
            context = yaml_words(exc.context)
            if exc.context_mark is not None and (
                mark is None or exc.context_mark.line != mark.line
            ):
                context += gettext(" (line %(line)s)", line=exc.context_mark.line + 1)
            parts.append(context)
        if exc.problem:
            parts.append(yaml_words(exc.problem))
        line, column = _position(mark) if mark is not None else (0, 0)
        message = (
            gettext("%(context)s: %(problem)s", context=parts[0], problem=parts[1])
            if len(parts) == 2
            else (parts[0] if parts else gettext("invalid YAML"))
        )
        hint = _indentation_hint(exc, text)
        if hint:
            message = gettext("%(problem)s. %(hint)s", problem=message, hint=hint)
        return ScenarioError(
            filename, line, column, DOCUMENT, gettext("invalid YAML: %(problem)s", problem=message)
        )
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        return ScenarioError(
            filename,
            line,
            column,
            DOCUMENT,
            gettext(
                "invalid YAML: the control character U+%(code)s is not allowed",
                code=f"{exc.character:04X}",
            ),
        )
    return ScenarioError(
        filename, 1, 1, DOCUMENT, gettext("invalid YAML: %(problem)s", problem=exc)
    )


def _indent_of(line: str) -> int:
    """The 1-based column of the first character of a line."""
    return len(line) - len(line.lstrip(" ")) + 1


def _line_above(lines: list[str], index: int) -> tuple[int, str] | None:
    """The nearest line above ``index`` (0-based) with content: its number and text."""
    for above in range(index - 1, -1, -1):
        stripped = lines[above].strip()
        if stripped and not stripped.startswith("#"):
            return above + 1, lines[above]
    return None


def _indentation_hint(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    """What to fix, in an author's words, for the YAML errors that a wrong indentation
    causes (PyYAML's messages name parser tokens such as ``<block end>``)."""
    mark = exc.problem_mark
    problem = exc.problem or ""
    if mark is None:
        return None
    if "'\\t'" in problem:
        return gettext("YAML indents with spaces only: replace the tab with spaces")
    lines = text.splitlines()
    if not 0 <= mark.line < len(lines):
        return None
    number, here = mark.line + 1, lines[mark.line]
    column = _indent_of(here)
    above = _line_above(lines, mark.line)
    if problem.startswith("expected <block end>"):
        context = exc.context_mark
        if (
            context is not None
            and "block collection" in (exc.context or "")
            and column == context.column + 1
            and not here.lstrip().startswith("-")
            and 0 <= context.line < len(lines)
        ):
            item = lines[context.line]
            after_dash = item[context.column + 1 :]
            key_column = context.column + 2 + len(after_dash) - len(after_dash.lstrip(" "))
            return gettext(
                "Check the indentation of line %(line)s: it starts in the column of the '-' "
                "of the list opened on line %(list_line)s; a key of a list item must line up "
                "with the first key after its '- ' (column %(column)s), and a new item must "
                "start with '- '",
                line=number,
                list_line=context.line + 1,
                column=key_column,
            )
        scalar = ""
        if "<scalar>" in problem:
            scalar = gettext(
                "; every line of a multi-line text (after '|' or '>') must be indented at "
                "least as far as its first line"
            )
        block = ""
        if exc.context_mark is not None:
            block = gettext(
                "; the block opened on line %(line)s has its entries at column %(column)s",
                line=exc.context_mark.line + 1,
                column=exc.context_mark.column + 1,
            )
        previous = (
            gettext(
                "; line %(line)s starts at column %(column)s",
                line=above[0],
                column=_indent_of(above[1]),
            )
            if above
            else ""
        )
        return gettext(
            "Check the indentation of line %(line)s: it starts at column %(column)s, which "
            "lines up with no key or '-' item above it%(previous)s%(block)s. Every key of a "
            "mapping (and every '-' of a list) must start in the same column as the "
            "others%(scalar)s",
            line=number,
            column=column,
            previous=previous,
            block=block,
            scalar=scalar,
        )
    if problem.startswith("mapping values are not allowed"):
        if above is not None and column > _indent_of(above[1]):
            opener = above[1].rstrip()
            if not opener.endswith((":", "|", ">", "-", "|-", ">-")):
                return gettext(
                    "Check the indentation of line %(line)s: it starts at column %(column)s, "
                    "deeper than line %(above)s (column %(above_column)s), which does not "
                    "open a nested block; line it up with the keys above it",
                    line=number,
                    column=column,
                    above=above[0],
                    above_column=_indent_of(above[1]),
                )
        return gettext("If a value contains ': ', put the whole value in quotes")
    if problem.startswith("could not find expected ':'"):
        return gettext(
            "Each line of a mapping must be 'key: value'; check for a missing ':' or for a "
            "continuation line indented less than the value it continues"
        )
    return None


def _describe(value: object) -> str:
    if isinstance(value, Mapping):
        return gettext("a mapping")
    if isinstance(value, list | tuple):
        return gettext("a list")
    if value is None:
        return gettext("nothing (null)")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(word: object, choices: Iterable[str]) -> str:
    if not isinstance(word, str):
        return ""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return gettext(" (did you mean %(word)s?)", word=repr(close[0])) if close else ""


def _pydantic_problem(error: Mapping[str, Any]) -> tuple[_DocPath, str] | None:
    """The document path and an author-friendly message for one pydantic error, or None
    for an error that only echoes others."""
    path: _DocPath = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    context: Mapping[str, Any] = error.get("ctx") or {}
    if kind == "too_short" and isinstance(value, list | tuple | Mapping):
        minimum = int(context.get("min_length", 0))
        if len(value) >= minimum:
            # pydantic counts only the items that validated; those items have their own
            # errors, so "at least 2 items, not 0" would mislead.
            return None
        return path, ngettext(
            "needs at least %(num)d item, has %(count)s",
            "needs at least %(num)d items, has %(count)s",
            minimum,
            count=len(value),
        )
    message = pydantic_message(error)
    if path and path[-1] == "[key]":  # an invalid key of a mapping such as requirements
        path = path[:-1]
        return path, gettext(
            "invalid key %(key)s: %(problem)s", key=repr(path[-1]), problem=message
        )
    if kind == "invalid_key" and path:  # ``1: x`` or ``null: x`` where a field name goes
        key = path[-1]
        return (*path[:-1], str(key)), gettext(
            "field names must be text, not %(found)s", found=_describe(key)
        )
    name = path[-1] if path else DOCUMENT
    if kind == "missing":
        return path, gettext("missing required field %(name)s", name=repr(name))
    if kind == "extra_forbidden":
        model = model_at(path[:-1])
        hint = _suggest(name, model.model_fields) if model is not None else ""
        return path, gettext("unknown field %(name)s%(hint)s", name=repr(name), hint=hint)
    if path == ("format",):
        return path, _unsupported_format(value)
    got = {"problem": message, "found": _describe(value)}
    if kind == "literal_error":
        expected = re.findall(r"'([^']*)'", str(context.get("expected", "")))
        hint = _suggest(value, expected)
        return path, gettext("%(problem)s (got %(found)s)%(hint)s", hint=hint, **got)
    if kind == "value_error":
        return path, message
    return path, gettext("%(problem)s (got %(found)s)", **got)


def _unsupported_format(value: object) -> str:
    return gettext(
        "unsupported scenario format %(found)s; this version of Entente reads format %(supported)s",
        found=_describe(value),
        supported=FORMAT_VERSION,
    )


_PATH_IN_MESSAGE = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)*\[\d+\](?:\.[a-z_]+|\[\d+\])*")


def readable_path(path: Iterable[PathElement], data: object) -> str:
    """A path as an author reads it: a list item named by its ``id`` when it has a unique
    one (``nations[veskland].objectives[win]``), otherwise numbered from 1
    (``relations[2].between[1]`` is the first nation of the second relation)."""
    node: object = data
    text = ""
    for element in path:
        child: object = None
        if isinstance(element, int):
            label = str(element + 1)
            if isinstance(node, list) and 0 <= element < len(node):
                child = node[element]
                ident = child.get("id") if isinstance(child, dict) else None
                same = [i for i in node if isinstance(i, dict) and i.get("id") == ident]
                if isinstance(ident, str) and ident and len(same) == 1:
                    label = ident
            text += f"[{label}]"
        else:
            child = node.get(element) if isinstance(node, dict) else None
            text += f".{element}" if text else str(element)
        node = child
    return text or DOCUMENT


def _readable_message(message: str, data: object) -> str:
    """The paths the checks write into a message (``already used at nations[0].id``),
    named as :func:`readable_path` names them."""

    def rename(match: re.Match[str]) -> str:
        elements = re.findall(r"[a-z_]+|\[\d+\]", match.group(0))
        path = tuple(int(e[1:-1]) if e.startswith("[") else e for e in elements)
        return readable_path(path, data)

    return _PATH_IN_MESSAGE.sub(rename, message)


# Parsing a large scenario takes a good fraction of a second, and the same text is parsed
# again for every game created from it: keep the valid results (they are only ever read).
# Invalid texts raise, and exceptions are not cached.
@functools.lru_cache(maxsize=64)
def _parse(text: str, filename: str) -> tuple[Scenario, _DocumentIndex]:
    data: object = None

    def error_at(where: _Position, path: _DocPath, message: str) -> ScenarioError:
        return ScenarioError(
            filename,
            where[0],
            where[1],
            format_path(path),
            _readable_message(message, data),
            readable_path(path, data),
        )

    loader: yaml.SafeLoader | None = None
    try:
        loader = yaml.SafeLoader(text)
        root = loader.get_single_node()
        if root is None:
            raise ScenarioInvalid(
                [
                    error_at(
                        (1, 1), (), gettext("the document is empty; a scenario is a YAML mapping")
                    )
                ]
            )
        if not isinstance(root, MappingNode):
            message = (
                gettext("the top level must be a mapping of scenario fields, not a list")
                if isinstance(root, SequenceNode)
                else gettext(
                    "the top level must be a mapping of scenario fields, not a single value"
                )
            )
            raise ScenarioInvalid([error_at(_position(root.start_mark), (), message)])
        try:
            index = _DocumentIndex(root)
        except _TooLarge:
            raise ScenarioInvalid(
                [
                    error_at(
                        (1, 1),
                        (),
                        gettext(
                            "the document expands to more than %(most)s nodes (too many aliases?)",
                            most=_MAX_NODES,
                        ),
                    )
                ]
            ) from None
        data = loader.construct_document(root)
    except yaml.YAMLError as exc:
        raise ScenarioInvalid([_yaml_problem(exc, text, filename)]) from None
    except RecursionError:
        raise ScenarioInvalid(
            [ScenarioError(filename, 0, 0, DOCUMENT, gettext("the document is nested too deeply"))]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()

    errors: list[ScenarioError] = []
    reported: set[_Position] = set()
    for path, where, first_line in index.duplicates:
        if where in reported:  # the same node reached through an alias
            continue
        reported.add(where)
        errors.append(
            error_at(
                where,
                path,
                gettext(
                    "duplicate key %(key)s (first given on line %(line)s); YAML would "
                    "silently keep only the last value",
                    key=repr(path[-1]),
                    line=first_line,
                ),
            )
        )

    declared = data.get("format") if isinstance(data, dict) else None
    if declared is not None and (type(declared) is not int or declared != FORMAT_VERSION):
        # Another format's fields would only produce noise: report the version alone.
        message = _unsupported_format(declared)
        errors.append(error_at(index.locate(("format",)), ("format",), message))
        raise ScenarioInvalid(sorted(errors, key=lambda e: (e.line, e.column)))

    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        failed: list[_DocPath] = []
        for details in exc.errors(include_url=False):
            failed.append(tuple(details["loc"]))
            problem = _pydantic_problem(details)
            if problem is None:
                continue
            path, message = problem
            errors.append(error_at(index.locate(path), path, message))
        # Every error in one pass: the cross-references of what did validate too.
        for issue in cross_check_partially(data, failed):
            errors.append(error_at(index.locate(issue.path), issue.path, issue.message))
    if scenario is not None:
        for issue in check_scenario(scenario):
            errors.append(error_at(index.locate(issue.path), issue.path, issue.message))

    if scenario is None and not errors:  # every pydantic error was an echo; cannot happen
        errors.append(error_at(index.locate(()), (), gettext("not a valid scenario")))
    if errors or scenario is None:
        errors.sort(key=lambda e: (e.line, e.column))
        raise ScenarioInvalid(errors)
    return scenario, index


def parse_scenario(text: str, filename: str = "<string>") -> Scenario:
    """Parse and validate a scenario from YAML text; raise :class:`ScenarioInvalid`
    with every error found (sorted by line) if it is not a valid format-1 scenario."""
    scenario, _ = _parse(text, filename)
    return scenario


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        reason = not_utf8(exc)
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise ScenarioInvalid([ScenarioError(str(path), 0, 0, DOCUMENT, cannot_read(reason))])


def not_utf8(exc: UnicodeDecodeError) -> str:
    return gettext(
        "not valid UTF-8 (byte %(byte)s at offset %(offset)s)",
        byte=f"{exc.object[exc.start]:#04x}",
        offset=exc.start,
    )


def cannot_read(reason: str) -> str:
    return gettext("cannot read file: %(reason)s", reason=reason)


def load_scenario(path: Path) -> Scenario:
    """Read (UTF-8) and validate one scenario file; raise :class:`ScenarioInvalid`."""
    return parse_scenario(_read(path), str(path))


def _scenario_files(directory: Path) -> list[Path]:
    return sorted(
        child
        for child in directory.iterdir()
        if child.suffix.lower() in SCENARIO_SUFFIXES and child.is_file()
    )


def _expand(paths: Iterable[Path]) -> Iterator[Path | ScenarioError]:
    for path in paths:
        if path.is_dir():
            try:
                yield from _scenario_files(path)
            except OSError as exc:
                reason = exc.strerror or str(exc)
                yield ScenarioError(
                    str(path),
                    0,
                    0,
                    DOCUMENT,
                    gettext("cannot list directory: %(reason)s", reason=reason),
                )
        else:
            yield path


def validate_paths(paths: Iterable[Path]) -> list[ScenarioError]:
    """Validate scenario files; a directory stands for every ``*.yaml``/``*.yml`` file in
    it (sorted, not recursive). Returns every error of every file, in order; an empty
    list means all are valid. Two files defining the same scenario ``id`` and ``version``
    are an error too (reported on the later file's ``id``)."""
    errors: list[ScenarioError] = []
    defined: dict[tuple[str, int], str] = {}
    for item in _expand(paths):
        if isinstance(item, ScenarioError):
            errors.append(item)
            continue
        try:
            scenario, index = _parse(_read(item), str(item))
        except ScenarioInvalid as exc:
            errors.extend(exc.errors)
            continue
        key = (scenario.id, scenario.version)
        if key in defined:
            line, column = index.locate(("id",))
            errors.append(
                ScenarioError(
                    str(item),
                    line,
                    column,
                    "id",
                    gettext(
                        "scenario %(scenario)s version %(version)s is already defined in %(file)s",
                        scenario=repr(scenario.id),
                        version=scenario.version,
                        file=defined[key],
                    ),
                )
            )
        else:
            defined[key] = str(item)
    return errors


def load_directory(path: Path) -> list[tuple[Path, Scenario]]:
    """Every valid scenario in a directory (``*.yaml``/``*.yml``, sorted by file name).
    Invalid files are skipped with a logged warning; :func:`validate_paths` reports them.
    An unreadable or missing directory raises :class:`OSError`."""
    loaded: list[tuple[Path, Scenario]] = []
    for file in _scenario_files(path):
        try:
            loaded.append((file, load_scenario(file)))
        except ScenarioInvalid as exc:
            logger.warning("skipping invalid scenario %s:\n%s", file, exc)
    return loaded
