"""Helpers the resolution's steps share: means."""

from __future__ import annotations


def mean(values: list[float], default: float = 50.0) -> float:
    return sum(values) / len(values) if values else default
