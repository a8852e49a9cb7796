"""A nation's negotiation: channels and their messages, proposals and answers to them.

These are htmx endpoints for the parts of the negotiation panel a player reads or types
into (templates/talks/). Every change goes through `GameService.act`, so the rules decide;
a refusal is answered with 200 and the rules' message in place. The live parts of the
panel (channels with their counts, proposals, agreements, pledges) reach every page
through its websocket, like the other panels, never through these answers.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from app import rules
from app.i18n import N_, gettext
from app.rules.state import RED_CELL_SEAT
from app.rules.views import AGREEMENT_LABELS
from app.rules.wording.base import a_deal
from app.services.errors import Forbidden, ServiceError
from app.services.game_results import ChannelPage
from app.services.games import GameService
from app.web.container import Container
from app.web.deps import ContainerDep, check_csrf, require_held_seat, require_viewer
from app.web.rendering import seat_path
from app.web.talks import (
    channel_of,
    composer_values,
    message_entries,
    seen_counts,
    talks_context,
    terms_from_form,
)


def _nations_only(nation_id: str) -> None:
    """The red cell speaks through its moves (a signal, an offer of talks), not in talks."""
    if nation_id == RED_CELL_SEAT:
        raise Forbidden(
            gettext("The red cell speaks through its moves: a signal or an offer of talks.")
        )


router = APIRouter(
    prefix="/games/{game_id}/nations/{nation_id}/talks", dependencies=[Depends(_nations_only)]
)
CSRF = [Depends(check_csrf)]
PAGE_SIZE = 50
MAX_VALUES = 50  # values of one field the composer's fields read (parties, operations)
_SEQ = re.compile(r"[0-9]{1,9}")  # a stored seq is a 32-bit integer
# Each answer's action, and what the status line says when it is done (translated there).
ANSWERS = {
    "sign": ("sign", N_("Signed.")),
    "reject": ("reject", N_("Proposal rejected.")),
    "withdraw": ("withdraw_proposal", N_("Proposal withdrawn.")),
}


def _render(container: Container, template: str, context: dict[str, Any]) -> str:
    return container.renderer.templates.get_template(f"talks/{template}.html").render(context)


def _html(body: str, status_code: int = 200, trigger: dict[str, Any] | None = None) -> Response:
    headers = {"HX-Trigger": json.dumps(trigger)} if trigger else None
    return HTMLResponse(body, status_code=status_code, headers=headers)


def _context(state: rules.GameState, viewer: rules.Viewer, game_id: str) -> dict[str, Any]:
    game = rules.view(state, viewer)
    return {
        "seat_url": seat_path(game_id, str(viewer.nation_id)),
        "game": game,
        **talks_context(state, viewer, game),
    }


def _seq_param(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    if not _SEQ.fullmatch(value):
        raise ServiceError(
            gettext("'%(name)s' must be the number of a message.", name=name), "malformed"
        )
    return int(value)


def _fields(form: FormData) -> dict[str, list[str]]:
    """A form's text fields, each with every value it was sent with."""
    return {
        key: [v for v in form.getlist(key) if isinstance(v, str)] for key in dict.fromkeys(form)
    }


def _first(fields: dict[str, list[str]], key: str) -> str:
    values = fields.get(key) or [""]
    return values[0]


async def _state(games: GameService, game_id: str) -> rules.GameState:
    return (await run_in_threadpool(games.snapshot, game_id)).state


def _reads(
    container: Container,
    context: dict[str, Any],
    game_id: str,
    nation_id: str,
    state: rules.GameState | None = None,
) -> str:
    """The seat's read markers (`seen` per channel), swapped into the page out of band;
    given the game's `state` (an action's result), without reading the game again."""
    counts = container.games.channel_counts(game_id, nation_id, state)
    return _render(
        container,
        "reads",
        {
            **context,
            "oob": True,
            "seen": seen_counts(counts),
            "unread": {c: count.unread for c, count in counts.items()},
        },
    )


def _refused(request: Request, html: str, error: ServiceError) -> Response:
    """htmx swaps only 2xx answers: it gets the message with 200; others get the status."""
    return _html(html, 200 if request.headers.get("hx-request") else error.status_code)


# --- channels and messages ---------------------------------------------------------------


def _read_channel(
    container: Container,
    viewer: rules.Viewer,
    game_id: str,
    channel_id: str,
    *,
    before: int | None = None,
    after: int | None = None,
) -> tuple[ChannelPage, dict[str, Any]]:
    """A page of the channel's messages; reading the newest ones marks them read."""
    nation_id = str(viewer.nation_id)
    page = container.games.channel_messages(
        game_id, nation_id, channel_id, before, PAGE_SIZE, after_seq=after
    )
    if before is None and page.messages:
        container.games.mark_read(game_id, nation_id, channel_id, page.messages[-1].seq)
    context = _context(page.state, viewer, game_id)
    url = f"{context['seat_url']}/talks/channels/{quote(channel_id, safe='')}/messages"
    last_seq = page.messages[-1].seq if page.messages else (after or 0)
    context.update(
        channel=channel_of(context["game"], channel_id),
        channel_id=channel_id,
        messages=message_entries(page.state, page.messages, viewer),
        more_before=page.more and after is None,
        messages_url=url,
        last_seq=last_seq,
        # Still behind after this page: 0 makes the page ask for the next one at once.
        total=0 if page.more and after is not None else page.total,
    )
    return page, context


@router.get("/channels/{channel_id}", response_class=HTMLResponse)
async def channel_view(
    game_id: str, nation_id: str, channel_id: str, request: Request, container: ContainerDep
) -> Response:
    """A channel's newest messages and the box to write in it; marks them read."""
    viewer = require_viewer(request, game_id, nation_id)

    def work() -> str:
        _, context = _read_channel(container, viewer, game_id, channel_id)
        return _render(container, "channel", context) + _reads(
            container, context, game_id, nation_id
        )

    try:
        return _html(await run_in_threadpool(work))
    except ServiceError as error:
        html = _render(container, "channel", {"error": error.message})
        return _refused(request, html, error)


@router.get("/channels/{channel_id}/messages", response_class=HTMLResponse)
async def channel_messages(
    game_id: str,
    nation_id: str,
    channel_id: str,
    request: Request,
    container: ContainerDep,
    before: str | None = None,
    after: str | None = None,
) -> Response:
    """Older messages (`before`: the page above the oldest shown, with the link to the
    next), or the newer ones (`after`: appended, marked read)."""
    viewer = require_viewer(request, game_id, nation_id)

    def work() -> tuple[str, dict[str, Any] | None]:
        before_seq, after_seq = _seq_param(before, "before"), _seq_param(after, "after")
        if before_seq is not None and after_seq is not None:
            raise ServiceError(
                gettext("Ask for older or for newer messages, not both."), "malformed"
            )
        page, context = _read_channel(
            container, viewer, game_id, channel_id, before=before_seq, after=after_seq
        )
        html = _render(container, "messages", context)
        if after_seq is None:
            return html, None
        html += _render(container, "cursor", {**context, "oob": True})
        html += _reads(container, context, game_id, nation_id)
        return html, {"talks:newer": True} if page.more else None

    try:
        html, trigger = await run_in_threadpool(work)
    except ServiceError as error:
        return _refused(request, _render(container, "notice", {"error": error.message}), error)
    return _html(html, trigger=trigger)


@router.get("/reads", response_class=HTMLResponse)
async def reads(game_id: str, nation_id: str, request: Request, container: ContainerDep) -> str:
    """How many messages of each channel this seat has read or sent (its unread badges)."""
    require_viewer(request, game_id, nation_id)
    return await run_in_threadpool(_reads, container, {}, game_id, nation_id)


@router.post("/messages", response_class=HTMLResponse, dependencies=CSRF)
async def send_message(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> Response:
    """Answers with the message box: empty when sent, as typed with the reason when not."""
    held = require_held_seat(request, game_id, nation_id)
    viewer = rules.Viewer.of_nation(nation_id)
    fields = _fields(await request.form())
    channel_id, text = _first(fields, "channel_id"), _first(fields, "text")
    action = {"kind": "message", "channel_id": channel_id, "text": text}
    games = container.games
    try:
        # The seat is checked in the action's transaction (one per message, not a read first).
        result = await run_in_threadpool(
            functools.partial(games.act, seat_token=held), game_id, nation_id, action
        )
    except Forbidden:
        raise  # not a refusal to show in the message box: the seat is not this browser's
    except ServiceError as error:
        state = await _state(games, game_id)
        context = _context(state, viewer, game_id)
        channel = channel_of(context["game"], channel_id)
        html = _render(
            container,
            "message_form",
            {
                **context,
                "channel": channel or {"id": channel_id, "name": "this channel"},
                "text": text,
                "ok": False,
                "message": error.message,
                "focus": True,
            },
        )
        return _html(html)
    context = _context(result.state, viewer, game_id)
    channel = channel_of(context["game"], channel_id)
    html = _render(
        container, "message_form", {**context, "channel": channel, "ok": True, "focus": True}
    )
    html += await run_in_threadpool(_reads, container, context, game_id, nation_id, result.state)
    return _html(html, trigger={"talks:newer": True})


@router.post("/channels", response_class=HTMLResponse, dependencies=CSRF)
async def open_channel(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> Response:
    """Open a channel with the chosen nations, and show it."""
    viewer = require_viewer(request, game_id, nation_id)
    fields = _fields(await request.form())
    members = [m for m in fields.get("members", []) if m]
    name = _first(fields, "name")[:80]
    action = {"kind": "open_channel", "members": members, "name": name}
    games = container.games
    try:
        result = await run_in_threadpool(games.act, game_id, nation_id, action)
    except ServiceError as error:
        context = _context(await _state(games, game_id), viewer, game_id)
        values = {"members": members, "name": name}
        html = _render(
            container,
            "new_channel",
            {**context, "values": values, "ok": False, "message": error.message, "expanded": True},
        )
        return _html(html)
    opened = next(
        e.event.data for e in result.events if e.event.kind == rules.EventKind.CHANNEL_OPENED
    )

    def work() -> str:
        _, context = _read_channel(container, viewer, game_id, opened["channel_id"])
        form = _render(
            container,
            "new_channel",
            {
                **context,
                "values": {},
                "ok": True,
                "message": gettext("Opened %(channel)s.", channel=opened["name"]),
            },
        )
        view = _render(container, "channel", {**context, "oob": True})
        return form + view + _reads(container, context, game_id, nation_id)

    return _html(await run_in_threadpool(work))


# --- proposals -----------------------------------------------------------------------------


def _composer(
    context: dict[str, Any],
    values: dict[str, Any],
    *,
    counter: dict[str, Any] | None = None,
    ok: bool | None = None,
    message: str = "",
) -> dict[str, Any]:
    return {**context, "values": values, "counter": counter, "ok": ok, "message": message}


def _counterable(context: dict[str, Any], agreement_id: str) -> dict[str, Any] | None:
    """An open proposal to this seat from another nation, as the panel shows it."""
    return next((a for a in context["talks"]["incoming"] if a["id"] == agreement_id), None)


@router.get("/proposal-fields", response_class=HTMLResponse)
async def proposal_fields(
    game_id: str, nation_id: str, request: Request, container: ContainerDep
) -> str:
    """The fields the chosen kind of agreement needs, for the parties chosen: the composer
    asks again when the kind or the parties change. The nations its terms name are offered
    among the parties only; the terms already filled in (`terms.<key>`) are kept, except a
    nation that is no longer a party (the rules refuse one anyway)."""
    viewer = require_viewer(request, game_id, nation_id)
    query = request.query_params
    fields = {key: query.getlist(key)[:MAX_VALUES] for key in list(dict.fromkeys(query))[:100]}
    kind = _first(fields, "agreement")
    parties = _parties(nation_id, fields)
    values = composer_values(kind, parties, terms_from_form(fields))
    context = _context(await _state(container.games, game_id), viewer, game_id)
    return _render(container, "fields", _composer(context, values))


def _parties(nation_id: str, fields: dict[str, list[str]]) -> list[str]:
    """The proposer and the nations ticked, each once."""
    return list(dict.fromkeys([nation_id, *(p for p in fields.get("parties", []) if p)]))


@router.get("/composer", response_class=HTMLResponse)
async def composer(game_id: str, nation_id: str, request: Request, container: ContainerDep) -> str:
    """A fresh proposal composer (e.g. to leave a counter-proposal)."""
    viewer = require_viewer(request, game_id, nation_id)
    context = _context(await _state(container.games, game_id), viewer, game_id)
    return _render(container, "composer", _composer(context, composer_values()))


@router.post("/proposals", response_class=HTMLResponse, dependencies=CSRF)
async def propose(game_id: str, nation_id: str, request: Request, container: ContainerDep) -> str:
    """Answers with the composer: fresh when the proposal is made, as filled in with the
    rules' reason when it is refused."""
    viewer = require_viewer(request, game_id, nation_id)
    fields = _fields(await request.form())
    kind = _first(fields, "agreement")
    parties = _parties(nation_id, fields)
    terms = terms_from_form(fields)
    action = {"kind": "propose", "agreement": kind, "parties": parties, "terms": terms}
    games = container.games
    try:
        result = await run_in_threadpool(games.act, game_id, nation_id, action)
    except ServiceError as error:
        context = _context(await _state(games, game_id), viewer, game_id)
        values = composer_values(kind, parties, terms)
        return _render(
            container, "composer", _composer(context, values, ok=False, message=error.message)
        )
    context = _context(result.state, viewer, game_id)
    message = gettext(
        "Proposed: %(deal)s. It takes effect when every party has signed.",
        deal=a_deal(AGREEMENT_LABELS.get(kind, kind)),
    )
    return _render(
        container, "composer", _composer(context, composer_values(), ok=True, message=message)
    )


@router.get("/agreements/{agreement_id}/counter", response_class=HTMLResponse)
async def counter_form(
    game_id: str, nation_id: str, agreement_id: str, request: Request, container: ContainerDep
) -> str:
    """The composer, filled in with the proposal's terms, to send other terms back."""
    viewer = require_viewer(request, game_id, nation_id)
    context = _context(await _state(container.games, game_id), viewer, game_id)
    proposal = _counterable(context, agreement_id)
    if proposal is None:
        message = gettext("That proposal is no longer open to you.")
        return _render(
            container, "composer", _composer(context, composer_values(), ok=False, message=message)
        )
    agreement = next(a for a in context["game"]["agreements"] if a["id"] == agreement_id)
    values = composer_values(agreement["kind"], agreement["parties"], agreement["terms"])
    return _render(container, "composer", _composer(context, values, counter=proposal))


@router.post("/agreements/{agreement_id}/counter", response_class=HTMLResponse, dependencies=CSRF)
async def counter(
    game_id: str, nation_id: str, agreement_id: str, request: Request, container: ContainerDep
) -> str:
    viewer = require_viewer(request, game_id, nation_id)
    fields = _fields(await request.form())
    terms = terms_from_form(fields)
    action = {"kind": "counter", "agreement_id": agreement_id, "terms": terms}
    games = container.games
    try:
        result = await run_in_threadpool(games.act, game_id, nation_id, action)
    except ServiceError as error:
        context = _context(await _state(games, game_id), viewer, game_id)
        proposal = _counterable(context, agreement_id)
        if proposal is None:  # no longer open: back to a fresh composer, saying why
            values = composer_values()
        else:
            values = composer_values(proposal["kind"], proposal["parties"], terms)
        return _render(
            container,
            "composer",
            _composer(context, values, counter=proposal, ok=False, message=error.message),
        )
    context = _context(result.state, viewer, game_id)
    message = gettext("Counter-proposal sent. It takes effect when every party has signed.")
    return _render(
        container, "composer", _composer(context, composer_values(), ok=True, message=message)
    )


@router.post("/agreements/{agreement_id}/{answer}", response_class=HTMLResponse, dependencies=CSRF)
async def answer_proposal(
    game_id: str,
    nation_id: str,
    agreement_id: str,
    answer: str,
    request: Request,
    container: ContainerDep,
) -> Response:
    """Sign, reject or withdraw: answers with a status line for the panel."""
    require_viewer(request, game_id, nation_id)
    if answer not in ANSWERS:
        unknown = {"ok": False, "message": gettext("Unknown answer.")}
        return _html(_render(container, "status", unknown), 404)
    kind, done = ANSWERS[answer][0], gettext(ANSWERS[answer][1])
    action = {"kind": kind, "agreement_id": agreement_id}
    try:
        result = await run_in_threadpool(container.games.act, game_id, nation_id, action)
    except ServiceError as error:
        return _html(_render(container, "status", {"ok": False, "message": error.message}))
    if any(e.event.kind == rules.EventKind.AGREEMENT_SIGNED for e in result.events):
        done = gettext("Signed by every party: the agreement is in force.")
    return _html(_render(container, "status", {"ok": True, "message": done}))
