"""What every module of `app.rules.wording` shares: the format specs and the word type."""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
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

    def format_field(self, value: Any, format_spec: str) -> str:
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
