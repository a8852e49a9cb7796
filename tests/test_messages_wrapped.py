"""Every message a person reads that the code writes in a refusal is a message of the
catalogue: the services' errors, the scenario checks' issues, the loader's errors and the
command line's help are each given as `_()`/`gettext()`/`ngettext()` of an English msgid
(or built by a helper that is), never as a bare string, an f-string or a concatenation,
which the French pages would show in English."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import app.web.app  # noqa: F401  (imports every module that defines a ServiceError)
from app.bots.estimate import EstimateRefused
from app.services.errors import ServiceError

APP = Path(__file__).resolve().parent.parent / "app"
TRANSLATORS = {"_", "gettext", "ngettext"}


def _error_classes() -> set[str]:
    found: set[str] = set()
    pending: list[type] = [ServiceError, EstimateRefused]
    while pending:
        cls = pending.pop()
        found.add(cls.__name__)
        pending.extend(cls.__subclasses__())
    return found


# Each call whose argument a person reads, and which positional argument it is (keyword
# names too): an error's message, an issue's message, a ScenarioError's message, the
# loader's `error_at`, argparse's help.
MESSAGE_ARGUMENTS: dict[str, tuple[int | None, str]] = {
    **{name: (0, "message") for name in _error_classes()},
    "Issue": (1, "message"),
    "ScenarioError": (4, "message"),
    "error_at": (2, "message"),
    "add_parser": (None, "help"),
    "add_argument": (None, "help"),
}


def _bare(node: ast.expr) -> bool:
    """A text written in place, which no catalogue translates."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):  # "a" + b, "a %s" % b
        return _bare(node.left) or _bare(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _bare(node.func.value)  # "...{x}".format()
    return False


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        if node.func.attr == "__init__":  # super().__init__(message) of an error class
            return "super().__init__"
        return node.func.attr
    return None


def bare_messages(source: str, errors: set[str] | None = None) -> Iterator[tuple[int, str]]:
    """(line, text) of every message of `source` given as a bare text."""
    tree = ast.parse(source)
    error_classes = errors if errors is not None else _error_classes()
    inits: set[int] = set()  # the super().__init__ calls inside error classes
    for cls in ast.walk(tree):
        if isinstance(cls, ast.ClassDef) and any(
            isinstance(b, ast.Name) and b.id in error_classes | {"Exception", "ValueError"}
            for b in cls.bases
        ):
            inits.update(
                id(n)
                for n in ast.walk(cls)
                if isinstance(n, ast.Call) and _called(n) == "super().__init__"
            )
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name == "super().__init__":
            where: tuple[int | None, str] | None = (0, "message") if id(node) in inits else None
        else:
            where = MESSAGE_ARGUMENTS.get(name or "")
        if where is None:
            continue
        position, keyword = where
        given = [k.value for k in node.keywords if k.arg == keyword]
        if position is not None and len(node.args) > position:
            given.append(node.args[position])
        for argument in given:
            if _bare(argument):
                yield node.lineno, ast.unparse(argument)[:80]


def test_every_refusal_and_help_text_is_a_catalogue_message() -> None:
    found = [
        f"{path.relative_to(APP.parent)}:{line}: {text}"
        for path in sorted(APP.rglob("*.py"))
        for line, text in bare_messages(path.read_text(encoding="utf-8"))
    ]
    assert not found, "English written in place (wrap it in _()):\n" + "\n".join(found)


def test_the_scan_finds_what_it_looks_for() -> None:
    """The scan above cannot pass by seeing nothing: each form of a bare text is found,
    and each translated form is not."""
    bare = """
raise NotFound(f"There is no game {game_id!r}.")
raise Rejected("The game has ended.", "game_over")
raise Invalid("A code has " + str(n) + " letters.")
issues.append(Issue(path, "region {} is listed twice".format(other)))
parser.add_argument("--port", help="port (default 8000)")
class Throttled(Invalid):
    def __init__(self, wait):
        super().__init__(f"Too many attempts; try again in {wait} seconds.")
"""
    assert sorted(line for line, _ in bare_messages(bare, {"NotFound", "Rejected", "Invalid"})) == [
        2,
        3,
        4,
        5,
        6,
        9,
    ]
    wrapped = """
raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
raise Rejected(gettext("The game has ended."), "game_over")
issues.append(Issue(path, unknown("region", other, known)))
parser.add_argument("--port", help=_("port (default 8000)"))
raise Rejected(rejection.message, rejection.code)
"""
    assert not list(bare_messages(wrapped, {"NotFound", "Rejected"}))
