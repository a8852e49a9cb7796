"""Instructor sign-in, sign-out and the first-run page that creates the first account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from app.i18n import _
from app.services.errors import ServiceError
from app.web.deps import (
    ContainerDep,
    check_csrf,
    client_address,
    csrf_token,
    current_instructor,
    safe_next,
    sign_in,
    sign_out,
)

router = APIRouter()


def _page(
    request: Request,
    container: ContainerDep,
    template: str,
    status: int = 200,
    **context: object,
) -> Response:
    return container.renderer.templates.TemplateResponse(
        request,
        template,
        {"csrf_token": csrf_token(request), "instructor": current_instructor(request), **context},
        status_code=status,
    )


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, container: ContainerDep, next: str = "") -> Response:
    if not await run_in_threadpool(container.accounts.has_accounts):
        return RedirectResponse("/setup", status_code=303)
    if current_instructor(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _page(request, container, "accounts/login.html", next=safe_next(next), email="")


@router.post("/login", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def login(
    request: Request,
    container: ContainerDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        instructor = await run_in_threadpool(
            lambda: container.accounts.authenticate(email, password, client=client_address(request))
        )
        error = None if instructor else _("Wrong email address or password.")
    except ServiceError as refused:
        instructor, error = None, refused.message
    if instructor is None:
        return _page(
            request,
            container,
            "accounts/login.html",
            status=400,
            next=safe_next(next),
            email=email,
            error=error,
        )
    await sign_in(request, instructor)
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
async def logout(request: Request) -> Response:
    await sign_out(request)
    return RedirectResponse("/", status_code=303)


@router.get("/setup", response_class=HTMLResponse)
async def setup_page(request: Request, container: ContainerDep) -> Response:
    if await run_in_threadpool(container.accounts.has_accounts):
        return RedirectResponse("/login", status_code=303)
    return _page(request, container, "accounts/setup.html", email="", display_name="")


@router.post("/setup", response_class=HTMLResponse, dependencies=[Depends(check_csrf)])
async def setup(
    request: Request,
    container: ContainerDep,
    email: Annotated[str, Form(max_length=320)] = "",
    display_name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=4096)] = "",
    confirm: Annotated[str, Form(max_length=4096)] = "",
) -> Response:
    try:
        if password != confirm:
            raise ServiceError(_("The two passwords differ; type the same one twice."), "confirm")
        instructor = await run_in_threadpool(
            lambda: container.accounts.create(email, display_name, password, first_only=True)
        )
    except ServiceError as refused:
        if refused.code == "exists":
            return RedirectResponse("/login", status_code=303)
        return _page(
            request,
            container,
            "accounts/setup.html",
            status=400,
            email=email,
            display_name=display_name,
            error=refused.message,
        )
    await sign_in(request, instructor)
    return RedirectResponse("/control", status_code=303)
