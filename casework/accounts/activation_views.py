"""Kích hoạt tài khoản: the page an activation link opens, where a new person sets their
own password and is logged in. Public (the person has no password yet): the link's token
is the credential, once; the form carries the CSRF token like the login form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from casework.accounts import activation
from casework.accounts.auth import actor_of, origin_of, start_browser_session
from casework.accounts.models import User
from casework.accounts.views import error_pairs
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import FieldError, InvalidInput
from casework.web import csrf

router = APIRouter(include_in_schema=False)
PUBLIC = frozenset({("GET", "/kich-hoat/{token}"), ("POST", "/kich-hoat/{token}")})
TEMPLATE = "accounts/activate.html"


def _page(request: Request, status_code: int = 200, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, TEMPLATE, context, status_code=status_code
    )


def _link_problem(request: Request, exc: InvalidInput) -> Response | None:
    """The page that says why the link does not work, if that is the problem."""
    if not any(error.loc == ("token",) for error in exc.errors()):
        return None
    return _page(request, status_code=410, problem=error_pairs(exc)[0][1])


@router.get("/kich-hoat/{token}", response_class=HTMLResponse)
def activation_page(
    request: Request, token: str, factory: SessionFactoryDep, clock: ClockDep, settings: SettingsDep
) -> Response:
    """The form to set one's password, or why the link does not work."""
    with factory() as session:
        try:
            _, user = activation.find(session, token=token[:200], now=clock.now())
        except InvalidInput as exc:
            shown = _link_problem(request, exc)
            assert shown is not None
            return shown
    return _page(
        request, username=user.username, errors=[], min_length=settings.password_min_length
    )


@router.post("/kich-hoat/{token}", response_class=HTMLResponse)
async def activate(
    request: Request,
    token: str,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    """Set the password, spend the link, log the person in: their own task list next."""
    await csrf.require(request)
    origin, now = origin_of(request), clock.now()

    def work(session: Session) -> User:
        if new_password != confirm_password:
            activation.find(session, token=token[:200], now=now)  # a dead link says so first
            raise InvalidInput([FieldError(("confirm_password",), "password_mismatch")])
        user = activation.activate(
            session, token=token[:200], password=new_password, settings=settings, now=now
        )
        record = Record(AuditAction.account, "user", str(user.id), detail={"change": "activated"})
        audit_service.append(session, actor_of(user), record, origin=origin, now=now)
        return user

    try:
        user = await run_in_threadpool(run_in_transaction, factory, work)
    except InvalidInput as exc:
        shown = _link_problem(request, exc)
        if shown is not None:
            return shown
        with factory() as session:
            _, user = activation.find(session, token=token[:200], now=now)
        return _page(
            request,
            status_code=422,
            username=user.username,
            errors=error_pairs(exc),
            min_length=settings.password_min_length,
        )
    start_browser_session(request, user)
    return RedirectResponse("/", status_code=303)
