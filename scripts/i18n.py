"""The interface's translations: extract every message, update the catalogues, check them.

    python scripts/i18n.py update   # extract, and merge into app/locale/<lang>/.../messages.po
    python scripts/i18n.py check    # every message translated, every catalogue compiles

`update` adds new messages to each catalogue untranslated (and marks changed ones fuzzy);
a translator fills them in (any PO editor, or the file itself). `check` fails when a
message of the code or templates has no translation in a language, when a translation
is fuzzy or drops a placeholder, or when a catalogue does not compile: CI runs it, so an
untranslated string cannot reach main. To add a language: add it to `LANGUAGES` in
app/i18n.py and run `update`.
"""

from __future__ import annotations

import argparse
import inspect
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from app.i18n import DEFAULT_LANGUAGE, DOMAIN, LANGUAGES, catalogue_path  # noqa: E402

METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
# `NP_(context, message)`: a message marked where it is defined, in a context (app/i18n.py).
KEYWORDS = {**DEFAULT_KEYWORDS, "NP_": ((1, "c"), 2)}


def extract() -> Catalog:
    """Every message of the code and templates, with where each is used."""
    template = Catalog(domain=DOMAIN, project="Entente", charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        METHODS,
        OPTIONS,
        keywords=KEYWORDS,
        strip_comment_tags=True,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for message, location in _model_docstrings():
        template.add(message, None, [location])
    return template


def _model_docstrings() -> list[tuple[str, tuple[str, int]]]:
    """The scenario models' docstrings, which the field reference shows as the parts'
    descriptions: a docstring cannot be wrapped in `N_()`, so they are read from the
    schema, as pydantic cleans them (the fields' descriptions are marked with `N_()`)."""
    from app.scenarios import models
    from app.scenarios.reference import schema_descriptions

    found = []
    for description, owner in schema_descriptions():
        model = getattr(models, owner)
        lineno = inspect.getsourcelines(model)[1]
        found.append((description, ("app/scenarios/models.py", lineno)))
    return found


def _read(language: str) -> Catalog:
    path = catalogue_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="Entente", charset="utf-8")
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


def update() -> None:
    template = extract()
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        catalogue = _read(language)
        catalogue.update(template, no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        catalogue.fuzzy = False  # the header: each message's own flag is what counts
        path = catalogue_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as target:
            write_po(target, catalogue, width=100, sort_by_file=False, omit_header=False)
        missing = sum(1 for m in catalogue if m.id and not _translated(m))
        print(f"{path.relative_to(ROOT)}: {len(catalogue)} messages, {missing} to translate")


def _translated(message: object) -> bool:
    string = getattr(message, "string", None)
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def problems() -> list[str]:
    """What keeps the catalogues from being complete and correct, one line each."""
    found: list[str] = []
    template = extract()
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        path = catalogue_path(language)
        if not path.exists():
            found.append(f"{language}: no catalogue at {path.relative_to(ROOT)}")
            continue
        catalogue = _read(language)
        for message in template:
            if not message.id:
                continue
            entry = catalogue.get(message.id, context=message.context)
            where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
            if entry is None or not _translated(entry):
                found.append(f"{language}: untranslated {message.id!r} ({where})")
            elif entry.fuzzy:
                found.append(f"{language}: fuzzy {message.id!r} ({where})")
        for entry, errors in catalogue.check():
            for error in errors:
                found.append(f"{language}: {entry.id!r}: {error}")
        try:
            write_mo(io.BytesIO(), catalogue)
        except Exception as error:  # a catalogue that does not compile
            found.append(f"{language}: does not compile: {error}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "check"))
    args = parser.parse_args()
    if args.command == "update":
        update()
        return 0
    found = problems()
    for line in found:
        print(line)
    print(f"{len(found)} problem(s)" if found else "translations complete")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
