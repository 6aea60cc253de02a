"""Cases: open one for a report, attach later reports, read and list them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from casework.accounts.models import User
from casework.agencies.models import Agency
from casework.base import label
from casework.cases import workflow
from casework.cases.models import (
    CaseCounter,
    CaseEvent,
    CaseStatus,
    ProtectionCase,
    Task,
)
from casework.cases.schemas import (
    CaseRead,
    EventRead,
    ReporterRead,
    ReportRead,
    TaskRead,
    WorkflowRef,
)
from casework.children import service as child_service
from casework.children.models import Child
from casework.communes.models import Commune
from casework.errors import NotFound
from casework.intake.models import PerpetratorRelation, Report, ReportHarmForm
from casework.messaging import timeline
from casework.timefmt import to_local

# The workflow a new case runs under: the newest version of this definition.
WORKFLOW_NAME = "child_protection"

# NĐ56 Đ31 k1: harm by the child's own parent or caregiver makes the case an emergency.
CAREGIVING_PERPETRATORS = frozenset(
    {PerpetratorRelation.parent, PerpetratorRelation.step_parent, PerpetratorRelation.caregiver}
)


def is_emergency_report(
    *,
    immediate_danger: bool,
    perpetrator: PerpetratorRelation,
    harm_forms: Iterable[str] = (),
    setting: str = "",
) -> bool:
    """Whether a report alone makes its case an emergency (before any assessment): the
    child in immediate danger, harmed by a parent or caregiver (NĐ56 Đ31 k1), or found
    abandoned (seed 001: received and cared for at once; see ``workflow.harm_fact``)."""
    return (
        immediate_danger
        or perpetrator in CAREGIVING_PERPETRATORS
        or any(workflow.harm_fact(form, setting) == workflow.FOUND_ABANDONED for form in harm_forms)
    )


class CaseNotFound(NotFound):
    code = "case_not_found"


def _next_seq(session: Session, *, commune_id: int, year: int) -> int:
    """Take the next case number for the commune and year; the counter row stays locked.

    One upsert: the first case of a year creates the row, later ones increment it.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(CaseCounter).values(commune_id=commune_id, year=year, last_seq=1)
    statement = statement.on_conflict_do_update(
        index_elements=[CaseCounter.commune_id, CaseCounter.year],
        set_={"last_seq": CaseCounter.last_seq + 1},
    ).returning(CaseCounter.last_seq)
    return session.execute(statement).scalar_one()


_INSERT_EVENTS = CaseEvent.__table__.insert()


def history_entry(
    *,
    case_id: int,
    event: str,
    now: datetime,
    actor_id: int | None,
    from_status: str | None = None,
    to_status: str | None = None,
    payload: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One row of a case's history, to be written with ``record_events``."""
    return {
        "case_id": case_id,
        "at": now,
        "actor_id": actor_id,
        "event": event,
        "from_status": from_status,
        "to_status": to_status,
        "payload": payload or {},
    }


def record_events(session: Session, entries: list[dict[str, Any]]) -> None:
    """Append entries (from ``history_entry``) to case histories in one statement."""
    if entries:
        session.connection().execute(_INSERT_EVENTS, entries)


def record_event(
    session: Session,
    *,
    case: ProtectionCase,
    event: str,
    now: datetime,
    actor_id: int | None,
    from_status: str | None = None,
    to_status: str | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Append one entry to the case's history."""
    entry = history_entry(
        case_id=case.id,
        event=event,
        now=now,
        actor_id=actor_id,
        from_status=from_status,
        to_status=to_status,
        payload=payload,
    )
    record_events(session, [entry])


def note(
    session: Session,
    *,
    case: ProtectionCase,
    event: str,
    now: datetime,
    actor_id: int | None,
    payload: dict[str, Any],
) -> None:
    """Something happened on the case without a change of step (a task answered, an
    escalation worked): it goes in the history and the case counts as changed."""
    case.updated_at = now
    session.add(case)
    record_event(session, case=case, event=event, now=now, actor_id=actor_id, payload=payload)


def open_case(
    session: Session,
    *,
    commune: Commune,
    child_id: int,
    is_emergency: bool,
    now: datetime,
    tz: ZoneInfo,
    actor_id: int | None,
    detail: dict[str, Any] | None = None,
) -> ProtectionCase:
    """Open a case in ``received`` with the commune's next code, e.g. CS-2026-00042;
    ``detail`` adds to the history entry (a report passed on late)."""
    year = to_local(now, tz).year
    seq = _next_seq(session, commune_id=commune.id, year=year)
    case = ProtectionCase(
        commune_id=commune.id,
        code=f"{commune.case_prefix}-{year}-{seq:05d}",
        year=year,
        seq=seq,
        child_id=child_id,
        status=CaseStatus.received,
        is_emergency=is_emergency,
        workflow_name=WORKFLOW_NAME,
        workflow_version=workflow.latest(WORKFLOW_NAME).version,
        opened_at=now,
        updated_at=now,
    )
    session.add(case)
    session.flush()
    record_event(
        session,
        case=case,
        event="receive",
        now=now,
        actor_id=actor_id,
        to_status=CaseStatus.received,
        payload={"is_emergency": is_emergency, **(detail or {})},
    )
    return case


def find_open_case(session: Session, *, child_id: int) -> ProtectionCase | None:
    """The child's open case, locked for the rest of the transaction."""
    return session.exec(
        select(ProtectionCase)
        .where(ProtectionCase.child_id == child_id, ProtectionCase.status != CaseStatus.closed)
        .with_for_update()
    ).first()


def attach_report(
    session: Session,
    *,
    case: ProtectionCase,
    report_id: int,
    is_emergency: bool,
    now: datetime,
    actor_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """A further report about the child joins the open case (and can make it an emergency)."""
    became_emergency = is_emergency and not case.is_emergency
    case.is_emergency = case.is_emergency or is_emergency
    case.updated_at = now
    session.add(case)
    record_event(
        session,
        case=case,
        event="attach_report",
        now=now,
        actor_id=actor_id,
        payload={"report_id": report_id, "became_emergency": became_emergency, **(detail or {})},
    )


def get_by_code(session: Session, *, code: str) -> ProtectionCase:
    case = session.exec(select(ProtectionCase).where(ProtectionCase.code == code)).first()
    if case is None:
        raise CaseNotFound(code=code)
    return case


def _reports(session: Session, case_id: int, tz: ZoneInfo) -> list[ReportRead]:
    reports = session.exec(
        select(Report).where(Report.case_id == case_id).order_by(Report.first_received_at)
    ).all()
    forms: dict[int, list[Any]] = defaultdict(list)
    for row in session.exec(
        select(ReportHarmForm).where(ReportHarmForm.report_id.in_([r.id for r in reports]))
    ).all():
        forms[row.report_id].append(row.form)
    return [
        ReportRead(
            id=r.id,
            channel=r.channel,
            first_received_at=to_local(r.first_received_at, tz),
            recorded_at=to_local(r.recorded_at, tz),
            reporter=ReporterRead(
                anonymous=r.reporter_anonymous,
                name=r.reporter_name,
                phone=r.reporter_phone,
                relation=r.reporter_relation,
            ),
            location=r.location,
            description=r.description,
            harm_forms=sorted(forms[r.id]),
            setting=r.setting,
            perpetrator_relation=r.perpetrator_relation,
            child_state=r.child_state,
            immediate_danger=r.immediate_danger,
            late_report_confirmed=r.late_report_confirmed,
        )
        for r in reports
    ]


def task_reads(
    session: Session, case_id: int, tz: ZoneInfo, *, scope: sa.ColumnElement[bool] | None = None
) -> list[TaskRead]:
    """The case's tasks, soonest due first; with ``scope`` (a condition of
    ``casework.authz.scopes`` on the task and its case), only those it lets through."""
    statement = (
        sa.select(Task, Agency)
        .join(Agency, Agency.id == Task.agency_id)
        .where(Task.case_id == case_id)
        .order_by(Task.due_at, Task.id)
    )
    if scope is not None:
        statement = statement.join(ProtectionCase, ProtectionCase.id == Task.case_id).where(scope)
    rows = session.execute(statement).all()

    def local(moment: datetime | None) -> datetime | None:
        return to_local(moment, tz) if moment else None

    return [
        TaskRead(
            id=task.id,
            agency_id=agency.id,
            agency_kind=agency.kind,
            agency_name=agency.name,
            assignee_id=task.assignee_id,
            kind=task.kind,
            title=task.title,
            starts_at=to_local(task.starts_at, tz),
            due_at=to_local(task.due_at, tz),
            status=task.status,
            acknowledged_at=local(task.acknowledged_at),
            done_at=local(task.done_at),
            outcome_note=task.outcome_note,
            cost_vnd=task.cost_vnd,
        )
        for task, agency in rows
    ]


def read(session: Session, *, case: ProtectionCase, tz: ZoneInfo) -> CaseRead:
    """The whole case as the API shows it, times in the commune's zone."""
    child = session.get_one(Child, case.child_id)
    events = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    return CaseRead(
        code=case.code,
        status=case.status,
        status_label=label(CaseStatus(case.status)),
        risk_level=case.risk_level,
        is_emergency=case.is_emergency,
        protection_level=case.protection_level,
        workflow=WorkflowRef(name=case.workflow_name, version=case.workflow_version),
        version=case.version,
        assigned_caseworker_id=case.assigned_caseworker_id,
        assigned_caseworker_name=session.get_one(User, case.assigned_caseworker_id).full_name
        if case.assigned_caseworker_id
        else None,
        opened_at=to_local(case.opened_at, tz),
        updated_at=to_local(case.updated_at, tz),
        closed_at=to_local(case.closed_at, tz) if case.closed_at else None,
        closure_reason=case.closure_reason,
        child=child_service.read(session, child=child),
        reports=_reports(session, case.id, tz),
        tasks=task_reads(session, case.id, tz),
        events=[
            EventRead.model_validate(e, from_attributes=True).model_copy(
                update={"at": to_local(e.at, tz)}
            )
            for e in events
        ],
        messages=timeline.timeline(session, case_code=case.code, tz=tz, events=events),
    )
