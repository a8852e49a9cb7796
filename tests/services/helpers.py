"""Helpers of the service tests: seats taken and turns played through GameService."""

from __future__ import annotations

from app.services.games import GameService

NATIONS = ("arvenia", "cardosa", "lindmark")
"""The nations of Meridian Strait."""


def join_all(games: GameService, created: object) -> None:
    for seat in created.seats:  # type: ignore[attr-defined]
        games.join(seat.token)


def play_turn(games: GameService, game_id: str) -> None:
    turn = games.snapshot(game_id).state.turn
    games.act(
        game_id,
        "arvenia",
        {
            "kind": "commit",
            "unit_id": "arv-1-frigate-sqn",
            "operation_id": "open-lane",
            "turn": turn,
        },
    )
    games.act(
        game_id,
        "lindmark",
        {
            "kind": "commit",
            "unit_id": "lin-field-hospital",
            "operation_id": "saltmarsh-relief",
            "turn": turn,
        },
    )
    for nation in NATIONS:
        games.act(game_id, nation, {"kind": "ready", "ready": True, "turn": turn})
