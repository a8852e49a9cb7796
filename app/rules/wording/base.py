"""What every module of `app.rules.wording` shares: the format specs and the word type."""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from app.rules.state import GameState

Words = str | Callable[["Said"], str]


class UnknownReason(KeyError):
    """A reason code with no words: a programming error, never shown as a default."""


def name_of(state: GameState | None, some_id: str) -> str:
    """The name a reader knows for an id: a nation, operation, coalition or actor."""
    if state is None:
        return some_id
    found = (
        state.nation(some_id)
        or state.operation(some_id)
        or state.coalition(some_id)
        or state.actor(some_id)
    )
    return found.name if found is not None else some_id


# Agreement labels that name a thing one has ("a force pledge"); the others name a field
# of agreement ("aid", "cost sharing") and take "agreement" after them.
_COUNTABLE_DEALS = frozenset({"force pledge", "command arrangement", "joint statement"})


def sentence_start(phrase: str) -> str:
    """`phrase` opening a sentence: its first letter upper case, the rest as written
    ("NGO coordination", never "Ngo coordination")."""
    return phrase[:1].upper() + phrase[1:]


def mid_sentence(names: str) -> str:
    """Names as they read inside a sentence: a leading article in lower case ("Signed by the
    Fenwick Isles", "Arvenia and the Fenwick Isles"); at a sentence's start a name keeps the
    capital it is written with."""
    return _ARTICLE.sub(lambda m: m.group(1) + "the ", names)


_ARTICLE = re.compile(r"(^|, | and )The ")
# Where a sentence ends in a template's own text: a field after it opens the next one.
_SENTENCE_END = re.compile(r"[.!?]\s+$")
# The specs that say names (here and in the feed's formatter).
NAME_SPECS = frozenset(
    {"nation", "operation", "coalition", "actor", "name", "names", "who", "nations", "unit"}
)
_MID = "~"  # marks a name field that stands inside a sentence


def deal(label: str) -> str:
    """An agreement's label as a noun phrase: "force pledge", "aid agreement"."""
    return label if label in _COUNTABLE_DEALS else f"{label} agreement"


def indefinite(phrase: str) -> str:
    """`phrase` with "a" or "an" by its sound: "an aid agreement", "an NGO coordination
    agreement", "a force pledge", "a UN mandate"."""
    first = phrase.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:  # an initialism is read letter by letter
        vowel_sound = first[0] in "AEFHILMNORSX"
    else:
        vowel_sound = first[:1].lower() in "aeio" or first.lower().startswith(("hour", "honest"))
    return f"{'an' if vowel_sound else 'a'} {phrase}"


def plural(count: int | float, noun: str) -> str:
    return f"{count:g} {noun}" if count == 1 else f"{count:g} {noun}s"


class Formatter(string.Formatter):
    def __init__(self, state: GameState | None) -> None:
        self.state = state

    def parse(self, format_string: str) -> Iterator[tuple[str, str | None, str | None, str | None]]:
        """The template's parts, each name field not opening a sentence marked as such."""
        parsed: Iterable[tuple[str, str | None, str | None, str | None]]
        parsed = super().parse(format_string)
        opening = True
        for literal, field, spec, conversion in parsed:
            if literal:
                opening = bool(_SENTENCE_END.search(literal))
            if field is not None and not opening and spec in NAME_SPECS:
                spec = _MID + spec
            yield literal, field, spec, conversion
            if field is not None:
                opening = False

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec.startswith(_MID):
            return mid_sentence(self.format_field(value, format_spec[len(_MID) :]))
        said = self.field(value, format_spec)
        if format_spec in ("names", "nations"):  # after the first, a name is mid-sentence
            return said[:1] + mid_sentence(said)[1:]
        return said

    def field(self, value: Any, format_spec: str) -> str:
        kind, _, rest = format_spec.partition(":")
        if kind in ("nation", "operation", "coalition", "actor", "name"):
            return name_of(self.state, str(value))
        if kind == "names":
            return ", ".join(name_of(self.state, str(v)) for v in value)
        if kind == "list":
            return ", ".join(str(v) for v in value)
        if kind == "count":
            return plural(value, rest)
        if kind == "a_deal":  # an agreement's label: "an aid agreement", "a force pledge"
            return indefinite(deal(str(value)))
        if kind == "deal":
            return deal(str(value))
        if kind == "signed":
            return format(value, "+" + (rest or "g"))
        return str(super().format_field(value, format_spec))


class Said(dict[str, Any]):
    """The parameters handed to a word function, with `.say(template)` to format a part."""

    def __init__(self, params: Mapping[str, Any], state: GameState | None) -> None:
        super().__init__(params)
        self.state = state

    def say(self, template: str, **more: Any) -> str:
        return Formatter(self.state).vformat(template, (), {**self, **more})


def say(said: Words, params: Mapping[str, Any], state: GameState | None) -> str:
    """Words (a format string or a function of the parameters) said with `params`."""
    if callable(said):
        return str(said(Said(params, state)))
    return Formatter(state).vformat(said, (), dict(params))
