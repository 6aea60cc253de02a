"""Lịch làm việc của xã: the supervisor lists, adds and removes the commune's own days off
(a local festival, a day off given in exchange) and make-up working days (ngày làm bù),
which the working-day deadlines of its cases follow from then on.

Each change is one transaction with its audit entry. Clocks already running keep the due
times they were given (agencies were told them): the page says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.communes import service as commune_service
from casework.communes.models import Commune
from casework.communes.schemas import CalendarDayIn, CalendarDayOut
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.timefmt import local_date
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import DateRule, FormItems, validate

router = APIRouter(include_in_schema=False)
PATH = "/lich-lam-viec"
Supervisor = Allowed(Action.calendar_manage)
DONE = {
    "added": N_("Đã thêm ngày vào lịch của xã."),
    "removed": N_("Đã xóa ngày khỏi lịch của xã."),
}


def _page(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    today: date,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with factory() as session:
        commune = session.get_one(Commune, actor.commune_id)
        shown = commune_service.calendar(session, commune_id=commune.id, today=today)
    write_audit(request, actor, Record(AuditAction.view, "commune_calendar", commune.code))
    return render(
        request,
        "communes/calendar.html",
        {
            "calendar": shown,
            "commune": commune,
            "typed": typed or {},
            "errors": errors or FormErrors(),
            "notice": notice,
        },
        actor=actor,
        status_code=status_code,
    )


@router.get(PATH)
def calendar_page(
    request: Request,
    actor: Supervisor,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    """The commune's own days off and make-up working days, and the form to add one."""
    today = local_date(clock.now(), settings.tz)
    return _page(request, actor, factory, today, notice=DONE.get(done or ""))


def _change(
    request: Request, actor: Actor, factory: SessionFactoryDep, clock: ClockDep, work: Any
) -> None:
    """Apply ``work`` (a service call returning what changed) and its audit entry, in one
    transaction."""

    def run(session: Session) -> None:
        detail = work(session)
        code = session.get_one(Commune, actor.commune_id).code
        record = Record(AuditAction.update, "commune_calendar", code, detail=detail)
        audit_service.append(session, actor, record, origin=origin_of(request), now=clock.now())

    run_in_transaction(factory, run)


@router.post(PATH)
def add_day(
    request: Request,
    actor: Supervisor,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Thêm ngày: a day off or a make-up working day, with its reason."""
    lang, today = lang_of(request), local_date(clock.now(), settings.tz)
    sent = validate(
        CalendarDayIn,
        form,
        tz=settings.tz,
        lang=lang,
        choices={"day_kind"},
        dates=[DateRule("day", time=False)],
    )
    errors = sent.errors
    if sent.data is not None:
        entry: CalendarDayIn = sent.data

        def work(session: Session) -> dict[str, object]:
            commune_service.add_day(
                session, commune_id=actor.commune_id, entry=entry, today=today, tz=settings.tz
            )
            return {"action": "add", "day": entry.day.isoformat(), "kind": entry.day_kind}

        try:
            _change(request, actor, factory, clock, work)
            return redirect(f"{PATH}?done=added")
        except CaseworkError as refused:
            errors = FormErrors.from_exception(refused, lang)
    return _page(request, actor, factory, today, typed=sent.typed, errors=errors, status_code=422)


@router.post(f"{PATH}/xoa")
def remove_day(
    request: Request,
    actor: Supervisor,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Xóa ngày: the day goes back to what the national calendar says."""
    lang, today = lang_of(request), local_date(clock.now(), settings.tz)
    sent = validate(CalendarDayOut, form, tz=settings.tz, lang=lang)
    errors = sent.errors
    if sent.data is not None:
        day = sent.data.day

        def work(session: Session) -> dict[str, object]:
            removed = commune_service.remove_day(session, commune_id=actor.commune_id, day=day)
            kind = "make_up" if removed.make_up else "day_off"
            return {"action": "remove", "day": day.isoformat(), "kind": kind}

        try:
            _change(request, actor, factory, clock, work)
            return redirect(f"{PATH}?done=removed")
        except CaseworkError as refused:
            errors = FormErrors.from_exception(refused, lang)
    # The page's own field "day" is the add form's: point the summary at the list instead.
    errors = FormErrors([("ngay-cua-xa", message) for _, message in errors.summary])
    return _page(request, actor, factory, today, errors=errors, status_code=422)
