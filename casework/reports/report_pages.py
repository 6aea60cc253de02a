"""Báo cáo định kỳ: the reports owed, and each report's page where it is written, sent,
accepted or returned, consolidated, approved and recorded as sent.

An agency's officer or head sees their agency's reports; the commune's caseworkers and
supervisor all of the commune's. The figures on a report come from the data and cannot be
typed over; the sections follow the outline (``outline.OUTLINE``). Every page, step and
attachment download is in the audit log with the report's number (never its words).
"""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlmodel import Session, select
from starlette.datastructures import UploadFile

from casework.accounts.auth import origin_of, write_audit
from casework.accounts.models import User
from casework.actors import Actor
from casework.agencies.models import Agency
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy
from casework.authz.deps import Allowed, refuse
from casework.authz.policy import HIDE, Action
from casework.communes.models import Commune
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.processes.models import WorkflowInstance
from casework.reports import adhoc, document, obligations, snapshot, steps
from casework.reports.indicators import Where
from casework.reports.models import AdhocCause, PeriodicReport, ReportKind
from casework.reports.outline import OUTLINE, SECTION_KEYS
from casework.reports.statistics import statistics
from casework.schemas_common import INT_MAX
from casework.timefmt import local_date
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render

router = APIRouter(include_in_schema=False)
PATH = "/bao-cao-dinh-ky"
Reporter = Allowed(Action.report_read)
ReportId = Annotated[int, Path(ge=1, le=INT_MAX)]
DONE = {
    "nop": N_("Đã nộp báo cáo cho xã."),
    "luu": N_("Đã lưu bản tổng hợp."),
    "tra-lai": N_("Đã trả lại báo cáo cho cơ quan."),
    "tiep-nhan": N_("Đã tiếp nhận báo cáo."),
    "trinh": N_("Đã trình lãnh đạo phê duyệt."),
    "tra-ve": N_("Đã trả lại để cán bộ sửa."),
    "phe-duyet": N_("Đã phê duyệt báo cáo."),
    "gui": N_("Đã ghi nhận báo cáo đã gửi."),
    "dot-xuat": N_("Đã mở báo cáo đột xuất."),
}


def _report(request: Request, actor: Actor, session: Session, report_id: int) -> PeriodicReport:
    """The report, if ``actor`` may see it; otherwise 404, recorded as refused."""
    report = session.exec(
        select(PeriodicReport).where(PeriodicReport.id == report_id, obligations.visible(actor))
    ).first()
    if report is None:
        refuse(
            request, actor, Action.report_read, HIDE,
            hidden=obligations.ReportNotFound(report_id=report_id),
            subject=("periodic_report", str(report_id)),
        )  # fmt: skip
    assert report is not None
    return report


@router.get(PATH)
def reports_list(request: Request, actor: Reporter, factory: SessionFactoryDep) -> Response:
    """The reports owed and sent, the soonest due first."""
    with factory() as session:
        rows = session.execute(
            sa.select(PeriodicReport, WorkflowInstance.state, Agency.name)
            .join(WorkflowInstance, WorkflowInstance.id == PeriodicReport.instance_id)
            .outerjoin(Agency, Agency.id == PeriodicReport.agency_id)
            .where(obligations.visible(actor))
            .order_by(WorkflowInstance.closed_at.is_not(None), PeriodicReport.due_at)
        ).all()
    write_audit(
        request, actor, Record(AuditAction.view, "periodic_reports", None,
                               detail={"reports": [r.id for r, _, _ in rows]})
    )  # fmt: skip
    context = {
        "rows": rows,
        "state_words": obligations.state_words(),
        "may_open_adhoc": policy.gate(actor, Action.report_manage).allowed,
    }
    return render(request, "reports/list.html", context, actor=actor)


def _page(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    settings: SettingsDep,
    report_id: int,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    now = request.app.state.clock.now()
    with factory() as session:
        report = _report(request, actor, session, report_id)
        state = obligations.state_of(session, report)
        agency = session.get(Agency, report.agency_id) if report.agency_id else None
        figures = report.figures
        if not figures:  # not submitted yet: the data as it stands, for the writer to see
            if report.kind == ReportKind.agency:
                figures = snapshot.agency_figures(session, report, settings.tz, now=now)
            else:
                figures = snapshot.commune_figures(session, report, settings.tz, now=now)
        people = dict(
            session.execute(
                sa.select(User.id, User.full_name).where(User.commune_id == report.commune_id)
            ).all()
        )
        draft = dict(report.sections)
        if report.kind == ReportKind.commune and state == "drafting" and not draft:
            draft = steps.gathered(session, report)
        session.expunge(report)
    write_audit(request, actor, Record(AuditAction.view, "periodic_report", str(report_id)))
    context: dict[str, Any] = {
        "report": report,
        "state": state,
        "state_words": obligations.state_words(),
        "allowed": steps.allowed(actor, report, state),
        "agency": agency,
        "people": people,
        "figures": figures,
        "outline": OUTLINE,
        "sections": typed if typed is not None else draft,
        "errors": errors or FormErrors(),
        "notice": notice,
    }
    return render(request, "reports/report.html", context, actor=actor, status_code=status_code)


@router.get(PATH + "/{report_id}")
def report_page(
    request: Request,
    actor: Reporter,
    factory: SessionFactoryDep,
    settings: SettingsDep,
    report_id: ReportId,
    done: str | None = None,
) -> Response:
    """One report: its figures from the data, its sections, and what can be done now."""
    return _page(request, actor, factory, settings, report_id, notice=DONE.get(done or ""))


@router.post(PATH + "/{report_id}")
async def report_step(
    request: Request,
    actor: Reporter,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    report_id: ReportId,
) -> Response:
    """One step on the report (``action``), with the version the page was opened at."""
    form = await request.form(max_files=1, max_fields=40)
    fields = {name: value for name, value in form.multi_items() if isinstance(value, str)}
    action = fields.get("action", "")
    upload = form.get("attachment")
    attachment = None
    if isinstance(upload, UploadFile) and upload.filename:
        body = await upload.read(steps.ATTACHMENT_MAX + 1)
        attachment = (upload.filename[:200], upload.content_type or "", body)
    lang = lang_of(request)

    def work(session: Session) -> None:
        report = _report(request, actor, session, report_id)
        now = clock.now()
        steps.take(session, actor, report=report, action=action, fields=fields,
                   attachment=attachment, now=now, tz=settings.tz)  # fmt: skip
        detail = {"step": action, "attachment": attachment is not None and action == "nop"}
        record = Record(AuditAction.update, "periodic_report", str(report_id), detail=detail)
        audit_service.append(session, actor, record, origin=origin_of(request), now=now)

    try:
        await run_in_threadpool(run_in_transaction, factory, work)
    except CaseworkError as refused:
        errors = FormErrors.from_exception(refused, lang)
        typed = {key: fields[key] for key in SECTION_KEYS if key in fields}
        return await run_in_threadpool(
            _page, request, actor, factory, settings, report_id,
            typed=typed, errors=errors, status_code=refused.status_code,
        )  # fmt: skip
    return redirect(f"{PATH}/{report_id}?done={action}")


@router.get(PATH + "/{report_id}/tep-dinh-kem")
def report_attachment(
    request: Request, actor: Reporter, factory: SessionFactoryDep, report_id: ReportId
) -> Response:
    """The report's attachment, as it was sent (audited)."""
    with factory() as session:
        report = _report(request, actor, session, report_id)
        body, name, kind = report.attachment, report.attachment_name, report.attachment_type
    if body is None:
        raise obligations.ReportNotFound(report_id=report_id)
    write_audit(
        request, actor, Record(AuditAction.export, "periodic_report_attachment", str(report_id))
    )
    return Response(
        body,
        media_type=kind or "application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="bao-cao-{report_id}-{_ascii(name)}"'
        },
    )


@router.get(PATH + "/{report_id}/van-ban.docx")
def report_docx(
    request: Request,
    actor: Allowed(Action.report_manage),
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
    report_id: ReportId,
) -> Response:
    """The commune's report drafted as a Word document: its sections and the figures from
    the data, with last year's beside them (audited)."""
    now = clock.now()
    with factory() as session:
        report = _report(request, actor, session, report_id)
        if report.kind == ReportKind.agency:
            raise obligations.ReportNotFound(report_id=report_id)
        period = snapshot.counted_period(report, settings.tz, now=report.sent_at or now)
        commune = session.get_one(Commune, report.commune_id)
        stats = statistics(session, Where((commune.id,)), period, settings.tz, now=now,
                           place=commune.name)  # fmt: skip
        body = document.report_document(
            stats, commune=commune.name, province=commune.province, title=report.title,
            recipient=report.recipient, sections=report.sections,
            day=local_date(now, settings.tz),
        )  # fmt: skip
    write_audit(request, actor, Record(AuditAction.export, "periodic_report", str(report_id)))
    return Response(
        body,
        media_type=document.DOCX,
        headers={"Content-Disposition": f'attachment; filename="bao-cao-{report_id}.docx"'},
    )


def _ascii(name: str | None) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "-" for c in name or "tep")


@router.post("/bao-cao-dot-xuat")
async def open_adhoc(
    request: Request,
    actor: Allowed(Action.report_manage),
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Mở báo cáo đột xuất: a death or a disaster the supervisor must report at once."""
    form = await request.form(max_files=0, max_fields=5)
    cause = str(form.get("cause") or "")

    def work(session: Session) -> int:
        now = clock.now()
        report = adhoc.open_report(
            session, commune_id=actor.commune_id, cause=AdhocCause(cause), case_id=None,
            now=now, tz=settings.tz, hours=settings.adhoc_report_hours,
        )  # fmt: skip
        record = Record(AuditAction.create, "periodic_report", str(report.id),
                        detail={"cause": cause})  # fmt: skip
        audit_service.append(session, actor, record, origin=origin_of(request), now=now)
        assert report.id is not None
        return report.id

    if cause not in {AdhocCause.death, AdhocCause.disaster}:
        return redirect(PATH)
    report_id = await run_in_threadpool(run_in_transaction, factory, work)
    return redirect(f"{PATH}/{report_id}?done=dot-xuat")
