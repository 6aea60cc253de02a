"""Web pages: log in, log out, the account page, change password, log out everywhere.

Every form carries the CSRF token (the login form too: no one can log a browser into
someone else's account). Failed logins, lockouts, logins, logouts and password changes
are written to the audit log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from casework.accounts import resume
from casework.accounts import service as account_service
from casework.accounts.auth import (
    actor_of,
    end_browser_session,
    origin_of,
    start_browser_session,
)
from casework.accounts.models import NotifyVia, Role, User
from casework.accounts.schemas import NotificationPreferences
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.base import label
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import FieldError, InvalidInput
from casework.messages import render
from casework.web import csrf
from casework.web.forms import FormErrors
from casework.web.i18n import N_, gettext_for, lang_of
from casework.web.pages import render as render_page
from casework.web.pages import safe_next
from casework.web.submit import FormItems, Submission, validate

router = APIRouter(include_in_schema=False)
# Login is public; everything else here needs a logged-in person (declared per route,
# since the login pages share the router).
PUBLIC = frozenset({("GET", "/dang-nhap"), ("POST", "/dang-nhap")})

SelfActor = Allowed(Action.account_self)


def _page(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status_code
    )


def error_pairs(exc: InvalidInput) -> list[tuple[str, str]]:
    """(field, message) per error, for the account pages' forms."""
    return [
        (
            str(error.loc[-1]) if error.loc else "",
            render(error.code, "vi", label="", params=error.params),
        )
        for error in exc.errors()
    ]


@router.get("/dang-nhap", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:  # noqa: A002
    """The login form."""
    return _page(request, "accounts/login.html", next=safe_next(next), username="", errors=[])


@router.post("/dang-nhap", response_class=HTMLResponse)
async def login(
    request: Request,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",  # noqa: A002
) -> Response:
    """Check the password (argon2id), with throttling; start a fresh session on success."""
    await csrf.require(request)
    origin, now = origin_of(request), clock.now()
    sent = [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
    carried = resume.carried_by_login_form(request, sent)

    def work(session: Session) -> account_service.LoginResult:
        result = account_service.authenticate(
            session,
            settings=settings,
            username=username,
            password=password,
            ip=origin.ip,
            now=now,
        )
        if result.user is not None:
            record = Record(AuditAction.login, "user", str(result.user.id))
            actor: Actor | None = actor_of(result.user)
        else:
            record = Record(
                AuditAction.failed_login,
                "user",
                None,
                outcome=result.outcome.value,
                username=username.strip().lower()[:64],
            )
            actor = None
        audit_service.append(session, actor, record, origin=origin, now=now)
        return result

    result = await run_in_threadpool(run_in_transaction, factory, work)
    if result.user is None:
        locked = result.outcome == account_service.LoginOutcome.locked
        code = "login_locked" if locked else "login_failed"
        message = render(code, "vi", label="", params={"minutes": settings.login_lockout_minutes})
        return _page(
            request,
            "accounts/login.html",
            status_code=429 if locked else 422,
            next=safe_next(next),
            username=username,
            errors=[("username", message)],
            carried=carried,
        )
    mine = carried is not None and resume.belongs_to(request, result.user.id)
    start_browser_session(request, result.user)
    if mine:
        assert carried is not None
        return render_page(
            request, "accounts/resume.html", {"carried": carried}, actor=actor_of(result.user)
        )
    return RedirectResponse(safe_next(next), status_code=303)


@router.post("/dang-xuat")
def logout(
    request: Request,
    actor: SelfActor,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """End this browser's session, on the server too: a copy of its cookie is worth nothing."""
    record = Record(AuditAction.logout, "user", str(actor.user_id))
    origin, now, sid = origin_of(request), clock.now(), request.session.get("sid")
    idle = timedelta(minutes=settings.session_idle_minutes)

    def work(session: Session) -> None:
        if isinstance(sid, str):  # not for an API token: it has no session to end
            account_service.end_browser_session(
                session, user_id=actor.user_id, sid=sid, now=now, idle=idle
            )
        audit_service.append(session, actor, record, origin=origin, now=now)

    run_in_transaction(factory, work)
    end_browser_session(request)
    return RedirectResponse("/dang-nhap", status_code=303)


NOTICES = {
    "mat-khau": N_("Đã đổi mật khẩu. Các thiết bị khác đã bị đăng xuất."),
    "thong-bao": N_("Đã lưu cách nhận thông báo."),
}


def _account_page(
    request: Request,
    user: User,
    *,
    notice: str | None = None,
    submission: Submission[NotificationPreferences] | None = None,
    status_code: int = 200,
) -> Response:
    errors = submission.errors if submission else FormErrors()
    typed = submission.typed if submission else {}
    return _page(
        request,
        "accounts/account.html",
        status_code=status_code,
        user=user,
        role_label=label(Role(user.role), lang_of(request)),
        notice=gettext_for(request, NOTICES[notice]) if notice in NOTICES else None,
        channel_choices=list(NotifyVia),
        chosen={
            "notify_via": typed.get("notify_via", user.notify_via),
            "language": typed.get("language", user.language),
        },
        errors=errors,
        field_errors=errors.by_field,
    )


@router.get("/tai-khoan", response_class=HTMLResponse)
def account(
    request: Request, actor: SelfActor, factory: SessionFactoryDep, notice: str | None = None
) -> Response:
    """Who you are logged in as; how you hear about your work; password and sessions."""
    with factory() as session:
        user = session.get_one(User, actor.user_id)
    return _account_page(request, user, notice=notice)


@router.post("/tai-khoan/thong-bao", response_class=HTMLResponse)
def notification_preferences(
    request: Request,
    actor: SelfActor,
    items: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Choose e-mail, SMS or both, and the language of one's messages."""
    submission = validate(
        NotificationPreferences,
        items,
        tz=settings.tz,
        lang=lang_of(request),
        choices=("notify_via", "language"),
    )
    if submission.data is None:
        with factory() as session:
            user = session.get_one(User, actor.user_id)
        return _account_page(request, user, submission=submission, status_code=422)
    chosen = submission.data
    origin, now = origin_of(request), clock.now()

    def work(session: Session) -> None:
        user = session.get_one(User, actor.user_id)
        account_service.set_preferences(
            session, user=user, notify_via=chosen.notify_via, language=chosen.language
        )
        audit_service.append(
            session,
            actor,
            Record(
                AuditAction.account,
                "user",
                str(user.id),
                detail={
                    "change": "notifications",
                    "notify_via": chosen.notify_via.value,
                    "language": chosen.language,
                },
            ),
            origin=origin,
            now=now,
        )

    run_in_transaction(factory, work)
    return RedirectResponse("/tai-khoan?notice=thong-bao", status_code=303)


@router.post("/tai-khoan/dang-xuat-moi-noi")
def logout_everywhere(
    request: Request, actor: SelfActor, factory: SessionFactoryDep, clock: ClockDep
) -> Response:
    """End every session of this account, on every device, this one included."""
    origin, now = origin_of(request), clock.now()

    def work(session: Session) -> None:
        user = session.get_one(User, actor.user_id)
        account_service.end_sessions(session, user=user)
        audit_service.append(
            session,
            actor,
            Record(
                AuditAction.account, "user", str(user.id), detail={"change": "logout_everywhere"}
            ),
            origin=origin,
            now=now,
        )

    run_in_transaction(factory, work)
    end_browser_session(request)
    return RedirectResponse("/dang-nhap", status_code=303)


@router.get("/tai-khoan/mat-khau", response_class=HTMLResponse)
def password_page(request: Request, actor: SelfActor, settings: SettingsDep) -> Response:
    """The change-password form."""
    return _page(
        request,
        "accounts/password.html",
        errors=[],
        user=actor,
        min_length=settings.password_min_length,
    )


@router.post("/tai-khoan/mat-khau", response_class=HTMLResponse)
def change_password(
    request: Request,
    actor: SelfActor,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    current_password: Annotated[str, Form()] = "",
    new_password: Annotated[str, Form()] = "",
    confirm_password: Annotated[str, Form()] = "",
) -> Response:
    """Change one's own password; every other session of the account ends."""
    origin, now = origin_of(request), clock.now()

    def work(session: Session) -> User:
        user = session.get_one(User, actor.user_id)
        if new_password != confirm_password:
            raise InvalidInput([FieldError(("confirm_password",), "password_mismatch")])
        account_service.change_password(
            session,
            settings=settings,
            user=user,
            current=current_password,
            new=new_password,
            now=now,
        )
        audit_service.append(
            session,
            actor,
            Record(AuditAction.account, "user", str(user.id), detail={"change": "password"}),
            origin=origin,
            now=now,
        )
        return user

    try:
        user = run_in_transaction(factory, work)
    except InvalidInput as exc:
        return _page(
            request,
            "accounts/password.html",
            status_code=422,
            errors=error_pairs(exc),
            user=actor,
            min_length=settings.password_min_length,
        )
    start_browser_session(request, user)  # this browser stays logged in, at the new epoch
    return RedirectResponse("/tai-khoan?notice=mat-khau", status_code=303)
