"""The interface's languages: gettext catalogues, the language of the person being served,
and numbers and dates in that language.

Every text the application writes is English in the code (the msgid) and translated at
the moment it is written for a person: templates through Jinja's i18n extension, Python
through `gettext` (`_`). The catalogues are `app/locale/<lang>/LC_MESSAGES/messages.po`,
compiled in memory when first used (no build step to forget); `scripts/i18n.py` extracts
the messages, updates the catalogues and checks that none is missing (CI runs the check).

Whose language: a request's or websocket's is set once for its whole handling
(`use_language`, from app/web/language.py: the person's choice remembered in the session,
else the exercise's default, else the browser's Accept-Language); code running for it,
in threads too, reads it with `current_language()`.
"""

from __future__ import annotations

import gettext as gettext_module
import io
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from markupsafe import Markup

from app.rules.wording.base import speaking

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "en"
# Each language in its own name, as the switch shows it.
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}

_language: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext_module.NullTranslations:
    """The language's catalogue, compiled once; English (the msgids) needs none."""
    path = catalogue_path(language)
    if language == DEFAULT_LANGUAGE or not path.exists():
        return gettext_module.NullTranslations()
    with path.open("rb") as source:
        catalogue = read_po(source, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext_module.GNUTranslations(compiled)


def supported(language: str | None) -> str | None:
    """`language` if the interface speaks it ("fr-CA" counts as "fr"), else None."""
    if not language:
        return None
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an Accept-Language header (q-values honoured)."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = supported(tag.strip())
        if language is not None and quality > 0:
            choices.append((-quality, position, language))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def current_language() -> str:
    return _language.get()


class use_language:  # lower case: used as the function it was, `with use_language(...)`
    """Serve in `language` (our default if we do not speak it) until the block ends.

    A class, not a generator made a context manager: entered for every request, websocket
    and page rendered, where the generators' machinery cost some 4 us each time."""

    __slots__ = ("_chosen", "_speaking", "_token")

    def __init__(self, language: str | None) -> None:
        self._chosen = supported(language) or DEFAULT_LANGUAGE
        # The rules' words (reasons, feed lines, rejections) in the same language.
        self._speaking = speaking(self._chosen, translations(self._chosen).gettext)

    def __enter__(self) -> str:
        self._token = _language.set(self._chosen)
        self._speaking.__enter__()
        return self._chosen

    def __exit__(self, *exc_info: object) -> None:
        try:
            self._speaking.__exit__(*exc_info)
        finally:
            _language.reset(self._token)


def gettext(message: str, **variables: Any) -> str:
    """`message` in the current language, with `%(name)s` placeholders filled in."""
    translated = translations(_language.get()).gettext(message)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    translated = translations(_language.get()).ngettext(singular, plural, n)
    return translated % {"num": n, **variables}


def pgettext(context: str, message: str, **variables: Any) -> str:
    """`message` as used in `context`: one English phrase another language may need to
    word differently by where it stands (e.g. after "a list of")."""
    translated = translations(_language.get()).pgettext(context, message)
    return translated % variables if variables else translated


_ = gettext


def N_(message: str) -> str:
    """Marks `message` for extraction where it is defined; translated where it is shown."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks `message` for extraction in `context` (a literal); `pgettext` translates it."""
    return message


def _locale() -> Locale:
    try:
        return Locale.parse(_language.get())
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANGUAGE)


def text_key(value: Any) -> Any:
    """`value` as part of the key of a kept text: each plain value with its type (1, 1.0
    and True are equal keys but not equal texts, nor a str and its Markup), a float by its
    repr (-0.0 equals 0.0, yet Babel writes "-0" and "0"), lists and mappings as tuples;
    None when it holds anything else (its text is then made each time)."""
    kind = type(value)
    if kind in _PLAIN_KEYS:
        return (kind, value)
    if kind is float:
        return (kind, repr(value))
    if kind in (list, tuple):
        items = tuple(text_key(v) for v in value)
        return None if None in items else (kind, items)
    if kind is dict:
        pairs = tuple((k, text_key(v)) for k, v in value.items() if type(k) is str)
        if len(pairs) != len(value) or any(v is None for _, v in pairs):
            return None
        return (kind, pairs)
    return None


_PLAIN_KEYS = frozenset({str, Markup, int, bool, type(None)})


_FORMATTED: dict[tuple[str, str, Any, int], str] = {}
"""Numbers already written, per language: Babel's formatting costs some 20 µs a number,
and a page writes the same few (risks, shares, budgets) over and over."""
_FORMATTED_LIMIT = 20_000  # a bound: the values are game numbers, but not a fixed set


def _formatted(kind: str, value: float, digits: int, write: Callable[[Locale], str]) -> str:
    """`write(locale)` in the current language, kept by the value (`text_key`)."""
    key = (_language.get(), kind, text_key(value), digits)
    text = _FORMATTED.get(key)
    if text is None:
        text = write(_locale())
        if len(_FORMATTED) >= _FORMATTED_LIMIT:
            _FORMATTED.clear()
        _FORMATTED[key] = text
    return text


def format_number(value: float, digits: int = 0) -> str:
    """A number as the current language writes it (1,234.5 in English, 1 234,5 in French)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _formatted(
        "number", value, digits, lambda locale: format_decimal(value, format=pattern, locale=locale)
    )


def format_share(value: float) -> str:
    """A share 0-1 as a percentage in the current language ("62%", "62 %")."""
    return _formatted("share", value, 0, lambda locale: format_percent(value, locale=locale))


def format_moment(moment: datetime, form: str = "medium") -> str:
    return babel_format_datetime(moment, format=form, locale=_locale())
