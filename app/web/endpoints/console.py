"""The white cell's console of one game: status, control actions, channels, branch, the end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.i18n import current_language
from app.rules.control import (
    ControlAction,
    GiveFeedback,
    OverrideOutcome,
    ReleaseTurn,
    SetHold,
    parse_control,
    parse_moment,
    stale,
)
from app.rules.outcomes import Rejection
from app.rules.state import Result
from app.services.errors import Invalid, NotFound, Rejected, ServiceError
from app.web.container import Container
from app.web.deps import (
    ContainerDep,
    check_csrf,
    csrf_token,
    current_instructor,
    public_site,
    require_instructor,
)

# Every route depends on `require_instructor`; the posts also check the CSRF token.
router = APIRouter(prefix="/control", dependencies=[Depends(require_instructor)])


async def _console_context(
    request: Request, container: Container, game_id: str
) -> dict[str, object]:
    """The console page: its live panels as they are now, and the page's own parts."""
    console = await run_in_threadpool(container.control.console, game_id, current_language())
    live = container.control_console
    parts = await run_in_threadpool(live.page_parts, console, game_id)
    instructor = current_instructor(request)
    here = set(container.hub.present(game_id, live))
    if instructor is not None:
        here.add(instructor.display_name)
    return {
        **live.context(console, game_id),
        "csrf_token": csrf_token(request),
        "instructor": instructor,
        "parts": parts,
        "here": sorted(here),
        "site": public_site(request),
    }


@router.get("/games/{game_id}", response_class=HTMLResponse)
async def console_page(game_id: str, request: Request, container: ContainerDep) -> Response:
    context = await _console_context(request, container, game_id)
    return container.renderer.templates.TemplateResponse(request, "control/game.html", context)


@router.get("/games/{game_id}/status", response_class=HTMLResponse)
async def console_status(game_id: str, request: Request, container: ContainerDep) -> Response:
    """The top of the console (where the game is, the clock's buttons, the seats) as it is
    now; the page itself gets it live over its websocket."""
    context = await _console_context(request, container, game_id)
    parts = cast(dict[str, str], context["parts"])
    return HTMLResponse(parts["control-status"] + parts["control-seats"])


def _refused(rejection: Rejection) -> Invalid:
    """The console's refusal of a form the rules could not read."""
    return Invalid(rejection.message, rejection.code)


@router.post("/games/{game_id}/do", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def console_action(game_id: str, request: Request, container: ContainerDep) -> Response:
    """Every button of the console posts here; the answer is one line, what was done or
    why not, which the page puts next to the button pressed. The panels change over the
    console's websocket, so nothing typed elsewhere on the page is replaced, and a form
    refused keeps what was typed in it."""
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    kind = form.get("action", "")
    nation_id = form.get("nation_id", "")
    games = container.games
    try:
        if kind == "bot":
            await run_in_threadpool(
                games.hand_seat_to_bot, game_id, nation_id, form.get("personality", "profile")
            )
            message = "The seat is now played by a bot."
        elif kind == "back":
            await run_in_threadpool(lambda: games.take_seat_back(game_id, nation_id))
            message = "The seat is back with its students."
        elif kind == "relink":
            link = await run_in_threadpool(games.new_seat_link, game_id, nation_id)
            message = (
                f"New join link for {link.nation_name}: {public_site(request)}/join/{link.token} "
                f"(the old one no longer works); new join code {link.grouped_code}."
            )
        elif kind in RED_CELL_DONE:
            seat = kind.removeprefix("red_cell_")
            red_link = await run_in_threadpool(games.seat_red_cell, game_id, seat)
            message = RED_CELL_DONE[kind]
            if seat == "open" and red_link is not None:
                message += (
                    f" Join link: {public_site(request)}/join/{red_link.token}; "
                    f"join code {red_link.grouped_code}."
                )
        elif kind == "adjudicate":
            message = await _adjudicate(container, game_id, form)
        else:
            action = parse_control(form)
            if isinstance(action, Rejection):
                raise _refused(action)
            await run_in_threadpool(games.control, game_id, action)
            message = _done(action)
        ok = True
    except ServiceError as refused:
        message, ok = refused.message, False
    return _answer(request, container, message, ok=ok)


def _answer(
    request: Request, container: Container, message: str, *, ok: bool, status: int = 200
) -> Response:
    """What a console form did (or why not), for the slot next to its button. htmx swaps
    only 2xx answers, so a refusal is a 200 too, marked as refused."""
    return container.renderer.templates.TemplateResponse(
        request, "control/answer.html", {"message": message, "ok": ok}, status_code=status
    )


async def _adjudicate(container: Container, game_id: str, form: Mapping[str, str]) -> str:
    """The adjudication form: every override and every nation's feedback that changed,
    then, if asked, the release. Each is one control action, applied in order, each for
    the turn the form was made for (so a form of a turn released meanwhile changes nothing)."""
    at = parse_moment(form)
    if isinstance(at, Rejection):
        raise _refused(at)
    state = (await run_in_threadpool(container.games.snapshot, game_id)).state
    refused = stale(state, at)
    if refused is not None:  # even a form with nothing changed says the turn is gone
        raise Rejected(refused.message, refused.code)
    actions: list[ControlAction] = []
    current = {o.operation_id: o for o in state.overrides}
    for key, value in form.items():
        if not key.startswith("result_"):
            continue
        operation_id = key.removeprefix("result_")
        reason = form.get(f"reason_{operation_id}", "")
        was = current.get(operation_id)
        if value == "rules":
            if was is not None:
                actions.append(OverrideOutcome(operation_id, None, at=at))
        elif not reason.strip():
            name = next((o.name for o in state.operations if o.id == operation_id), "")
            raise Invalid(f"Record why control overrides {name or operation_id}.", "reason")
        elif was is None or (was.result, was.reason) != (value, " ".join(reason.split())):
            actions.append(OverrideOutcome(operation_id, cast(Result, value), reason, at=at))
    for nation in state.nations:
        text = form.get(f"feedback_{nation.id}")
        if text is not None and text.strip() != state.feedback.get(nation.id, ""):
            actions.append(GiveFeedback(nation.id, text, at=at))
    release = form.get("then") == "release"
    if release:
        actions.append(ReleaseTurn(at=at))
    for action in actions:
        await run_in_threadpool(container.games.control, game_id, action)
    return "Results released." if release else "Adjudication saved."


# The line the console shows after each control action, by the action's kind (the hold's
# by whether it is now on).
CONTROL_DONE = {
    "pause": "Clock paused.",
    "resume": "Clock resumed.",
    "extend": "Phase extended.",
    "phase_length": "Phase length set for the next turns.",
    "advance": "Orders phase ended.",
    "override": "Adjudication recorded.",
    "feedback": "Feedback saved; it reaches the nation when you release the turn.",
    "release": "Results released.",
    "fire": "Inject fired.",
    "live_inject": "Inject sent.",
    "control_message": "Message sent.",
    "end_exercise": "The exercise has ended; its after-action review is ready.",
}
RED_CELL_DONE = {
    "red_cell_open": "The red cell's seat is open: give its link or code to the student.",
    "red_cell_bot": "The adversary is now played by the red-cell bot.",
    "red_cell_table": "The adversary is played by its reaction table again.",
}
HOLD_DONE = {
    True: "Turns will wait for your adjudication.",
    False: "Turns resolve as soon as the orders are in.",
}


def _done(action: ControlAction) -> str:
    if isinstance(action, SetHold):
        return HOLD_DONE[action.hold]
    return CONTROL_DONE.get(action.kind, "Done.")


@router.get("/games/{game_id}/channels/{channel_id}", response_class=HTMLResponse)
async def read_channel(
    game_id: str, channel_id: str, request: Request, container: ContainerDep
) -> Response:
    """Control reads any channel (the newest 100 messages)."""
    page = await run_in_threadpool(
        lambda: container.games.channel_messages(game_id, None, channel_id, limit=100)
    )
    channel = page.state.channel(channel_id)
    names = {n.id: n.name for n in page.state.nations}
    return container.renderer.templates.TemplateResponse(
        request,
        "control/channel.html",
        {
            "channel": channel,
            "page": page,
            "names": {**names, "control": "Control"},
            "game_id": game_id,
        },
    )


@router.post("/games/{game_id}/branch", dependencies=[Depends(check_csrf)])
async def branch(game_id: str, request: Request, container: ContainerDep) -> Response:
    """A counterfactual game from the start of one of this game's turns."""
    raw = await request.form()
    turn, name = str(raw.get("turn", "")), str(raw.get("name", "")).strip()
    if not turn.isdigit():
        raise Invalid("Choose the turn to branch from.", "turn")
    created = await run_in_threadpool(
        lambda: container.games.branch(game_id, int(turn), name=name or None)
    )
    target = f"/control/games/{created.game_id}/sheet"
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


# --- the games that are over: download, archive, delete -----------------------------------


@router.get("/games/{game_id}/download")
async def download_game(game_id: str, container: ContainerDep) -> Response:
    """The whole game as one JSON document (`entente export`'s), for `entente import`
    here or on another server."""
    download = await run_in_threadpool(container.control.download, game_id)
    return Response(
        download.body,
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{download.filename}"'},
    )


async def _console_answer(
    request: Request, container: Container, game_id: str, message: str, *, ok: bool, status: int
) -> Response:
    """What happened (or why not): next to the button for htmx, the whole console page
    with it at its top (and `status`) for a plain form post."""
    if request.headers.get("hx-request"):
        return _answer(request, container, message, ok=ok)
    context = await _console_context(request, container, game_id)
    context.update(message=message, ok=ok)
    templates = container.renderer.templates
    return templates.TemplateResponse(request, "control/game.html", context, status_code=status)


@router.post("/games/{game_id}/archive", dependencies=[Depends(check_csrf)])
async def archive_game(game_id: str, request: Request, container: ContainerDep) -> Response:
    """Off the control home's main list (an ended game only); the console stays."""
    try:
        await run_in_threadpool(container.control.archive, game_id)
    except NotFound:
        raise
    except ServiceError as refused:
        return await _console_answer(
            request, container, game_id, refused.message, ok=False, status=refused.status_code
        )
    if not request.headers.get("hx-request"):
        return RedirectResponse("/control", status_code=303)
    message = "Archived: the control home lists it under “Archived”."
    return await _console_answer(request, container, game_id, message, ok=True, status=200)


@router.post("/games/{game_id}/unarchive", dependencies=[Depends(check_csrf)])
async def unarchive_game(game_id: str, request: Request, container: ContainerDep) -> Response:
    """Back on the control home's main list."""
    await run_in_threadpool(container.control.unarchive, game_id)
    if not request.headers.get("hx-request"):
        return RedirectResponse("/control", status_code=303)
    message = "Unarchived: the game is back on the control home's list."
    return await _console_answer(request, container, game_id, message, ok=True, status=200)


@router.post("/games/{game_id}/delete", dependencies=[Depends(check_csrf)])
async def delete_game(game_id: str, request: Request, container: ContainerDep) -> Response:
    """Delete an ended game for good, once control has typed its name; then the control
    home. Refused, the console says why."""
    raw = await request.form()
    typed = raw.get("confirm_name", "")
    try:
        await run_in_threadpool(
            container.control.delete_game, game_id, typed if isinstance(typed, str) else ""
        )
    except NotFound:
        raise
    except ServiceError as refused:
        return await _console_answer(
            request, container, game_id, refused.message, ok=False, status=refused.status_code
        )
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": "/control"})
    return RedirectResponse("/control", status_code=303)
