"""The shape of the code, checked from its source (docs/architecture.md, "Layers").

Every module under `app/` is parsed (never imported) and every import in it is read:
at module level, inside functions, and under `if TYPE_CHECKING:` alike, since an import
that only a function or the type checker runs still ties the two modules together.

- Imports point down the layers only: the rules are pure (no database, web, clock or
  global randomness), the store knows nothing of the services or the web, the services
  nothing of the web.
- No two modules of `app` import each other, directly or round a longer circle, except
  the circles listed in `KNOWN_CYCLES`, which must be exactly the ones that exist.
- No docstring or comment in `app/` sends the reader to a document that is not in this
  repository, or to a path outside it.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"

# Strongly connected groups of modules that import each other, still to be untangled
# (none now). The test fails if one of them is gone (take it out) or if any other appears.
KNOWN_CYCLES: set[frozenset[str]] = set()

# Per package: the packages (and outside libraries) its modules must not import.
_NOT_BELOW_RULES = (
    "app.store",
    "app.web",
    "app.services",
    "app.realtime",
    "app.bots",
    "app.scenarios",
)
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "app.rules": (
        *_NOT_BELOW_RULES,
        "app.config",
        "app.observability",
        "app.cli",
        "sqlalchemy",
        "fastapi",
        "starlette",
        "jinja2",
        "redis",
        "yaml",
        # the clock, entropy and the environment: the service passes the time in and the
        # turn's randomness comes from the game's seed
        "time",
        "datetime",
        "uuid",
        "secrets",
        "os",
    ),
    "app.scenarios": ("app.store", "app.web", "app.services", "app.realtime", "app.bots"),
    "app.bots": ("app.store", "app.web", "app.services", "app.realtime"),
    "app.store": ("app.web", "app.services", "app.realtime", "app.bots", "fastapi"),
    "app.services": ("app.web", "app.realtime", "fastapi", "starlette", "jinja2"),
    "app.realtime": ("app.web",),
}

# In `app/rules`, the `random` module only for `random.Random(seed)`: never its global
# generator (`random.random()`, `random.shuffle(...)`, `from random import choice`).
RANDOM_ALLOWED = {"Random"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. "app.rules.actions"
    target: str  # the module imported, e.g. "app.rules.state" or "sqlalchemy.orm"
    line: int


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _sources() -> dict[str, tuple[Path, str]]:
    return {_module_name(p): (p, p.read_text(encoding="utf-8")) for p in APP.rglob("*.py")}


@cache
def _trees() -> dict[str, ast.Module]:
    return {name: ast.parse(text, str(path)) for name, (path, text) in _sources().items()}


def _imports(module: str, tree: ast.Module) -> Iterator[Import]:
    modules = _sources()
    is_package = modules[module][0].name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                package = module.split(".")
                if not is_package:
                    package.pop()
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                # `from app.rules import diplomacy` imports a submodule; `from app.rules
                # import Event` a name of the package itself
                sub = f"{base}.{alias.name}"
                yield Import(module, sub if sub in modules else base, node.lineno)


@cache
def _all_imports() -> tuple[Import, ...]:
    return tuple(i for name, tree in sorted(_trees().items()) for i in _imports(name, tree))


def _within(target: str, package: str) -> bool:
    return target == package or target.startswith(package + ".")


def _graph() -> dict[str, set[str]]:
    modules = _sources()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for imp in _all_imports():
        if imp.target in modules and imp.target != imp.module:
            graph[imp.module].add(imp.target)
    return graph


def _strongly_connected(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Tarjan's algorithm, iterative: every group of two or more modules in a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(frozenset(group))
    return groups


def _describe(group: frozenset[str], graph: dict[str, set[str]]) -> str:
    lines = []
    for module in sorted(group):
        for target in sorted(graph[module] & group):
            where = [i.line for i in _all_imports() if i.module == module and i.target == target]
            lines.append(f"  {module} -> {target} (line {', '.join(map(str, where))})")
    return "\n".join(lines)


def test_the_parser_sees_the_imports_it_should() -> None:
    # a guard on the checks below: they are only as good as the import reading
    graph = _graph()
    assert "app.rules.state" in graph["app.rules.actions"]
    assert "app.rules.diplomacy" in graph["app.rules.actions.talks"]  # `from app.rules import x`
    assert "app.rules" in graph  # the package's own __init__
    assert "app.rules.actions" in graph["app.bots.hand"]  # `from app.rules import actions`
    function_level = [
        i
        for name, tree in _trees().items()
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for i in _imports(name, ast.Module(body=node.body, type_ignores=[]))
    ]
    assert function_level, "no import inside a function was found: is the walk broken?"


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_down_the_layers(package: str) -> None:
    wrong = [
        f"{i.module}:{i.line} imports {i.target}"
        for i in _all_imports()
        if _within(i.module, package)
        for banned in FORBIDDEN[package]
        if _within(i.target, banned)
    ]
    assert not wrong, f"{package} must not import {FORBIDDEN[package]}:\n" + "\n".join(wrong)


def test_the_rules_never_use_the_global_random_generator() -> None:
    wrong = []
    for name, tree in _trees().items():
        if not _within(name, "app.rules"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "random":
                wrong += [
                    f"{name}:{node.lineno} from random import {alias.name}"
                    for alias in node.names
                    if alias.name not in RANDOM_ALLOWED
                ]
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "random"
                and node.attr not in RANDOM_ALLOWED
            ):
                wrong.append(f"{name}:{node.lineno} random.{node.attr}")
    assert not wrong, "the rules draw only from random.Random(seed):\n" + "\n".join(wrong)


def test_no_import_cycles_but_the_known_ones() -> None:
    graph = _graph()
    cycles = set(_strongly_connected(graph))
    new = cycles - KNOWN_CYCLES
    gone = KNOWN_CYCLES - cycles
    assert not new, "modules of app import each other:\n" + "\n\n".join(
        _describe(group, graph) for group in sorted(new, key=sorted)
    )
    assert not gone, "these circles are gone: take them out of KNOWN_CYCLES: " + "; ".join(
        " <-> ".join(sorted(group)) for group in gone
    )


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert _strongly_connected(graph) == [frozenset({"a", "b", "c"})]


# A document a docstring or comment names (`DESIGN.md`, `docs/architecture.md`) must be in
# the repository; no path may lead outside it.
_DOCUMENT = re.compile(r"[\w./-]*[\w-]\.md\b")
_OUTSIDE = re.compile(r"(?<![\w.])\.\./|(?<![\w])(~/|/work/|/home/|/Users/|/tmp/|[A-Z]:\\)")


def _prose(path: Path, text: str) -> Iterator[tuple[int, str]]:
    """Every comment and docstring of a module, with its line."""
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    tree = ast.parse(text, str(path))
    for node in ast.walk(tree):
        if isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ) and (docstring := ast.get_docstring(node, clean=False)):
            first = node.body[0]
            yield first.lineno, docstring


def test_docstrings_and_comments_name_only_documents_in_the_repository() -> None:
    wrong = []
    for _name, (path, text) in sorted(_sources().items()):
        where = path.relative_to(ROOT)
        for line, prose in _prose(path, text):
            wrong += [
                f"{where}:{line} names {doc}, which is not in the repository"
                for doc in _DOCUMENT.findall(prose)
                if not (ROOT / doc).is_file()
            ]
            wrong += [
                f"{where}:{line} points outside the repository: {m.group(0)!r}"
                for m in _OUTSIDE.finditer(prose)
            ]
    assert not wrong, "\n".join(wrong)
