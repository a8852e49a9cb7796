"""A nation's pages: join by link or code, the situation page, and its orders."""

from __future__ import annotations

import dataclasses
import functools
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.routing import Route

from app import rules
from app.i18n import _, current_language, use_language
from app.services.access import valid_observer_token
from app.services.errors import Forbidden, Rejected, ServiceError
from app.services.game_results import Snapshot
from app.web import action_schemas
from app.web.container import Container
from app.web.deps import (
    ContainerDep,
    check_address,
    check_csrf,
    client_address,
    csrf_token,
    current_instructor,
    get_container,
    observing,
    remember_observing,
    remember_seat,
    require_held_seat,
    require_viewer,
    seats_in_session,
)
from app.web.language import chosen_language, offer_language
from app.web.markdown import render_markdown
from app.web.rendering import seat_path, term
from app.web.responses import SafeJSONResponse

router = APIRouter()

MAX_ACTION_BYTES = 65_536
"""The largest action body: the longest message with room to spare."""


# --- JSON API (same services, same structured rejections) --------------------------------
# First in the file, so first of the router's routes: every request is matched against
# them in order (twice: FastAPI matches an included router's routes, then its route), and
# every action sent as JSON (bots, scripts, the load bench) takes the actions route.


@router.get("/api/games/{game_id}/nations/{nation_id}/view", tags=["api"])
async def api_view(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> dict[str, Any]:
    viewer = require_viewer(request, game_id, nation_id)
    snapshot = await run_in_threadpool(container.games.snapshot, game_id)
    # The texts in the reader's language, as on the seat's page; the ids stay the codes.
    state = container.renderer.local_state(game_id, snapshot.state)
    return {"seq": snapshot.seq, **rules.view(state, viewer)}


async def _json_body(request: Request, what: str) -> Any:
    """The request's JSON body, or the error response that says why it cannot be read."""
    if not request.headers.get("content-type", "").startswith("application/json"):
        # A JSON content type cannot be sent cross-site without a CORS preflight.
        return SafeJSONResponse(
            {
                "code": "unsupported_media_type",
                "message": _("Send the action as application/json."),
            },
            415,
        )
    raw = await request.body()
    if len(raw) > MAX_ACTION_BYTES:
        return SafeJSONResponse(
            {
                "code": "too_large",
                "message": _(
                    "%(what)s may be at most %(limit)s bytes.", what=what, limit=MAX_ACTION_BYTES
                ),
            },
            413,
        )
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # deep nesting exhausts the parser's stack
        return SafeJSONResponse(
            {"code": "malformed", "message": _("The body is not valid JSON.")}, 400
        )


ACTION_PATH = "/api/games/{game_id}/nations/{nation_id}/actions"


@router.post(
    ACTION_PATH,
    tags=["api"],
    openapi_extra={
        **action_schemas.action_body(),
        "parameters": action_schemas.path_parameters("game_id", "nation_id"),
    },
)
async def api_act(request: Request) -> Response:
    """Apply an action given as JSON, e.g. {"kind": "commit", "unit_id": ..., ...}."""
    # What the app's dependency checks on every route: this endpoint is served by
    # `action_route` (below), which FastAPI's dependencies do not reach.
    check_address(request)
    # Read from the request, not taken as parameters: FastAPI's solving of each (and of
    # the container as a dependency) cost some 50 us of CPU on every action's request.
    game_id, nation_id = request.path_params["game_id"], request.path_params["nation_id"]
    container = get_container(request)
    held = require_held_seat(request, game_id, nation_id)
    body = await _json_body(request, _("An action"))
    if isinstance(body, Response):
        return body
    # The seat is checked in the action's transaction (one per action, not a read first).
    result = await run_in_threadpool(
        functools.partial(container.games.act, seat_token=held), game_id, nation_id, body
    )
    return SafeJSONResponse({"accepted": True, "seq": result.seq})


def action_route() -> Route:
    """`api_act` as a plain Starlette route, for the app to try before every router: the
    route every action takes skips FastAPI's matching of the included routers (each pattern
    tried twice) and its request handler (the app's dependency solved, two exit stacks),
    some 60 us of CPU an action. The endpoint takes only the request and checks the address
    itself; errors still go through the app's exception handlers (Starlette's route wraps
    it in them, as FastAPI's does). The router's route stays, for the API's documentation
    (OpenAPI), and answers nothing: this one matches the same requests first."""
    return Route(ACTION_PATH, api_act, methods=["POST"], include_in_schema=False)


MAX_ACTIONS_AT_ONCE = 64
"""The most actions one batch may hold."""


@router.post(
    "/api/games/{game_id}/nations/{nation_id}/actions/batch",
    tags=["api"],
    openapi_extra=action_schemas.batch_body(MAX_ACTIONS_AT_ONCE),
)
async def api_act_each(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> Response:
    """Apply several actions in order, e.g. {"actions": [{"kind": "commit", "unit_id": ...,
    "operation_id": ...}, ...]}: each goes through the rules on its own, so one refused
    action does not stop the others. Answers, per action, `accepted` with the game's `seq`,
    or the rules' `code` and `message`."""
    held = require_held_seat(request, game_id, nation_id)
    body = await _json_body(request, _("A batch"))
    if isinstance(body, Response):
        return body
    actions = body.get("actions") if isinstance(body, dict) else None
    if (
        not isinstance(actions, list)
        or not actions
        or not all(isinstance(action, dict) for action in actions)
    ):
        return SafeJSONResponse(
            {"code": "malformed", "message": 'Send {"actions": [...]}, a list of action objects.'},
            422,
        )
    if len(actions) > MAX_ACTIONS_AT_ONCE:
        return SafeJSONResponse(
            {
                "code": "too_many",
                "message": f"A batch may hold at most {MAX_ACTIONS_AT_ONCE} actions.",
            },
            422,
        )
    outcomes = await run_in_threadpool(
        functools.partial(container.games.act_each, seat_token=held), game_id, nation_id, actions
    )
    results = [
        {"accepted": False, "code": o.code, "message": o.message}
        if isinstance(o, Rejected)
        else {"accepted": True, "seq": o.seq}
        for o in outcomes
    ]
    return SafeJSONResponse({"results": results})


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, container: ContainerDep) -> Response:
    return await _home_page(request, container)


async def _home_page(
    request: Request,
    container: Container,
    *,
    status: int = 200,
    code: str = "",
    code_error: str | None = None,
) -> Response:
    held = seats_in_session(request)
    games = await run_in_threadpool(container.games.list_games, True)
    rows = [
        {
            "name": container.renderer.title_of(game.game_id, game.name),
            "ended": game.status == "ended",
            "seats": [
                (
                    container.renderer.nation_name_of(game.game_id, n, game.nation_names.get(n, n)),
                    seat_path(game.game_id, n),
                )
                for n in held.get(game.game_id, [])
            ],
        }
        for game in games
        if game.status != "ended" or held.get(game.game_id)
    ]
    context = {
        "games": rows,
        "instructor": current_instructor(request),
        "csrf_token": csrf_token(request),
        "join_code": code,
        "join_code_error": code_error,
    }
    return container.renderer.templates.TemplateResponse(
        request, "home.html", context, status_code=status
    )


@router.get("/join/{token}", response_class=HTMLResponse)
async def join_page(token: str, request: Request, container: ContainerDep) -> Response:
    """A join link asks before it seats: a plain GET (a link, an image on another site)
    must not hand this browser a seat. An unknown link is a 404 with its reason."""
    invitation = await run_in_threadpool(container.games.invitation, token)
    # The exercise's language, unless this browser has chosen one, from this page on.
    offer_language(
        request, await run_in_threadpool(container.games.default_language, invitation.game_id)
    )
    with use_language(chosen_language(request.scope)) as language:
        texts = await run_in_threadpool(container.games.scenario_texts, invitation.game_id)
        seat = dataclasses.replace(
            invitation,
            game_name=texts.title(invitation.game_name, language),
            nation_name=texts.nation_name(invitation.nation_id, invitation.nation_name, language),
        )
        context = {"seat": seat, "token": token, "csrf_token": csrf_token(request)}
        return container.renderer.templates.TemplateResponse(request, "join.html", context)


@router.post("/join/{token}", dependencies=[Depends(check_csrf)])
async def join(token: str, request: Request, container: ContainerDep) -> Response:
    """The join page's button: take the seat and open its page."""
    seat = await run_in_threadpool(container.games.join, token)
    remember_seat(request, seat.game_id, seat.nation_id, seat.token)
    offer_language(request, await run_in_threadpool(container.games.default_language, seat.game_id))
    csrf_token(request)
    return RedirectResponse(seat_path(seat.game_id, seat.nation_id), status_code=303)


@router.post("/join", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def join_by_code(
    request: Request, container: ContainerDep, code: Annotated[str, Form()] = ""
) -> Response:
    """The home page's "Join with a code" form: the seat, as its link would; a wrong code
    shows the form again with what was typed and why it was refused."""
    typed = code[:100]  # anything longer is no code; it is shown back, not stored
    try:
        seat = await run_in_threadpool(container.games.join_by_code, typed, client_address(request))
    except ServiceError as refused:
        status = 429 if refused.code == "throttled" else 400
        return await _home_page(
            request, container, status=status, code=typed, code_error=refused.message
        )
    remember_seat(request, seat.game_id, seat.nation_id, seat.token)
    offer_language(request, await run_in_threadpool(container.games.default_language, seat.game_id))
    csrf_token(request)
    return RedirectResponse(seat_path(seat.game_id, seat.nation_id), status_code=303)


@router.get("/games/{game_id}")
async def game_seats(game_id: str, request: Request, container: ContainerDep) -> Response:
    """A game's address without a seat: go to the seat this browser holds, or say how."""
    await run_in_threadpool(container.games.snapshot, game_id)  # 404 for an unknown game
    held = seats_in_session(request).get(game_id, [])
    if len(held) == 1:
        return RedirectResponse(seat_path(game_id, held[0]), status_code=303)
    if not held:
        raise Forbidden(_("You have no seat in this game. Open your join link to take it."))
    return RedirectResponse("/", status_code=303)  # the home page lists every held seat


@router.get("/observe/{game_id}/{token}")
async def observe(game_id: str, token: str, request: Request, container: ContainerDep) -> Response:
    """An observer link: read-only, the public view of the game."""
    await run_in_threadpool(container.games.snapshot, game_id)  # 404 for an unknown game
    if not valid_observer_token(container.settings.resolved_secret_key(), game_id, token):
        raise Forbidden(_("This observer link is not valid. Ask control for a new one."))
    remember_observing(request, game_id)
    offer_language(request, await run_in_threadpool(container.games.default_language, game_id))
    return RedirectResponse(f"/games/{game_id}/observe", status_code=303)


@router.get("/games/{game_id}/observe", response_class=HTMLResponse)
async def observer_page(game_id: str, request: Request, container: ContainerDep) -> Response:
    snapshot = await run_in_threadpool(container.games.snapshot, game_id)
    viewer = observing(request, game_id)
    if viewer is None:
        raise Forbidden(_("Open the observer link to watch this game."))
    return await _render_game(request, container, snapshot, viewer)


@router.get("/games/{game_id}/nations/{nation_id}", response_class=HTMLResponse)
async def game_page(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> Response:
    snapshot = await run_in_threadpool(container.games.snapshot, game_id)
    viewer = require_viewer(request, game_id, nation_id)
    return await _render_game(request, container, snapshot, viewer)


async def _render_game(
    request: Request, container: Container, snapshot: Snapshot, viewer: rules.Viewer
) -> Response:
    events = await run_in_threadpool(container.games.latest_events, snapshot.game_id, 50)
    briefing = await run_in_threadpool(
        container.games.briefing, snapshot.game_id, current_language()
    )
    renderer = container.renderer
    context = renderer.context(snapshot, viewer)
    context["briefing"] = render_markdown(briefing)
    context["feed"] = renderer.feed_of(
        snapshot, [e for e in events if e.seq <= snapshot.seq], viewer
    )
    context["csrf_token"] = csrf_token(request)
    return renderer.templates.TemplateResponse(request, "game.html", context)


def _form_action(form: dict[str, Any]) -> dict[str, Any]:
    allowed = (
        "kind",
        "unit_id",
        "operation_id",
        "ready",
        "turn",
        "coalition_id",
        "actor_id",
        "move",
        "text",
    )
    return {k: form[k] for k in allowed if k in form}


@router.post(
    "/games/{game_id}/nations/{nation_id}/orders",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def submit_order(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> Response:
    """An htmx form post: answers with the status line only. The panels arrive through the
    page's websocket, in sequence order, so a slow response can never overwrite a newer
    state with an older one."""
    held = require_held_seat(request, game_id, nation_id)
    viewer = rules.Viewer.of_nation(nation_id)
    form = await request.form()
    action = _form_action({k: v for k, v in form.items() if isinstance(v, str)})
    renderer = container.renderer
    if action.get("kind") == "commit":
        chosen = [v for v in form.getlist("unit_id") if isinstance(v, str) and v]
        return await _commit_units(request, container, game_id, nation_id, action, chosen)
    try:
        result = await run_in_threadpool(
            functools.partial(container.games.act, seat_token=held), game_id, nation_id, action
        )
    except Rejected as rejection:
        html = renderer.order_status(False, rejection.message, oob=False)
        return HTMLResponse(html, status_code=200)
    snapshot = Snapshot(game_id, "", result.seq, result.state)
    context = renderer.context(snapshot, viewer)
    message = _acknowledgement(action, context)
    context_state = renderer.local_state(game_id, result.state)
    answers = [
        seen["text"]
        for e in result.events
        if e.event.kind == rules.EventKind.MANDATE_ANSWERED
        and (seen := rules.view_event(context_state, e.event, viewer)) is not None
    ]
    if answers:  # the council answers at once: say what it said, where it was asked
        message = " ".join(answers)
    reopened = any(
        e.event.kind == rules.EventKind.READY_CHANGED and e.event.data.get("ready") is False
        for e in result.events
    )
    if reopened and action.get("kind") != "ready":
        message += " " + _("Your orders are open again: press ready when they are complete.")
    return HTMLResponse(renderer.order_status(True, message, oob=False))


MAX_UNITS_AT_ONCE = 64
"""The most units one commit form may send (more than any scenario gives a nation)."""


async def _commit_units(
    request: Request,
    container: Container,
    game_id: str,
    nation_id: str,
    action: dict[str, Any],
    unit_ids: list[str],
) -> Response:
    """The commit form: every unit chosen goes through the rules in order (one CommitUnit
    each); the answer, shown next to the form, names the units committed and, for each
    refused one, why."""
    held = require_held_seat(request, game_id, nation_id)
    renderer = container.renderer
    chosen = list(dict.fromkeys(unit_ids))  # a unit sent twice is committed once
    if not chosen:
        return HTMLResponse(renderer.commit_answer(refusals=[("", _("Choose a unit to commit."))]))
    if len(chosen) > MAX_UNITS_AT_ONCE:
        message = _("Choose at most %(count)d units at once.", count=MAX_UNITS_AT_ONCE)
        return HTMLResponse(renderer.commit_answer(refusals=[("", message)]))
    actions = [{**action, "unit_id": unit_id} for unit_id in chosen]
    outcomes = await run_in_threadpool(
        functools.partial(container.games.act_each, seat_token=held), game_id, nation_id, actions
    )
    results = [o for o in outcomes if not isinstance(o, Rejected)]
    state = (
        results[-1].state
        if results
        else (await run_in_threadpool(container.games.snapshot, game_id)).state
    )

    def name(unit_id: str) -> str:
        unit = state.unit(unit_id)
        return unit.name if unit is not None else unit_id

    operation = state.operation(str(action.get("operation_id", "")))
    committed = [
        name(u) for u, o in zip(chosen, outcomes, strict=True) if not isinstance(o, Rejected)
    ]
    refusals = [
        (name(u), o.message)
        for u, o in zip(chosen, outcomes, strict=True)
        if isinstance(o, Rejected)
    ]
    reopened = any(
        e.event.kind == rules.EventKind.READY_CHANGED and e.event.data.get("ready") is False
        for result in results
        for e in result.events
    )
    return HTMLResponse(
        renderer.commit_answer(
            operation=operation.name if operation is not None else "",
            committed=committed,
            refusals=refusals,
            reopened=reopened,
        )
    )


def _acknowledgement(action: dict[str, Any], context: dict[str, Any]) -> str:
    kind = action.get("kind")
    if kind == "red_move":
        return _(
            "Move chosen: %(move)s. It stays hidden from the coalition until the turn "
            "resolves; you may change it until then.",
            move=term("red_move", str(action.get("move", ""))),
        )
    if kind == "ready":
        return (
            _("Orders confirmed.")
            if str(action.get("ready")).lower() in {"1", "true", "yes", "on"}
            else _("Orders reopened.")
        )
    return {
        "transfer": _("Unit placed under coalition command."),
        "reclaim": _("Unit back under national command."),
        "red_card": _("Tasking refused (red card)."),
        "leave_coalition": _("You have left the coalition."),
    }.get(str(kind), _("Unit withdrawn."))
