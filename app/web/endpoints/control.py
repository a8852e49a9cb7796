"""The white cell's home: exercises at a glance, setting one up, the join sheet.

Every route depends on `require_instructor`; the posts also check the CSRF token. The
rest of the white cell's pages: `console` (one game), `instructors` (accounts), `aar`
(the review and the exports), `library` (scenarios).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from app.i18n import _
from app.rules.state import Fog
from app.services.access import observer_token
from app.services.control import BOT_PERSONALITIES, MAX_SYNDICATES
from app.services.errors import Invalid, NotFound, ServiceError
from app.web.deps import (
    ContainerDep,
    InstructorDep,
    check_csrf,
    csrf_token,
    public_site,
    require_instructor,
)
from app.web.endpoints import console, instructors

router = APIRouter(prefix="/control", dependencies=[Depends(require_instructor)])

ROUTERS = (router, console.router, instructors.router)
"""The routers split from the control pages, each behind `require_instructor` (the
route-walk tests walk every one)."""


async def _home(
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    *,
    status: int = 200,
    error: str | None = None,
    form: Mapping[str, str] | None = None,
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
            "personalities": BOT_PERSONALITIES,
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


def _seat_choices(form: Mapping[str, object]) -> dict[str, str]:
    """`seat_<nation>` fields: "human", or the personality of the bot that plays it."""
    bots = {}
    for key, value in form.items():
        if key.startswith("seat_") and isinstance(value, str) and value != "human":
            bots[key.removeprefix("seat_")] = value
    return bots


@router.get("/exercises/seats", response_class=HTMLResponse)
async def seat_choices(
    request: Request, container: ContainerDep, scenario_id: str = ""
) -> Response:
    """The seat choices of the scenario picked in the set-up form (htmx swaps them in)."""
    scenarios = await run_in_threadpool(container.scenarios.catalogue)
    chosen = next((s for s in scenarios if s.scenario_id == scenario_id), None)
    return container.renderer.templates.TemplateResponse(
        request,
        "control/seat_choices.html",
        {"scenario": chosen, "personalities": BOT_PERSONALITIES, "form": {}},
    )


@router.post("/exercises", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def create_exercise(
    request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    syndicates = form.get("syndicates", "1").strip()
    minutes = form.get("orders_minutes", "").strip()
    try:
        if minutes and not minutes.isdigit():
            raise Invalid(_("Give the orders phase in whole minutes."), "orders_minutes")
        created = await run_in_threadpool(
            lambda: container.control.create_exercise(
                form.get("scenario_id", ""),
                name=form.get("name", ""),
                syndicates=int(syndicates) if syndicates.isdigit() else 0,
                created_by=instructor.id,
                bots=_seat_choices(form),
                orders_minutes=int(minutes) if minutes else None,
                hold=form.get("hold") == "on",
                fog=cast(Fog, form.get("fog", "standard")),
                language=form.get("language", ""),
            )
        )
    except ServiceError as refused:
        return await _home(
            request, container, instructor, status=400, error=refused.message, form=form
        )
    return RedirectResponse(f"/control/games/{created[0].game_id}/sheet", status_code=303)


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
async def exercise_view(
    exercise_id: str, request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """Every syndicate of an exercise at a glance (turn, phase, time left, ready seats,
    hold), each row live over its own socket, with a link into each console."""
    glances = await run_in_threadpool(container.control.exercise, exercise_id)
    rows = [
        {
            "game_id": g.overview.game_id,
            "html": Markup(
                container.glance.row(g.overview.game_id, g.overview.name, g.state, oob=False)
            ),
        }
        for g in glances
    ]
    first = glances[0].overview
    return container.renderer.templates.TemplateResponse(
        request,
        "control/exercise.html",
        {
            "csrf_token": csrf_token(request),
            "instructor": instructor,
            "exercise_id": exercise_id,
            "title": container.renderer.title_of(
                first.game_id, first.name.rsplit(" — syndicate", 1)[0]
            ),
            "rows": rows,
        },
    )


@router.get("/games/{game_id}/sheet", response_class=HTMLResponse)
async def join_sheet(
    game_id: str, request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """The printable sheet of join links of a game and of its sister syndicates."""
    games = await run_in_threadpool(container.control.overview)
    chosen = next((g for g in games if g.game_id == game_id), None)
    if chosen is None:
        raise NotFound(_("There is no game %(game)s.", game=repr(game_id)))
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
                "seats": [
                    (
                        container.renderer.nation_name_of(game.game_id, s.nation_id, s.nation_name),
                        f"{public_site(request)}/join/{s.token}",
                        s.bot,
                        s.grouped_code,
                    )
                    for s in links
                ],
                "observer": f"{public_site(request)}/observe/{game.game_id}/"
                f"{observer_token(secret, game.game_id)}",
            }
        )
    return container.renderer.templates.TemplateResponse(
        request,
        "control/sheet.html",
        {"csrf_token": csrf_token(request), "instructor": instructor, "sheets": sheets},
    )
