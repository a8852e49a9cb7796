"""What every kind of player action shares: the entry the registry holds for a kind, and
the helpers its parser reads untrusted input with."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from app.rules.outcomes import Accepted, Rejection
from app.rules.reasons import because
from app.rules.state import GameState, Nation
from app.rules.wording.rejections import RejectionReason as R

A = TypeVar("A")

# An action's input: a form or a JSON body, already checked for its text and depth.
Data = dict[str, Any]


class UnknownAction(KeyError):
    """A kind of action the registry does not hold: a programming error, never a default."""


def _nothing_to_check(state: GameState, nation: Nation, action: Any) -> Rejection | None:
    return None


def _no_offers(state: GameState, nation: Nation) -> list[Any]:
    return []


@dataclass(frozen=True)
class ActionSpec(Generic[A]):
    """Everything the rules know of one kind of player action.

    - `action`: its dataclass (`app/rules/action_types.py`), whose `kind` is the action's
      one name, from the input's `kind` to the event log's action (`spec.kind`).
    - `parse(data)`: the action built from untrusted input, or a `malformed` `Rejection`.
    - `check(state, nation, action)`: why `nation` may not take it now (None: it may). The
      phase is checked before, for every kind.
    - `apply(state, nation, action)`: the new state and its events, once checked.
    - `offers(state, nation)`: its candidates for `legal_actions` (those `check` accepts
      are listed). Talks are open-ended, so they offer a canonical set, or nothing.
    - `changes_orders`: taking it withdraws the nation's "ready" (nobody is resolved on
      orders they are still editing); talking does not.
    """

    action: type[A]
    parse: Callable[[Data], A | Rejection]
    apply: Callable[[GameState, Nation, A], Accepted]
    check: Callable[[GameState, Nation, A], Rejection | None] = _nothing_to_check
    offers: Callable[[GameState, Nation], Iterable[A]] = _no_offers
    changes_orders: bool = False

    @property
    def kind(self) -> str:
        return str(self.action.kind)  # type: ignore[attr-defined]  # every Action has one


# How HTML forms spell booleans.
FORM_BOOLEANS = {
    "true": True,
    "1": True,
    "yes": True,
    "on": True,
    "false": False,
    "0": False,
    "no": False,
    "off": False,
}


def required_text(data: Data, key: str, missing: R) -> str | Rejection:
    """The non-blank text under `key`, stripped, or the rejection saying it is `missing`."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        return Rejection("malformed", because(missing))
    return value.strip()


def not_a_member(state: GameState, nation: Nation, coalition_id: str) -> Rejection | None:
    """Unless `nation` is a member of the active coalition `coalition_id`, why not."""
    coalition = state.coalition(coalition_id)
    if coalition is None or not coalition.active or nation.id not in coalition.members:
        return Rejection(
            "not_a_member", because(R.NOT_A_MEMBER, nation=nation.name, coalition_id=coalition_id)
        )
    return None


def terms_of(value: Any) -> dict[str, str | int] | Rejection:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str | int) and not isinstance(v, bool)
        for k, v in value.items()
    ):
        return Rejection("malformed", because(R.TERMS_MALFORMED))
    return dict(value)


def id_list(value: Any) -> tuple[str, ...] | None:
    """A list of ids from JSON (a list) or a form (a comma-separated string)."""
    if isinstance(value, str):
        value = [v for v in (part.strip() for part in value.split(",")) if v]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        return None
    return tuple(value)
