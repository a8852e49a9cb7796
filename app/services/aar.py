"""After-action review: a game's whole record, as control sees it, ready to export.

Every row carries the turn it belongs to. Control sees everything (secret objectives,
every channel, every order), so these exports are for instructors only.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from app import rules
from app.services.errors import NotFound
from app.store.database import Database
from app.store.repositories.games import GameRepository

Dataset = Literal["events", "messages", "orders", "outcomes"]
DATASETS: tuple[Dataset, ...] = ("events", "messages", "orders", "outcomes")
ORDER_EVENTS = frozenset(
    {
        "unit_committed",
        "unit_withdrawn",
        "ready_changed",
        "authority_transferred",
        "authority_reclaimed",
        "red_card",
        "coalition_left",
    }
)
PAGE = 1000


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    body: str


class AarService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def rows(self, game_id: str, dataset: Dataset) -> list[dict[str, Any]]:
        """The rows of one dataset, in the order they happened, each with its turn."""
        with self.database.read() as session:
            games = GameRepository(session)
            game = games.get(game_id)
            if game is None:
                raise NotFound(f"There is no game {game_id!r}.")
            if dataset == "outcomes":
                return _outcome_rows(rules.state_from_dict(game.state))
            rows = []
            for event in _all_events(games, game_id):
                if dataset == "messages" and event.kind != "message_sent":
                    continue
                if dataset == "orders" and event.kind not in ORDER_EVENTS:
                    continue
                rows.append(
                    {
                        "turn": event.turn,
                        "seq": event.seq,
                        "time": event.created_at.isoformat() if event.created_at else "",
                        "kind": event.kind,
                        "actor": event.actor or "",
                        **_event_fields(event.kind, event.data),
                    }
                )
            return rows

    def export(self, game_id: str, dataset: Dataset, fmt: Literal["json", "csv"]) -> Export:
        rows = self.rows(game_id, dataset)
        filename = f"entente-{game_id[:8]}-{dataset}.{fmt}"
        if fmt == "json":
            return Export(filename, "application/json", json.dumps(rows, indent=1))
        return Export(filename, "text/csv; charset=utf-8", to_csv(rows))


def _all_events(games: GameRepository, game_id: str) -> Iterator[Any]:
    seq = 0
    while True:
        page = games.events_after(game_id, seq, PAGE)
        yield from page
        if len(page) < PAGE:
            return
        seq = page[-1].seq


def _event_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == "message_sent":
        return {
            "channel_id": data.get("channel_id", ""),
            "text": data.get("text", ""),
        }
    if kind in {"unit_committed", "unit_withdrawn"}:
        return {
            "unit_id": data.get("unit_id", ""),
            "operation_id": data.get("operation_id", ""),
            "data": data,
        }
    return {"data": data}


def _outcome_rows(state: rules.GameState) -> list[dict[str, Any]]:
    names = {o.id: o.name for o in state.operations}
    rows = []
    for outcome in state.outcomes:
        rows.append(
            {
                "turn": outcome.turn,
                "operation_id": outcome.operation_id,
                "operation": names.get(outcome.operation_id, outcome.operation_id),
                "coalition_id": outcome.coalition_id or "",
                "result": outcome.result,
                "effectiveness": round(outcome.effectiveness, 3),
                "probability_success": round(outcome.probability_success, 3),
                "probability_partial": round(outcome.probability_partial, 3),
                "roll": "" if outcome.roll is None else round(outcome.roll, 3),
                "escalation_change": round(outcome.escalation_change, 3),
                "summary": outcome.summary,
                "factors": "; ".join(
                    f"{f.name} {f.value:.2f} ({f.detail})" for f in outcome.factors
                ),
                "contributions": "; ".join(
                    f"{c.nation_id}: strength {c.strength}, cost {c.cost}"
                    + (f" ({c.shared} paid by a partner)" if c.shared else "")
                    for c in outcome.contributions
                ),
                "casualties": "; ".join(f"{k}: {v}" for k, v in outcome.casualties.items()),
                "civilian_harm": outcome.civilian_harm,
            }
        )
    return rows


def to_csv(rows: list[dict[str, Any]]) -> str:
    """One header from every row's keys (first seen first); nested values as JSON."""
    columns: list[str] = []
    for row in rows:
        columns += [k for k in row if k not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or ["turn"], extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: json.dumps(v, sort_keys=True) if isinstance(v, dict | list) else v
                for k, v in row.items()
            }
        )
    return out.getvalue()
