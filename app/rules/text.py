"""Text people type: what may be stored, and how text already stored is shown safely.

Every string that reaches the game from outside (a message, a channel's name, an agreement's
terms, control's injects) is checked here at the boundary, so no character that cannot be
encoded (a lone UTF-16 surrogate) or stored (NUL, on PostgreSQL) ever enters a game's log.
`printable` is the defence in depth for text stored before these checks: rendering replaces
such characters instead of failing.
"""

from __future__ import annotations

import re
from typing import Any

from app.rules.reasons import Reason, because
from app.rules.wording import words
from app.rules.wording.rejections import RejectionReason as R

MAX_TEXT_LENGTH = 10_000
"""No string in an action is longer (each kind of text has its own, lower limit too)."""
MAX_NAME_LENGTH = 80
"""A channel's or a coalition's name, an inject's title: one line on a page."""
MAX_DEPTH = 6
"""The deepest nesting an action needs is 3 (an action, its terms, a list in them)."""
MAX_STRINGS = 200
"""Strings in one action: the largest form sends a few dozen."""

# C0 controls but tab, newline and carriage return; DEL; lone surrogates (they cannot be
# encoded as UTF-8, so a page carrying one fails to render); the two noncharacters U+FFFE
# and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\n\r\t]")


def text_fault(
    value: str, *, max_length: int = MAX_TEXT_LENGTH, one_line: bool = False
) -> Reason | None:
    """Why `value` may not be stored (None if it may)."""
    found = _FORBIDDEN.search(value)
    if found is not None:
        return because(R.TEXT_FORBIDDEN_CHARACTER, character=f"U+{ord(found.group()):04X}")
    if one_line and _LINE_BREAKS.search(value):
        return because(R.TEXT_NOT_ONE_LINE)
    if len(value) > max_length:
        return because(R.TEXT_TOO_LONG, limit=max_length)
    return None


def text_problem(value: str, *, max_length: int = MAX_TEXT_LENGTH, one_line: bool = False) -> str:
    """Why `value` may not be stored ("" if it may), as the end of a sentence."""
    fault = text_fault(value, max_length=max_length, one_line=one_line)
    return "" if fault is None else words(fault)


def printable(value: str) -> str:
    """`value` with every character `text_problem` refuses replaced by U+FFFD."""
    return _FORBIDDEN.sub("\ufffd", value)


def is_printable(value: str) -> bool:
    """Whether `printable(value)` is `value` as it is (nearly every text: a page checks
    each it writes, and a search makes no copy)."""
    return _FORBIDDEN.search(value) is None


def structure_problem(data: Any) -> tuple[str, Reason] | None:
    """The first problem in untrusted JSON-like input, as (where, why), or None; `why`
    is worded as the end of a sentence.

    Every key and string is checked with `text_fault`; nesting and the number of strings
    are bounded, so no body can make the rules recurse or loop without end."""
    strings = 0
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_DEPTH:
            return where or "the action", because(R.TEXT_NESTED_TOO_DEEP, limit=MAX_DEPTH)
        if isinstance(value, str):
            strings += 1
            fault = text_fault(value)
            if fault is not None:
                return where or "the action", fault
        elif isinstance(value, dict):
            for key, item in value.items():
                strings += 1
                if not isinstance(key, str) or text_problem(key, max_length=MAX_NAME_LENGTH):
                    return where or "the action", because(R.TEXT_BAD_FIELD_NAME)
                stack.append((item, f"{where}.{key}" if where else key, depth + 1))
        elif isinstance(value, list | tuple):
            stack.extend((item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))
        if strings > MAX_STRINGS:
            return "the action", because(R.TEXT_TOO_MANY_STRINGS, limit=MAX_STRINGS)
    return None
