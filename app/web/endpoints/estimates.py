"""The staff estimate's pages: a nation asks, watches its progress, reads and compares;
control reads every estimate asked and may turn them off (app/services/estimates.py)."""

from __future__ import annotations

import functools
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app import rules
from app.bots.estimate import DEFAULT_OTHERS, DEFAULT_RUNS, HORIZONS, MAX_RUNS
from app.i18n import N_
from app.rules.reasons import Reason
from app.rules.wording import words
from app.services.errors import ServiceError
from app.services.estimates import EstimateRecord, estimate_to_dict
from app.web.container import Container
from app.web.deps import (
    ContainerDep,
    check_csrf,
    csrf_token,
    require_held_seat,
    require_instructor,
    require_viewer,
)
from app.web.responses import SafeJSONResponse

router = APIRouter()

RUN_CHOICES = (100, 200, 500)
# The assumptions about the other nations a student may choose between.
# English msgids, translated where the page shows them.
OTHERS_CHOICES = {
    "cooperative": N_("they cooperate"),
    "free_rider": N_("they free-ride"),
    "hawk": N_("they play hawk"),
    "dove": N_("they play dove"),
}


def _base(game_id: str, nation_id: str) -> str:
    return f"/games/{game_id}/nations/{nation_id}/estimates"


def _context(
    state: rules.GameState, nation_id: str, records: list[EstimateRecord]
) -> dict[str, Any]:
    """What the estimate templates need beyond the records: names, and factors in words."""
    nation = state.nation(nation_id)
    names = {o.id: o.name for o in state.operations}
    factor_names: dict[str, str] = {}
    for record in records:
        for side in (record.current, record.draft):
            for forecast in side.operations if side else ():
                for driver in forecast.drivers:
                    factor_names.setdefault(driver.factor, words(Reason(driver.factor), state))
    return {
        "nation": nation,
        "operation_names": names,
        "unit_names": {u.id: u.name for u in nation.units} if nation else {},
        "factor_names": factor_names,
        "others_choices": OTHERS_CHOICES,
    }


async def _page(
    request: Request, container: Container, game_id: str, nation_id: str, *, status: int = 200
) -> Response:
    snapshot = await run_in_threadpool(container.games.snapshot, game_id)
    state = container.renderer.local_state(game_id, snapshot.state)
    records = await run_in_threadpool(container.estimates.of_nation, game_id, nation_id)
    allowed = await run_in_threadpool(container.estimates.allowed, game_id)
    nation = state.nation(nation_id)
    mine = {c.unit_id: c.operation_id for c in state.commitments_of(nation_id)}
    context = {
        **_context(state, nation_id, records[:1]),
        "game_id": game_id,
        "nation_id": nation_id,
        "game_name": container.renderer.game_name(snapshot),
        "state": state,
        "allowed": allowed,
        "orders_phase": state.phase is rules.Phase.ORDERS,
        "latest": records[0] if records else None,
        "earlier": records[1:],
        "units": [(u, mine.get(u.id)) for u in (nation.units if nation else ())],
        "open_operations": [o for o in state.operations if o.open_at(state.turn)],
        "run_choices": RUN_CHOICES,
        "default_runs": DEFAULT_RUNS,
        "horizons": HORIZONS,
        "default_others": DEFAULT_OTHERS,
        "base": _base(game_id, nation_id),
        "csrf_token": csrf_token(request),
    }
    return container.renderer.templates.TemplateResponse(
        request, "estimates/page.html", context, status_code=status
    )


@router.get("/games/{game_id}/nations/{nation_id}/estimates", response_class=HTMLResponse)
async def estimate_page(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> Response:
    require_viewer(request, game_id, nation_id)
    return await _page(request, container, game_id, nation_id)


def _fragment(
    request: Request,
    container: Container,
    state: rules.GameState,
    record: EstimateRecord | None,
    *,
    error: str | None = None,
) -> Response:
    nation_id = record.nation_id if record else ""
    context = {
        **_context(state, nation_id, [record] if record else []),
        "record": record,
        "error": error,
        "base": _base(record.game_id, record.nation_id) if record else "",
    }
    return container.renderer.templates.TemplateResponse(request, "estimates/result.html", context)


def _draft_from_form(form: dict[str, str]) -> dict[str, str | None]:
    """The what-if's orders: a `unit:<id>` field per unit, its operation or empty."""
    return {
        key.removeprefix("unit:"): (value or None)
        for key, value in form.items()
        if key.startswith("unit:")
    }


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return -1  # refused with the range in words by the service


@router.post(
    "/games/{game_id}/nations/{nation_id}/estimates",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def ask_estimate(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> Response:
    """The page's forms: the current orders, or (`what_if`) a draft beside them. Answers
    with the result area, which follows the estimate's progress until it is done."""
    held = require_held_seat(request, game_id, nation_id)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    draft = _draft_from_form(form) if form.get("what_if") else None
    snapshot = await run_in_threadpool(container.games.snapshot, game_id)
    try:
        record = await run_in_threadpool(
            functools.partial(
                container.estimates.ask,
                game_id,
                nation_id,
                seat_token=held,
                draft=draft,
                runs=_int(form.get("runs"), DEFAULT_RUNS),
                horizon=form.get("horizon") or "turn",
                others=form.get("others") or DEFAULT_OTHERS,
            )
        )
    except ServiceError as refused:
        return _fragment(request, container, snapshot.state, None, error=refused.message)
    return _fragment(request, container, snapshot.state, record)


@router.get(
    "/games/{game_id}/nations/{nation_id}/estimates/{estimate_id}", response_class=HTMLResponse
)
async def estimate_progress(
    game_id: str, nation_id: str, estimate_id: int, request: Request, container: ContainerDep
) -> Response:
    require_viewer(request, game_id, nation_id)
    record = await run_in_threadpool(container.estimates.get, game_id, nation_id, estimate_id)
    snapshot = await run_in_threadpool(container.games.snapshot, game_id)
    return _fragment(request, container, snapshot.state, record)


@router.post(
    "/games/{game_id}/nations/{nation_id}/estimates/{estimate_id}/cancel",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def cancel_estimate(
    game_id: str, nation_id: str, estimate_id: int, request: Request, container: ContainerDep
) -> Response:
    require_held_seat(request, game_id, nation_id)
    await run_in_threadpool(container.estimates.cancel, game_id, nation_id, estimate_id)
    record = await run_in_threadpool(container.estimates.get, game_id, nation_id, estimate_id)
    snapshot = await run_in_threadpool(container.games.snapshot, game_id)
    return _fragment(request, container, snapshot.state, record)


# --- JSON API -------------------------------------------------------------------------


class EstimateRequest(BaseModel):
    """Ask for a staff estimate of the nation's current orders, or of `draft` beside them."""

    runs: int = Field(DEFAULT_RUNS, ge=1, le=MAX_RUNS, description="Games to play.")
    horizon: str = Field("turn", description="'turn': the rest of this turn; 'game': to the end.")
    others: str = Field(DEFAULT_OTHERS, description="The bot personality the others play.")
    draft: dict[str, str | None] | None = Field(
        None, description="A what-if: unit id -> operation id (null: not committed)."
    )


def _record_json(record: EstimateRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "turn": record.turn,
        "kind": record.kind,
        "status": record.status,
        "runs": record.runs,
        "done": record.done,
        "horizon": record.horizon,
        "others": record.others,
        "current": estimate_to_dict(record.current) if record.current else None,
        "draft": estimate_to_dict(record.draft) if record.draft else None,
    }


@router.post("/api/games/{game_id}/nations/{nation_id}/estimates", tags=["api"])
async def api_ask_estimate(
    game_id: str, nation_id: str, body: EstimateRequest, request: Request, container: ContainerDep
) -> Response:
    held = require_held_seat(request, game_id, nation_id)
    record = await run_in_threadpool(
        functools.partial(
            container.estimates.ask,
            game_id,
            nation_id,
            seat_token=held,
            draft=body.draft,
            runs=body.runs,
            horizon=body.horizon,
            others=body.others,
        )
    )
    return SafeJSONResponse(_record_json(record), 202)


@router.get("/api/games/{game_id}/nations/{nation_id}/estimates/{estimate_id}", tags=["api"])
async def api_estimate(
    game_id: str, nation_id: str, estimate_id: int, request: Request, container: ContainerDep
) -> Response:
    require_viewer(request, game_id, nation_id)
    record = await run_in_threadpool(container.estimates.get, game_id, nation_id, estimate_id)
    return SafeJSONResponse(_record_json(record))


# --- control --------------------------------------------------------------------------


@router.get(
    "/control/games/{game_id}/estimates",
    response_class=HTMLResponse,
    dependencies=[Depends(require_instructor)],
)
async def control_estimates(game_id: str, request: Request, container: ContainerDep) -> Response:
    snapshot = await run_in_threadpool(container.games.snapshot, game_id)
    records = await run_in_threadpool(container.estimates.of_game, game_id)
    allowed = await run_in_threadpool(container.estimates.allowed, game_id)
    state = container.renderer.local_state(game_id, snapshot.state)
    context = {
        **_context(state, "", records),
        "game_id": game_id,
        "game_name": container.renderer.game_name(snapshot),
        "records": records,
        "allowed": allowed,
        "nation_names": {n.id: n.name for n in state.nations},
        "csrf_token": csrf_token(request),
    }
    return container.renderer.templates.TemplateResponse(request, "estimates/control.html", context)


@router.post(
    "/control/games/{game_id}/estimates/allowed",
    dependencies=[Depends(require_instructor), Depends(check_csrf)],
)
async def set_estimates_allowed(
    game_id: str, container: ContainerDep, allowed: Annotated[str, Form()] = ""
) -> Response:
    await run_in_threadpool(container.estimates.set_allowed, game_id, allowed == "yes")
    return RedirectResponse(f"/control/games/{game_id}/estimates", status_code=303)
