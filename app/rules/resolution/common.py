"""Helpers the resolution's steps share: agreement pairs and means."""

from __future__ import annotations

from app.rules.state import GameState


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
