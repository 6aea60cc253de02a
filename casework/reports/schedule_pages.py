"""Lịch báo cáo: the commune's reporting calendar, each line's due day and lead time, and
the form to set its own (whoever keeps the commune's working calendar may: its supervisor,
its administrator). A change applies from the next opening; reports already open keep the
due time they were given (the agencies were told it)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep
from casework.errors import CaseworkError, FieldError, InvalidInput
from casework.reports.models import ReportSchedule
from casework.reports.schedule import defaults, for_commune
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems

router = APIRouter(include_in_schema=False)
PATH = "/lich-bao-cao"
Keeper = Allowed(Action.calendar_manage)
SAVED = N_("Đã lưu lịch báo cáo của xã.")


def _page(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with factory() as session:
        lines = for_commune(session, commune_id=actor.commune_id, active_only=False)
        off = set(
            session.exec(
                select(ReportSchedule.obligation).where(
                    ReportSchedule.commune_id == actor.commune_id, ~ReportSchedule.active
                )
            ).all()
        )
    write_audit(request, actor, Record(AuditAction.view, "report_schedule", None))
    context = {
        "lines": lines,
        "off": off,
        "typed": typed,
        "errors": errors or FormErrors(),
        "notice": notice,
    }
    return render(request, "reports/schedule.html", context, actor=actor, status_code=status_code)


@router.get(PATH)
def schedule_page(
    request: Request, actor: Keeper, factory: SessionFactoryDep, saved: bool = False
) -> Response:
    """The commune's reporting calendar."""
    return _page(request, actor, factory, notice=SAVED if saved else None)


def read(form: dict[str, str]) -> list[tuple[str, int, int, int, bool]]:
    """Each line's day, month and lead time as typed; a date that does not exist, or a
    lead time outside 1–120 days, is refused with its field named."""
    found, errors = [], []
    for line in defaults():
        day, month, lead = (
            form.get(f"{line.key}.{part}", "").strip() for part in ("day", "month", "lead")
        )
        active = form.get(f"{line.key}.active") == "on"
        try:
            date(2024, int(month), int(day))  # a leap year: 29/2 is a date
        except ValueError:
            errors.append(FieldError((line.key, "day"), "schedule_due_day"))
            continue
        if not lead.isdigit() or not 1 <= int(lead) <= 120:
            errors.append(FieldError((line.key, "lead"), "schedule_lead_days"))
            continue
        found.append((line.key, int(month), int(day), int(lead), active))
    if errors:
        raise InvalidInput(errors)
    return found


@router.post(PATH)
def save_schedule(
    request: Request, actor: Keeper, form: FormItems, factory: SessionFactoryDep, clock: ClockDep
) -> Response:
    """Save every line as the form holds it (one transaction, with its audit entry)."""
    fields = dict(form)

    def work(session: Session) -> None:
        now = clock.now()
        rows = {
            row.obligation: row
            for row in session.exec(
                select(ReportSchedule).where(ReportSchedule.commune_id == actor.commune_id)
            ).all()
        }
        changed = []
        for key, month, day, lead, active in read(fields):
            default = next(d for d in defaults() if d.key == key)
            same = (default.due_month, default.due_day, default.lead_days, True) == (
                month,
                day,
                lead,
                active,
            )
            row = rows.get(key)
            if row is None and same:
                continue
            if row is None:
                row = ReportSchedule(commune_id=actor.commune_id, obligation=key, due_month=month,
                                     due_day=day, lead_days=lead, updated_at=now)  # fmt: skip
            row.due_month, row.due_day, row.lead_days, row.active = month, day, lead, active
            row.updated_by_id, row.updated_at = actor.user_id, now
            session.add(row)
            changed.append(key)
        session.flush()
        record = Record(AuditAction.update, "report_schedule", None, detail={"lines": changed})
        audit_service.append(session, actor, record, origin=origin_of(request), now=now)

    try:
        run_in_transaction(factory, work)
    except CaseworkError as refused:
        errors = FormErrors.from_exception(refused, lang_of(request))
        return _page(request, actor, factory, typed=fields, errors=errors, status_code=422)
    return redirect(f"{PATH}?saved=1")
