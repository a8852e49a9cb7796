"""The white cell's pages: exercises at a glance, setting one up, the join sheet.

Every route depends on `require_instructor`; the posts also check the CSRF token.
"""

from __future__ import annotations

from typing import Annotated, Literal, cast

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.services.aar import DATASETS
from app.services.access import observer_token
from app.services.control import MAX_SYNDICATES
from app.services.errors import NotFound, ServiceError
from app.web.deps import (
    ContainerDep,
    InstructorDep,
    check_csrf,
    csrf_token,
    require_instructor,
)

router = APIRouter(prefix="/control", dependencies=[Depends(require_instructor)])


def _site(request: Request) -> str:
    """Links as the instructor reached this server, which players on that network can too."""
    return str(request.base_url).rstrip("/")


async def _home(
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    *,
    status: int = 200,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    games = await run_in_threadpool(container.control.overview)
    scenarios = await run_in_threadpool(container.scenarios.catalogue)
    return container.renderer.templates.TemplateResponse(
        request,
        "control/home.html",
        {
            "csrf_token": csrf_token(request),
            "instructor": instructor,
            "games": games,
            "scenarios": scenarios,
            "max_syndicates": MAX_SYNDICATES,
            "error": error,
            "form": form or {},
        },
        status_code=status,
    )


@router.get("", response_class=HTMLResponse)
async def control_home(
    request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    return await _home(request, container, instructor)


@router.post("/exercises", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def create_exercise(
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    scenario_id: Annotated[str, Form(max_length=100)] = "",
    name: Annotated[str, Form(max_length=300)] = "",
    syndicates: Annotated[str, Form(max_length=4)] = "1",
) -> Response:
    form = {"scenario_id": scenario_id, "name": name, "syndicates": syndicates}
    try:
        count = int(syndicates) if syndicates.strip().isdigit() else 0
        created = await run_in_threadpool(
            lambda: container.control.create_exercise(
                scenario_id, name=name, syndicates=count, created_by=instructor.id
            )
        )
    except ServiceError as refused:
        return await _home(
            request, container, instructor, status=400, error=refused.message, form=form
        )
    return RedirectResponse(f"/control/games/{created[0].game_id}/sheet", status_code=303)


@router.get("/games/{game_id}/sheet", response_class=HTMLResponse)
async def join_sheet(
    game_id: str, request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """The printable sheet of join links of a game and of its sister syndicates."""
    games = await run_in_threadpool(container.control.overview)
    chosen = next((g for g in games if g.game_id == game_id), None)
    if chosen is None:
        raise NotFound(f"There is no game {game_id!r}.")
    group = (
        [g for g in games if g.exercise_id == chosen.exercise_id]
        if chosen.exercise_id
        else [chosen]
    )
    group.sort(key=lambda g: g.syndicate or 0)
    secret = container.settings.resolved_secret_key()
    sheets = []
    for game in group:
        links = await run_in_threadpool(container.games.seat_links, game.game_id)
        sheets.append(
            {
                "game": game,
                "seats": [(s.nation_name, f"{_site(request)}/join/{s.token}") for s in links],
                "observer": f"{_site(request)}/observe/{game.game_id}/"
                f"{observer_token(secret, game.game_id)}",
            }
        )
    return container.renderer.templates.TemplateResponse(
        request,
        "control/sheet.html",
        {"csrf_token": csrf_token(request), "instructor": instructor, "sheets": sheets},
    )


@router.get("/games/{game_id}/export/{dataset}.{fmt}")
async def export(game_id: str, dataset: str, fmt: str, container: ContainerDep) -> Response:
    """The event log, messages, orders or explained outcomes as JSON or CSV, every row
    with its turn (for spreadsheets and the debrief)."""
    if dataset not in DATASETS or fmt not in ("json", "csv"):
        raise NotFound(
            f"No export {dataset}.{fmt}: choose events, messages, orders or "
            "outcomes, as json or csv."
        )
    exported = await run_in_threadpool(
        container.aar.export, game_id, dataset, cast(Literal["json", "csv"], fmt)
    )
    return Response(
        exported.body,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
