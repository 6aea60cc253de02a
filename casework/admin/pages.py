"""Quản trị: the commune's people (list, create with a role and agency, disable, reset a
password) and its agencies (contact e-mail and phone), for administrators only.

The same services as ``casework user …`` (``casework.admin.service``), each change written
to the audit log in its own transaction, as the command line does, with the administrator
as the actor. Administrators never see case content.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session

from casework import phones
from casework.accounts.auth import origin_of, write_audit
from casework.accounts.models import COMMUNE_ROLES, Role
from casework.actors import Actor
from casework.admin import service as admin_service
from casework.admin.schemas import AgencyContact, PasswordReset, UserCreate
from casework.agencies import service as agency_service
from casework.agencies.models import Agency, AgencyKind
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Administered, Allowed, agency_for, user_for
from casework.authz.policy import Action
from casework.communes.models import Commune
from casework.db import run_in_transaction
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.pagination import PageParams
from casework.schemas_common import PageNumber
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems, Submission, validate

router = APIRouter(include_in_schema=False)
AdminDep = Allowed(Action.admin)
UserDep = Annotated[Administered, user_for(Action.admin)]
AgencyDep = Annotated[Administered, agency_for(Action.admin)]
M = TypeVar("M", bound=BaseModel)
PAGE_SIZE = 50
# Roles and agency kinds as read back from the database (text), to their choices' words.
CHOICES = {
    "role_of": {role.value: role for role in Role},
    "kind_of": {kind.value: kind for kind in AgencyKind},
}
DONE = {
    "created": N_(
        "Đã tạo tài khoản và gửi đường dẫn kích hoạt tới thư điện tử, số điện thoại của người "
        "dùng. Người dùng tự đặt mật khẩu; không ai khác biết mật khẩu đó."
    ),
    "disabled": N_("Đã khóa tài khoản: không đăng nhập được nữa, các phiên và token đã kết thúc."),
    "password": N_("Đã đặt mật khẩu mới. Các phiên đăng nhập của người này đã kết thúc."),
    "contact": N_("Đã lưu thông tin liên hệ của cơ quan."),
    "activation": N_("Đã gửi đường dẫn kích hoạt mới; đường dẫn cũ không dùng được nữa."),
    "reset_link": N_("Đã gửi đường dẫn đặt lại mật khẩu; người dùng tự đặt mật khẩu mới."),
    "school": N_(
        "Đã thêm trường học. Nhập thư điện tử, số điện thoại của trường để nhận nhiệm vụ."
    ),
    "retired": N_(
        "Cơ quan đã ngừng hoạt động: không nhận nhiệm vụ mới; các nhiệm vụ cũ vẫn được giữ."
    ),
    "reactivated": N_("Cơ quan hoạt động trở lại và nhận nhiệm vụ mới."),
    "person_contact": N_("Đã lưu thư điện tử và số điện thoại của người dùng."),
}


def audited_change(
    request: Request,
    factory: SessionFactoryDep,
    clock: ClockDep,
    actor: Actor,
    work: Callable[[Session], Record],
) -> None:
    """Make the change and record it in the audit log, in one transaction."""

    def unit(session: Session) -> None:
        record = work(session)
        audit_service.append(session, actor, record, origin=origin_of(request), now=clock.now())

    run_in_transaction(factory, unit)


# The page a refused form or action is shown again on: (session, errors, status) -> page.
Again = Callable[[Session, FormErrors, int], Response]


def submitted(
    request: Request,
    factory: SessionFactoryDep,
    clock: ClockDep,
    actor: Actor,
    sent: Submission[M],
    work: Callable[[Session, M], Record],
    *,
    fallback: str,
    done: str,
    again: Again,
) -> Response:
    """If the form passed, make the change ``work`` and its audit entry in one transaction
    (``audited_change``) and go to ``done``; else the page ``again`` with what was wrong
    (the form's own checks, or the service's refusal)."""
    errors, status_code = sent.errors, 422
    if not errors:
        data = sent.data
        assert data is not None
        try:
            audited_change(request, factory, clock, actor, lambda session: work(session, data))
        except CaseworkError as exc:
            errors = FormErrors.from_exception(exc, lang_of(request), fallback=fallback)
            status_code = exc.status_code
    if not errors:
        return redirect(done)
    with factory() as session:
        return again(session, errors, status_code)


def changed(
    request: Request,
    factory: SessionFactoryDep,
    clock: ClockDep,
    actor: Actor,
    work: Callable[[Session], Record],
    *,
    done: Callable[[], str],
    again: Again,
) -> Response:
    """An audited change from a button (no form to check): ``done`` after it, or the page
    ``again`` saying why the service refused."""
    try:
        audited_change(request, factory, clock, actor, work)
    except CaseworkError as exc:
        errors = FormErrors.from_exception(exc, lang_of(request))
        with factory() as session:
            return again(session, errors, exc.status_code)
    return redirect(done())


@router.get("/quan-tri")
def overview(request: Request, actor: AdminDep, session: ReadSessionDep) -> Response:
    """Where an administrator starts: people, agencies, villages (and, for a province
    administrator, which commune they are working in)."""
    commune = session.get(Commune, actor.commune_id)
    return render(request, "admin/overview.html", {"commune": commune}, actor=actor)


@router.get("/quan-tri/nguoi-dung")
def users(
    request: Request,
    actor: AdminDep,
    session: ReadSessionDep,
    page: Annotated[PageNumber, Query()] = 1,
    done: str | None = None,
) -> Response:
    """The commune's accounts."""
    listing = admin_service.people(
        session, actor, params=PageParams(page=page, page_size=PAGE_SIZE)
    )
    write_audit(request, actor, Record(AuditAction.view, "user_list", None), after=session)
    context = {"listing": listing, "notice": DONE.get(done or ""), **CHOICES}
    return render(request, "admin/users.html", context, actor=actor)


def _new_user_page(
    request: Request,
    actor: Actor,
    session: Session,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "roles": COMMUNE_ROLES,
        "agencies": agency_service.agencies_of(session, commune_id=actor.commune_id),
        "typed": typed or {},
        "errors": errors or FormErrors(),
        "activation_hours": request.app.state.settings.activation_hours,
    }
    return render(request, "admin/new_user.html", context, actor=actor, status_code=status_code)


@router.get("/quan-tri/nguoi-dung/moi")
def new_user(request: Request, actor: AdminDep, session: ReadSessionDep) -> Response:
    """The form to create an account."""
    return _new_user_page(request, actor, session)


@router.post("/quan-tri/nguoi-dung/moi")
def create_user(
    request: Request,
    actor: AdminDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Create the account (the CLI's ``user create``), or show the form again."""
    sent = validate(
        UserCreate, form, tz=settings.tz, lang=lang_of(request), choices={"role", "agency_id"}
    )

    def work(session: Session, data: UserCreate) -> Record:
        now = clock.now()
        user = admin_service.create_user(session, actor, data=data, settings=settings, now=now)
        detail = {"change": "user_created", "role": data.role.value}
        return Record(AuditAction.account, "user", str(user.id), detail=detail)

    return submitted(
        request, factory, clock, actor, sent, work,
        fallback="username",
        done="/quan-tri/nguoi-dung?done=created",
        again=lambda session, errors, status: _new_user_page(
            request, actor, session, typed=sent.typed, errors=errors, status_code=status
        ),
    )  # fmt: skip


def user_page_for(
    request: Request,
    access: Administered,
    session: Session,
    *,
    errors: FormErrors | None = None,
    notice: str | None = None,
    typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """One account's page (its forms post to ``admin.pages`` and ``admin.people_pages``)."""
    found = admin_service.person(session, user_id=access.id)
    record = Record(AuditAction.view, "user", str(access.id))
    write_audit(request, access.actor, record, after=session)
    context = {
        "person": found,
        "errors": errors or FormErrors(),
        "notice": notice,
        "is_me": access.id == access.actor.user_id,
        "typed": typed
        or {"email": found.user.email or "", "phone": phones.national(found.user.phone)},
        **CHOICES,
    }
    return render(request, "admin/user.html", context, actor=access.actor, status_code=status_code)


def user_page_again(
    request: Request, access: Administered, typed: dict[str, str] | None = None
) -> Again:
    return lambda session, errors, status: user_page_for(
        request, access, session, errors=errors, typed=typed, status_code=status
    )


@router.get("/quan-tri/nguoi-dung/{user_id}")
def user_page(
    request: Request, access: UserDep, session: ReadSessionDep, done: str | None = None
) -> Response:
    """One account: who, role and agency, state; lock it or give it a new password."""
    return user_page_for(request, access, session, notice=DONE.get(done or ""))


@router.post("/quan-tri/nguoi-dung/{user_id}/khoa")
def disable_user(
    request: Request, access: UserDep, factory: SessionFactoryDep, clock: ClockDep
) -> Response:
    """Disable the account (the CLI's ``user disable``)."""

    def work(session: Session) -> Record:
        now = clock.now()
        revoked = admin_service.disable(session, access.actor, user_id=access.id, now=now)
        detail: dict[str, Any] = {"change": "user_disabled", "tokens_revoked": revoked}
        return Record(AuditAction.account, "user", str(access.id), detail=detail)

    done = f"/quan-tri/nguoi-dung/{access.id}?done=disabled"
    return changed(request, factory, clock, access.actor, work, done=lambda: done,
                   again=user_page_again(request, access))  # fmt: skip


@router.post("/quan-tri/nguoi-dung/{user_id}/kich-hoat")
def send_password_link(
    request: Request,
    access: UserDep,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Send a one-time link: to activate the account, or to reset a forgotten password."""
    sent: list[str] = []

    def work(session: Session) -> Record:
        kind = admin_service.send_password_link(
            session, access.actor, user_id=access.id, settings=settings, now=clock.now()
        )
        sent.append(kind)
        detail = {"change": "password_link_sent", "kind": kind}
        return Record(AuditAction.account, "user", str(access.id), detail=detail)

    def done() -> str:
        notice = "activation" if sent == ["account.activate"] else "reset_link"
        return f"/quan-tri/nguoi-dung/{access.id}?done={notice}"

    return changed(request, factory, clock, access.actor, work, done=done,
                   again=user_page_again(request, access))  # fmt: skip


@router.post("/quan-tri/nguoi-dung/{user_id}/mat-khau")
def reset_password(
    request: Request,
    access: UserDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Set a new password (the CLI's ``user reset-password``); their sessions end."""
    sent = validate(PasswordReset, form, tz=settings.tz, lang=lang_of(request))

    def work(session: Session, data: PasswordReset) -> Record:
        password, now = data.new_password, clock.now()
        admin_service.reset_password(
            session, user_id=access.id, password=password, settings=settings, now=now
        )
        return Record(
            AuditAction.account, "user", str(access.id), detail={"change": "password_reset"}
        )

    return submitted(
request, factory, clock, access.actor, sent, work, fallback="new_password",
                     done=f"/quan-tri/nguoi-dung/{access.id}?done=password",
                     again=user_page_again(request, access))  # fmt: skip


def agencies_page(
    request: Request,
    actor: Actor,
    session: Session,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    """The agencies' list with its school form (``agencies.admin_pages`` posts to it)."""
    found = agency_service.agencies_of(session, commune_id=actor.commune_id)
    context = {"agencies": found, "notice": notice, "typed": typed or {},
               "errors": errors or FormErrors(), **CHOICES}  # fmt: skip
    return render(request, "admin/agencies.html", context, actor=actor, status_code=status_code)


@router.get("/quan-tri/co-quan")
def agencies(
    request: Request, actor: AdminDep, session: ReadSessionDep, done: str | None = None
) -> Response:
    """The commune's agencies with their contacts; add a school, retire an agency."""
    return agencies_page(request, actor, session, notice=DONE.get(done or ""))


def _agency_page(
    request: Request,
    access: Administered,
    session: Session,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    agency = session.get_one(Agency, access.id)
    shown = (
        typed
        if typed is not None
        else {"email": agency.email or "", "phone": phones.national(agency.phone)}
    )
    context = {"agency": agency, "typed": shown, "errors": errors or FormErrors(), **CHOICES}
    return render(
        request, "admin/agency.html", context, actor=access.actor, status_code=status_code
    )


@router.get("/quan-tri/co-quan/{agency_id}")
def agency_page(request: Request, access: AgencyDep, session: ReadSessionDep) -> Response:
    """The form to change an agency's contact e-mail and phone."""
    return _agency_page(request, access, session)


@router.post("/quan-tri/co-quan/{agency_id}")
def save_agency(
    request: Request,
    access: AgencyDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Save the agency's contacts, where its tasks and reminders go."""
    sent = validate(AgencyContact, form, tz=settings.tz, lang=lang_of(request))

    def work(session: Session, data: AgencyContact) -> Record:
        admin_service.set_contact(session, agency_id=access.id, contact=data)
        return Record(AuditAction.update, "agency", str(access.id), detail={"change": "contact"})

    return submitted(
        request, factory, clock, access.actor, sent, work,
        fallback="email", done="/quan-tri/co-quan?done=contact",
        again=lambda session, errors, status: _agency_page(
            request, access, session, typed=sent.typed, errors=errors, status_code=status
        ),
    )  # fmt: skip
