"""Explanations as data: every factor, change, rejection and feed line the rules produce
carries a `Reason`, a code and its parameters, never a sentence. `app.rules.wording` puts
a reason into words for a viewer, in one place, so the words cannot drift from the
computation and the interface can be translated (see docs/architecture.md, "Explanations").

Codes are `StrEnum` members, one enum per kind of explanation, each with its words in a
module of `app.rules.wording`. Parameters are plain JSON values; ids (nations, operations,
coalitions, units) stay ids and become names only when worded, for the viewer's state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BeforeValidator

# A reason's parameter: what JSON holds (lists of ids, counts, numbers, short texts).
Param = str | int | float | bool | None | list[str] | list[int] | list[float]

# A reason given in words rather than by a code: an instructor's own text (control's
# adjudication, a live inject), or a reason stored before reasons had codes.
TEXT = "text"


@dataclass(frozen=True)
class Reason:
    """Why: a code (a member of one of the rules' reason enums) and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


_new = object.__new__


def because(code: str, **params: Any) -> Reason:
    """`because(ChangeReason.AID_GIVEN, giver="arvenia")`: the one way the rules build one.
    Its fields are set directly, not through the frozen dataclass's checked `__init__`
    (an equal reason, at half the cost: a large game's turn gives thousands)."""
    reason = _new(Reason)
    values = reason.__dict__
    values["code"] = code
    values["params"] = params
    return reason


def in_words(text: str) -> Reason:
    """A reason that is already words (an instructor's text)."""
    return Reason(TEXT, {"text": text})


def _from_stored(value: Any) -> Any:
    # Games stored before reasons had codes hold sentences: they load as TEXT reasons.
    return in_words(value) if isinstance(value, str) else value


# The field type for a reason inside stored state (accepts the old sentences).
StoredReason = Annotated[Reason, BeforeValidator(_from_stored)]
