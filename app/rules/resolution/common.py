"""Helpers the resolution's steps share: names for reasons, agreement pairs, means."""

from __future__ import annotations

from app.rules.state import GameState


def called(state: GameState, some_id: str) -> str:
    """A nation's or an operation's name for the reasons players read (ids are for code)."""
    nation = state.nation(some_id)
    if nation is not None:
        return nation.name
    operation = state.operation(some_id)
    return operation.name if operation is not None else some_id


def unit_called(state: GameState, nation_id: str, unit_id: str) -> str:
    nation = state.nation(nation_id)
    unit = nation.unit(unit_id) if nation is not None else None
    return unit.name if unit is not None else unit_id


def signed_pairs(state: GameState, kind: str) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for agreement in state.signed(kind):  # type: ignore[arg-type]  # a known kind
        for a in agreement.parties:
            for b in agreement.parties:
                if a != b:
                    pairs.add(frozenset((a, b)))
    return pairs


def mean(values: list[float], default: float = 50.0) -> float:
    return sum(values) / len(values) if values else default
