"""The after-action exports: a game's record as JSON or CSV datasets, every row with its turn."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from app import rules
from app.rules.injects import fired_by
from app.rules.reasons import Reason
from app.rules.wording import words
from app.store.models import GameEvent

Dataset = Literal["events", "messages", "orders", "outcomes"]
DATASETS: tuple[Dataset, ...] = ("events", "messages", "orders", "outcomes")
ORDER_EVENTS = frozenset(
    {
        rules.EventKind.UNIT_COMMITTED,
        rules.EventKind.UNIT_WITHDRAWN,
        rules.EventKind.READY_CHANGED,
        rules.EventKind.AUTHORITY_TRANSFERRED,
        rules.EventKind.AUTHORITY_RECLAIMED,
        rules.EventKind.RED_CARD,
        rules.EventKind.COALITION_LEFT,
    }
)


@dataclass(frozen=True)
class Export:
    filename: str
    media_type: str
    body: str


def export_of(
    game_id: str, dataset: Dataset, fmt: Literal["json", "csv"], rows: list[dict[str, Any]]
) -> Export:
    filename = f"entente-{game_id[:8]}-{dataset}.{fmt}"
    if fmt == "json":
        return Export(filename, "application/json", json.dumps(rows, indent=1))
    return Export(filename, "text/csv; charset=utf-8", to_csv(rows))


def event_rows(events: Iterable[GameEvent], dataset: Dataset) -> list[dict[str, Any]]:
    """The rows of the dataset `events` belong to (messages and orders pick theirs)."""
    rows = []
    for event in events:
        if dataset == "messages" and event.kind != rules.EventKind.MESSAGE_SENT:
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
                **event_fields(event.kind, event.data),
            }
        )
    return rows


def event_fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    if kind == rules.EventKind.MESSAGE_SENT:
        return {
            "channel_id": data.get("channel_id", ""),
            "text": data.get("text", ""),
        }
    if kind in {rules.EventKind.UNIT_COMMITTED, rules.EventKind.UNIT_WITHDRAWN}:
        return {
            "unit_id": data.get("unit_id", ""),
            "operation_id": data.get("operation_id", ""),
            "data": data,
        }
    if kind == rules.EventKind.INJECT:
        return {"fired_by": fired_by(data), "data": data}
    return {"data": data}


def outcome_rows(state: rules.GameState) -> list[dict[str, Any]]:
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
                "summary": words(outcome.summary, state),
                "factors": "; ".join(
                    f"{words(Reason(f.name), state)} {f.value:.2f} ({words(f.detail, state)})"
                    for f in outcome.factors
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
