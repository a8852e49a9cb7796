"""The scenario library of the control pages: list, preview, upload, edit, duplicate and
download scenario versions.

Every route depends on `require_instructor`; the posts also check the CSRF token. How
stored versions are numbered is described in `app.services.scenarios`.

Routes (all under /control/scenarios):

- ``GET  ""``                               the library, with the upload form
- ``POST /upload``                          store an uploaded YAML file (multipart, field ``file``)
- ``GET  /new``                             the editor with a skeleton scenario
- ``POST /check``                           htmx: the errors of the ``source`` field, or "Valid"
- ``POST /preview``                         htmx: the unsaved ``source``, shown as a preview
- ``POST /simulate``                        htmx: ``source`` played ``runs`` times by bots
- ``POST /save``                            store ``source`` as a new version (or scenario)
- ``GET  /{id}``                            the latest version's preview (a redirect)
- ``GET  /{id}/versions/{n}``               preview of version n
- ``GET  /{id}/versions/{n}/download``      version n's exact text as ``<id>-v<n>.yaml``
- ``GET  /{id}/versions/{n}/edit``          the editor with version n's text
- ``GET  /{id}/versions/{n}/duplicate``     the editor with a copy under a new id

and ``GET /scenarios/reference``, the field reference (public: it documents the format).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import PurePosixPath, PureWindowsPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from app.i18n import LANGUAGES, current_language
from app.scenarios.loader import ScenarioError
from app.scenarios.schema import Scenario
from app.scenarios.texts import translated, untranslated
from app.services.errors import ServiceError
from app.services.scenarios import (
    MAX_SIMULATION_RUNS,
    MAX_SOURCE_BYTES,
    AlreadyStored,
    Checked,
    Draft,
    ScenarioRejected,
    StoredVersion,
    field_reference,
)
from app.web.deps import (
    ContainerDep,
    InstructorDep,
    StoredNumber,
    check_csrf,
    csrf_token,
    require_instructor,
)
from app.web.markdown import render_markdown

router = APIRouter(prefix="/control/scenarios", dependencies=[Depends(require_instructor)])
# The field reference is the format's documentation: nothing in it is secret.
reference_router = APIRouter()

# A form-encoded text may grow to three times its size (%XX); multipart adds little.
MAX_FORM_BODY = 3 * MAX_SOURCE_BYTES + 64 * 1024
MAX_UPLOAD_BODY = MAX_SOURCE_BYTES + 64 * 1024


class BodyTooLarge(ServiceError):
    status_code = 413
    code = "too_large"


class LengthRequired(ServiceError):
    status_code = 411
    code = "length_required"


def _body_limit(limit: int) -> Callable[[Request], Awaitable[None]]:
    """Refuse a request body over ``limit`` bytes before anything reads it (the CSRF
    check reads the form, so this comes first)."""

    async def check(request: Request) -> None:
        length = request.headers.get("content-length", "")
        if not length.isdigit():
            raise LengthRequired("Send the scenario from the form: its length is missing.")
        if int(length) > limit:
            raise BodyTooLarge(
                f"That is too large: a scenario may be at most {MAX_SOURCE_BYTES // 1024} KB."
            )

    return check


DEFAULT_SIMULATION_RUNS = 20

_FORM_POST = [Depends(_body_limit(MAX_FORM_BODY)), Depends(check_csrf)]
_check_upload_size = _body_limit(MAX_UPLOAD_BODY)


async def _upload_refusal(request: Request) -> str | None:
    """Why an upload is refused before its body is read, or None: a file over the limit is
    answered on the library page with the other upload errors (nothing is read or stored,
    so the CSRF check, which would read the body, is not needed for that answer)."""
    try:
        await _check_upload_size(request)
    except BodyTooLarge as too_large:
        return too_large.message
    await check_csrf(request)
    return None


def _number(value: float) -> str:
    return f"{value:g}"


def _page(
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> Response:
    return container.renderer.templates.TemplateResponse(
        request,
        template,
        {
            "csrf_token": csrf_token(request),
            "instructor": instructor,
            "max_kb": MAX_SOURCE_BYTES // 1024,
            "fmt": _number,
            **context,
        },
        status_code=status,
    )


def _scenario_context(scenario: Scenario | None) -> dict[str, Any]:
    """What library/scenario_sections.html needs to show a scenario: in the reader's
    language where the scenario has it, with what each of its translations still lacks."""
    translations = (
        [
            {"label": LANGUAGES.get(code, code), "missing": untranslated(scenario, code)}
            for code in scenario.translations
        ]
        if scenario
        else []
    )
    if scenario is not None:
        scenario = translated(scenario, current_language())
    return {
        "scenario": scenario,
        "translations": translations,
        "briefing": render_markdown(scenario.briefing) if scenario else "",
        "region_names": {r.id: r.name for r in scenario.map.regions} if scenario else {},
        "nation_names": {n.id: n.name for n in scenario.nations} if scenario else {},
    }


def _version_url(version: StoredVersion) -> str:
    return f"/control/scenarios/{version.scenario_id}/versions/{version.version}"


async def _library(
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    *,
    status: int = 200,
    upload_name: str = "",
    upload_errors: list[ScenarioError] | None = None,
    upload_message: str | None = None,
) -> Response:
    entries = await run_in_threadpool(container.scenarios.library)
    return _page(
        request,
        container,
        instructor,
        "library/list.html",
        {
            "entries": entries,
            "upload_name": upload_name,
            "upload_errors": upload_errors or [],
            "upload_message": upload_message,
        },
        status,
    )


async def _editor(
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    draft: Draft,
    *,
    checked: Checked | None = None,
    message: str | None = None,
    status: int = 200,
) -> Response:
    if checked is None:
        checked = await run_in_threadpool(container.scenarios.check_source, draft.source)
    reference = await run_in_threadpool(field_reference, container.settings.scenarios_dir)
    return _page(
        request,
        container,
        instructor,
        "library/editor.html",
        {
            "draft": draft,
            "checked": checked,
            "message": message,
            "reference": reference,
            "max_runs": MAX_SIMULATION_RUNS,
        },
        status,
    )


@reference_router.get("/scenarios/reference", response_class=HTMLResponse)
async def reference_page(request: Request, container: ContainerDep) -> Response:
    """Every field of the scenario format and every kind of objective, trigger, effect
    and actor, generated from the schema."""
    reference = await run_in_threadpool(field_reference, container.settings.scenarios_dir)
    return container.renderer.templates.TemplateResponse(
        request, "library/reference.html", {"reference": reference}
    )


@router.get("", response_class=HTMLResponse)
async def library(request: Request, container: ContainerDep, instructor: InstructorDep) -> Response:
    return await _library(request, container, instructor)


@router.post("/upload", response_class=HTMLResponse)
async def upload(
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    refusal: Annotated[str | None, Depends(_upload_refusal)],
) -> Response:
    """Store an uploaded file as a new version; a bad file is refused with every error,
    on the library page, whatever the error."""
    if refusal is not None:
        return await _library(request, container, instructor, status=413, upload_message=refusal)
    form = await request.form()
    sent = form.get("file")
    if not isinstance(sent, UploadFile) or not sent.filename:
        return await _library(
            request, container, instructor, status=400, upload_message="Choose a YAML file first."
        )
    # The name as the browser gave it, without any folders (Windows browsers may send them).
    name = PureWindowsPath(PurePosixPath(sent.filename).name).name[:100] or "upload.yaml"
    data = await sent.read(MAX_SOURCE_BYTES + 1)
    await sent.close()
    try:
        stored = await run_in_threadpool(container.scenarios.save_upload, data, name)
    except ScenarioRejected as rejected:
        return await _library(
            request,
            container,
            instructor,
            status=400,
            upload_name=name,
            upload_errors=rejected.errors,
            upload_message=f"{name} was not stored: {rejected.message}",
        )
    except AlreadyStored as same:
        return await _library(
            request, container, instructor, status=409, upload_message=same.message
        )
    return RedirectResponse(f"{_version_url(stored)}?saved=1", status_code=303)


@router.get("/new", response_class=HTMLResponse)
async def new_scenario(
    request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    return await _editor(request, container, instructor, container.scenarios.new_draft())


def _source(form: Any) -> str:
    value = form.get("source")
    return value if isinstance(value, str) else ""


@router.post("/check", response_class=HTMLResponse, dependencies=_FORM_POST)
async def check(request: Request, container: ContainerDep, instructor: InstructorDep) -> Response:
    """htmx, as the instructor types: every error by line and field, or "Valid" and what
    saving would do."""
    source = _source(await request.form())
    checked = await run_in_threadpool(container.scenarios.check_source, source)
    return _page(request, container, instructor, "library/check.html", {"checked": checked})


@router.post("/preview", response_class=HTMLResponse, dependencies=_FORM_POST)
async def preview_draft(
    request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """htmx: the briefing, map, nations, operations and events of the unsaved text, or
    its errors."""
    source = _source(await request.form())
    checked = await run_in_threadpool(container.scenarios.check_source, source)
    return _page(
        request,
        container,
        instructor,
        "library/draft_preview.html",
        {"checked": checked, **_scenario_context(checked.scenario)},
    )


def _runs(form: Any) -> int:
    value = form.get("runs")
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isdigit() and len(text) < 6 else DEFAULT_SIMULATION_RUNS


@router.post("/simulate", response_class=HTMLResponse, dependencies=_FORM_POST)
async def simulate_draft(
    request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """htmx: play the unsaved text N times with bots (capped, time-bounded) and show how
    often each event fired and on which turn, each operation completed and each
    objective was met, and the escalation and cohesion ranges."""
    form = await request.form()
    checked, result = await run_in_threadpool(
        container.scenarios.simulate_source, _source(form), _runs(form)
    )
    return _page(
        request,
        container,
        instructor,
        "library/simulation.html",
        {"checked": checked, "result": result, "max_runs": MAX_SIMULATION_RUNS},
    )


@router.post("/save", response_class=HTMLResponse, dependencies=_FORM_POST)
async def save(request: Request, container: ContainerDep, instructor: InstructorDep) -> Response:
    """Store the editor's text as a new version; refused with every error (and the text
    kept in the editor) if it is invalid."""
    source = _source(await request.form())
    try:
        stored = await run_in_threadpool(container.scenarios.save_source, source)
    except ScenarioRejected as rejected:
        checked = Checked(source, None, rejected.errors)
        return await _editor(
            request,
            container,
            instructor,
            Draft(source),
            checked=checked,
            message=f"Not saved: {rejected.message} Correct them and save again.",
            status=400,
        )
    except AlreadyStored as same:
        return await _editor(
            request, container, instructor, Draft(source), message=same.message, status=409
        )
    return RedirectResponse(f"{_version_url(stored)}?saved=1", status_code=303)


@router.get("/from-game/{game_id}", response_class=HTMLResponse)
async def from_game(
    game_id: str, request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """The editor with a follow-on scenario of a game, from where the game stands now."""
    draft = await run_in_threadpool(container.scenarios.follow_on_draft, game_id)
    return await _editor(request, container, instructor, draft)


@router.get("/{scenario_id}")
async def latest(scenario_id: str, container: ContainerDep) -> Response:
    version = await run_in_threadpool(container.scenarios.latest_version, scenario_id)
    return RedirectResponse(_version_url(version), status_code=303)


@router.get("/{scenario_id}/versions/{version}", response_class=HTMLResponse)
async def preview(
    scenario_id: str,
    version: StoredNumber,
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
    saved: str = "",
) -> Response:
    """Everything in a version, secret objectives included: instructors see it all."""
    detail = await run_in_threadpool(container.scenarios.version_detail, scenario_id, version)
    return _page(
        request,
        container,
        instructor,
        "library/preview.html",
        {"detail": detail, "saved": bool(saved), **_scenario_context(detail.scenario)},
    )


@router.get("/{scenario_id}/versions/{version}/download")
async def download(scenario_id: str, version: StoredNumber, container: ContainerDep) -> Response:
    stored, source = await run_in_threadpool(
        container.scenarios.version_source, scenario_id, version
    )
    return Response(
        source.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{stored.filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/{scenario_id}/versions/{version}/edit", response_class=HTMLResponse)
async def edit(
    scenario_id: str,
    version: StoredNumber,
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
) -> Response:
    draft = await run_in_threadpool(container.scenarios.edit_draft, scenario_id, version)
    return await _editor(request, container, instructor, draft)


@router.get("/{scenario_id}/versions/{version}/duplicate", response_class=HTMLResponse)
async def duplicate(
    scenario_id: str,
    version: StoredNumber,
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
) -> Response:
    draft = await run_in_threadpool(container.scenarios.duplicate_draft, scenario_id, version)
    return await _editor(request, container, instructor, draft)
