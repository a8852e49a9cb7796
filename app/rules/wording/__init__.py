"""Reasons into words: the one place the rules' explanations become sentences.

Each kind of explanation has its module here, holding its codes (a `StrEnum`) beside their
words (`WORDS`): `rejections` (why an action was refused), `changes` (why a number moved,
what a factor measured, how an operation went) and `feed` (what the game's log says).
A word is a format string over the reason's parameters, or, where the sentence depends on
the values, a function of them. Every template is English, marked `N_`, and said in the
reader's language (`base.speaking`; see docs/architecture.md, "Explanations").

Format specs name what a parameter is, so ids become names for the reader:
`{nation:nation}`, `{op:operation}`, `{c:coalition}`, `{a:actor}`, `{x:name}` (any of
them), `{ids:names}` (a list of ids), `{items:list}` (a list of words), `{n:count:unit}`
("1 unit", "3 units"), `{d:signed}` / `{d:signed:.1f}` ("+2", "-0.5").
"""

from __future__ import annotations

from app.rules.reasons import TEXT, Reason
from app.rules.state import GameState
from app.rules.wording import changes, feed, rejections
from app.rules.wording.base import UnknownReason, Words, say

__all__ = ["CODES", "WORDS", "UnknownReason", "words"]

WORDS: dict[str, Words] = {
    TEXT: "{text}",
    **rejections.WORDS,
    **changes.WORDS,
    **feed.WORDS,
}

# Every code of every reason enum, for the test that each has its words and no word is orphaned.
CODES: tuple[str, ...] = (
    TEXT,
    *rejections.CODES,
    *changes.CODES,
    *feed.CODES,
)


def words(reason: Reason, state: GameState | None = None) -> str:
    """The reason in words, names taken from `state` (the viewer's state, already redacted)."""
    try:
        said = WORDS[reason.code]
    except KeyError:
        raise UnknownReason(reason.code) from None
    return say(said, reason.params, state)
