"""The white cell's accounts: the instructors, adding, removing, changing one's password and
resetting a colleague's."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from app.i18n import _, ngettext
from app.services.accounts import Instructor
from app.services.errors import Invalid, LoginRequired, NotFound, ServiceError
from app.web.container import Container
from app.web.deps import (
    ContainerDep,
    InstructorDep,
    StoredNumber,
    check_csrf,
    client_address,
    csrf_token,
    require_instructor,
    session_token,
)

# Every route depends on `require_instructor`; the posts also check the CSRF token.
router = APIRouter(prefix="/control", dependencies=[Depends(require_instructor)])


@router.get("/instructors", response_class=HTMLResponse)
async def instructors_page(
    request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    return await _instructors(request, container, instructor)


async def _instructors(
    request: Request,
    container: Container,
    instructor: Instructor,
    *,
    status: int = 200,
    message: str | None = None,
    ok: bool = True,
    form: Mapping[str, str] | None = None,
) -> Response:
    everyone = await run_in_threadpool(container.accounts.instructors)
    return container.renderer.templates.TemplateResponse(
        request,
        "control/instructors.html",
        {
            "csrf_token": csrf_token(request),
            "instructor": instructor,
            "instructors": everyone,
            "message": message,
            "ok": ok,
            "form": form or {},
        },
        status_code=status,
    )


@router.post("/instructors", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def add_instructor(
    request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """A colleague's account, with a first password the colleague is given in person."""
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    try:
        created = await run_in_threadpool(
            lambda: container.accounts.create(
                form.get("email", ""), form.get("display_name", ""), form.get("password", "")
            )
        )
    except ServiceError as refused:
        kept = {k: v for k, v in form.items() if k != "password"}
        return await _instructors(
            request,
            container,
            instructor,
            status=400,
            message=refused.message,
            ok=False,
            form=kept,
        )
    message = _(
        "Account created for %(name)s (%(email)s).",
        name=created.display_name,
        email=created.email,
    )
    return await _instructors(request, container, instructor, message=message)


async def _refused(
    request: Request, container: ContainerDep, instructor: Instructor, refused: ServiceError
) -> Response:
    """The instructors page again, with why the change was refused."""
    status = 429 if refused.code == "throttled" else 404 if isinstance(refused, NotFound) else 400
    return await _instructors(
        request, container, instructor, status=status, message=refused.message, ok=False
    )


@router.post(
    "/instructors/password", response_class=HTMLResponse, dependencies=[Depends(check_csrf)]
)
async def change_password(
    request: Request, container: ContainerDep, instructor: InstructorDep
) -> Response:
    """A new password for the instructor signed in here; their other sessions end."""
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    current, new = form.get("current_password", ""), form.get("new_password", "")
    try:
        if new != form.get("confirm_password", ""):
            raise Invalid(_("The two new passwords differ; type the same one twice."), "confirm")
        ended = await run_in_threadpool(
            lambda: container.accounts.change_password(
                instructor.id,
                current,
                new,
                client=client_address(request),
                keep_session=session_token(request) or "",
            )
        )
    except LoginRequired:
        raise
    except ServiceError as refused:
        return await _refused(request, container, instructor, refused)
    message = _("Your password is changed.")
    if ended:
        message += " " + ngettext(
            "%(num)d other session signed out.", "%(num)d other sessions signed out.", ended
        )
    return await _instructors(request, container, instructor, message=message)


@router.post(
    "/instructors/{user_id}/password",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def reset_password(
    user_id: StoredNumber,
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
) -> Response:
    """A new password for a colleague who has forgotten theirs; their sessions end."""
    raw = await request.form()
    form = {k: v for k, v in raw.items() if isinstance(v, str)}
    new = form.get("new_password", "")
    try:
        if new != form.get("confirm_password", ""):
            raise Invalid(_("The two new passwords differ; type the same one twice."), "confirm")
        reset = await run_in_threadpool(
            container.accounts.reset_password, instructor.id, user_id, new
        )
    except LoginRequired:
        raise
    except ServiceError as refused:
        return await _refused(request, container, instructor, refused)
    message = _(
        "%(name)s's password is reset and they are signed out everywhere; "
        "give them the new one in person.",
        name=reset.display_name,
    )
    return await _instructors(request, container, instructor, message=message)


@router.post(
    "/instructors/{user_id}/remove",
    response_class=HTMLResponse,
    dependencies=[Depends(check_csrf)],
)
async def remove_instructor(
    user_id: StoredNumber,
    request: Request,
    container: ContainerDep,
    instructor: InstructorDep,
) -> Response:
    """Remove a colleague's account once its email address is typed; its open sessions
    end at once."""
    raw = await request.form()
    typed = raw.get("confirm_email", "")
    try:
        removed = await run_in_threadpool(
            container.accounts.remove,
            instructor.id,
            user_id,
            typed if isinstance(typed, str) else "",
        )
    except LoginRequired:
        raise
    except ServiceError as refused:
        return await _refused(request, container, instructor, refused)
    message = _(
        "The account of %(name)s (%(email)s) is removed.",
        name=removed.display_name,
        email=removed.email,
    )
    return await _instructors(request, container, instructor, message=message)
