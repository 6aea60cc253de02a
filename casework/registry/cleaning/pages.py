"""Đề án 06 as pages: the caseworker's loops, and each step's holder's phone-sized form.

The caseworker and supervisor start loops from the data-quality list, see the commune's
open loops (``/dang-ky/lam-sach``) and apply what the police verified to the record. The
village's collaborator or head and the commune police see their own steps
(``/viec-lam-sach``) with only what the step needs (``casework.registry.cleaning.policy``).
Each page calls the same service functions as ``/api/v1/cleaning``, through the same
audited entry points (``casework.registry.cleaning.views``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session

from casework.actors import Actor
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.children.models import Sex
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.registry.cleaning import reading
from casework.registry.cleaning import service as cleaning_service
from casework.registry.cleaning.models import CleaningState
from casework.registry.cleaning.policy import LoopView, held_by, managed_by
from casework.registry.cleaning.schemas import (
    ApplyUpdate,
    CleaningStart,
    Verification,
    VisitFindings,
)
from casework.registry.cleaning.views import (
    LoopAccess,
    ManageDep,
    TaskDep,
    act,
    read_one,
    start_loops,
    viewed,
)
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import DateRule, FormItems, validate

router = APIRouter(include_in_schema=False)
OFFICE = "/dang-ky/lam-sach"
STEPS = "/viec-lam-sach"
NOTICES = {
    "started": N_("Đã bắt đầu làm sạch dữ liệu. Thôn sẽ xác minh tại hộ gia đình."),
    "none": N_("Không có hồ sơ nào mới cần làm sạch: các trẻ này đã có việc làm sạch đang mở."),
    "updated": N_("Đã cập nhật hồ sơ trẻ theo thông tin công an xã xác thực."),
    "visit": N_("Đã gửi kết quả xác minh tại hộ gia đình. Công an xã sẽ xác thực tiếp."),
    "verify": N_("Đã gửi kết quả xác thực. Cán bộ xã sẽ cập nhật hồ sơ."),
}


def _notice(done: str | None) -> str | None:
    return NOTICES.get(done or "")


def _refused(exc: CaseworkError, request: Request) -> FormErrors:
    """A refusal as the form's errors: 404 stays a 404 (nothing to show)."""
    if exc.status_code == 404:
        raise exc
    return FormErrors.from_exception(exc, lang_of(request), fallback="cap-nhat")


# The caseworker's pages ----------------------------------------------------------------


def _office_list(
    request: Request,
    actor: Actor,
    session: Session,
    *,
    notice: str | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    found = reading.briefs(
        session, cleaning_service.held(session, condition=managed_by(actor)), lang=lang_of(request)
    )
    viewed(request, actor, session, found)
    context = {"loops": found, "notice": notice, "errors": errors or FormErrors()}
    return render(
        request, "registry/cleaning_list.html", context, actor=actor, status_code=status_code
    )


@router.get(OFFICE)
def open_loops_page(
    request: Request,
    actor: Allowed(Action.cleaning_manage),
    session: ReadSessionDep,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The commune's open loops, oldest first: the step each waits on and its due date."""
    return _office_list(request, actor, session, notice=_notice(done))


@router.post(OFFICE)
def start_page(
    request: Request,
    actor: Allowed(Action.cleaning_manage),
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Bắt đầu làm sạch: one child, or every child of a village with problems."""
    sent = validate(CleaningStart, form, tz=settings.tz, lang=lang_of(request))
    errors = sent.errors
    if sent.data is not None:
        try:
            started = start_loops(request, actor, sent.data, factory, clock.now(), settings.tz)
            if sent.data.child_id is not None and len(started) == 1:
                return redirect(f"{OFFICE}/{started[0].id}")
            return redirect(f"{OFFICE}?done={'started' if started else 'none'}")
        except CaseworkError as refused:
            errors = _refused(refused, request)
    with factory() as session:
        return _office_list(request, actor, session, errors=errors, status_code=422)


def _loop_page(
    request: Request,
    access: LoopAccess,
    factory: SessionFactoryDep,
    template: str,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with factory() as session:
        found = read_one(request, access, session)
    context = {
        "found": found,
        "view": access.view.value,
        "states": CleaningState,
        "sexes": list(Sex),
        "typed": typed or {},
        "errors": errors or FormErrors(),
        "notice": notice,
    }
    return render(request, template, context, actor=access.actor, status_code=status_code)


@router.get(OFFICE + "/{loop_id}")
def loop_page(
    request: Request,
    access: ManageDep,
    factory: SessionFactoryDep,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """A loop in full: what the visit found, what the police verified, the record now."""
    return _loop_page(request, access, factory, "registry/cleaning_loop.html", notice=_notice(done))


@router.post(OFFICE + "/{loop_id}")
def update_page(
    request: Request,
    access: ManageDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Cập nhật hồ sơ: the verified values on the record it was read at; the loop closes."""
    sent = validate(ApplyUpdate, form, tz=settings.tz, lang=lang_of(request))
    errors = sent.errors
    if sent.data is not None:
        body, now = sent.data, clock.now()
        try:
            act(
                request,
                factory,
                clock,
                access,
                "update",
                lambda s, loop, view: cleaning_service.apply_update(
                    s, access.actor, loop=loop, view=view, data=body, now=now, tz=settings.tz
                ),
            )
            return redirect(f"{OFFICE}?done=updated")
        except CaseworkError as refused:
            errors = _refused(refused, request)
    return _loop_page(
        request, access, factory, "registry/cleaning_loop.html", errors=errors, status_code=422
    )


# The step holders' pages (phone-sized) ------------------------------------------------


@router.get(STEPS)
def my_steps_page(
    request: Request,
    actor: Allowed(Action.cleaning_task),
    session: ReadSessionDep,
    done: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    """The visits (a village) or verifications (the police) waiting on the person's agency."""
    found = reading.briefs(
        session, cleaning_service.held(session, condition=held_by(actor)), lang=lang_of(request)
    )
    viewed(request, actor, session, found)
    context = {"loops": found, "notice": _notice(done)}
    return render(request, "registry/cleaning_steps.html", context, actor=actor)


@router.get(STEPS + "/{loop_id}")
def step_page(request: Request, access: TaskDep, factory: SessionFactoryDep) -> Response:
    """One step's form: the household's papers (village) or the verified ids (police)."""
    return _loop_page(request, access, factory, "registry/cleaning_step.html")


STEP_FORMS: dict[LoopView, tuple[type[BaseModel], bool]] = {
    LoopView.visit: (VisitFindings, False),
    LoopView.verify: (Verification, True),
}


@router.post(STEPS + "/{loop_id}")
def answer_step(
    request: Request,
    access: TaskDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Gửi: the visit's findings or the police's verification, as the step is."""
    schema, required = STEP_FORMS[access.view]
    dates = [DateRule("date_of_birth", time=False, required=required)]
    sent = validate(
        schema, form, tz=settings.tz, lang=lang_of(request), choices={"sex"}, dates=dates
    )
    errors = sent.errors
    if sent.data is not None:
        body, now, verb = sent.data, clock.now(), access.view.value
        record = (
            cleaning_service.record_visit
            if access.view == LoopView.visit
            else cleaning_service.record_verification
        )
        try:
            act(
                request,
                factory,
                clock,
                access,
                verb,
                lambda s, loop, view: record(
                    s, access.actor, loop=loop, view=view, data=body, now=now, tz=settings.tz
                ),
            )
            return redirect(f"{STEPS}?done={verb}")
        except CaseworkError as refused:
            errors = _refused(refused, request)
    return _loop_page(
        request,
        access,
        factory,
        "registry/cleaning_step.html",
        typed=sent.typed,
        errors=errors,
        status_code=422,
    )
