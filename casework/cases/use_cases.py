"""What the case API and the case pages both do, in one place: read a case as much as the
person may see it, and fire a workflow event with its audit entry.

The caller owns the transaction (``run_in_transaction``) and the audit of reads
(``write_audit`` after the read session ends), exactly as for every entry point.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Origin, Record
from casework.authz.policy import CaseView
from casework.cases import agency_read, assignment, flow
from casework.cases.events import EventPayload
from casework.cases.models import ProtectionCase
from casework.cases.schemas import AgencyCaseRead, AssignCase, CaseRead
from casework.deadlines import service as deadline_service


def case_viewed(code: str, view: str, **detail: object) -> Record:
    """The audit entry of a read of one case (how much of it was seen, and where)."""
    return Record(AuditAction.view, "case", code, detail={"view": view, **detail})


def viewed(read: CaseRead | AgencyCaseRead, **detail: object) -> Record:
    """The audit entry of ``read_as``'s answer: an agency's names the facts it was shown."""
    if isinstance(read, AgencyCaseRead):
        return case_viewed(read.code, CaseView.task.value, facts=read.facts, **detail)
    return case_viewed(read.code, CaseView.full.value, **detail)


def list_viewed(codes: list[str], *, searched: bool) -> Record:
    """The audit entry of a list of cases: which were shown. The search words may be a
    child's name, so they are not kept; only that there were some."""
    return Record(
        AuditAction.view, "case_list", None, detail={"cases": codes, "searched": searched}
    )


def read_as(
    session: Session,
    *,
    case: ProtectionCase,
    view: CaseView,
    actor: Actor,
    now: datetime,
    tz: ZoneInfo,
    task_id: int | None = None,
) -> CaseRead | AgencyCaseRead:
    """The whole case (caseworker, supervisor), or what an agency's tasks need (the facts
    the workflow definition gives them, whom to call), its own tasks and their clocks;
    never the reporter. ``task_id``: one task's page, with that task's facts only."""
    if view == CaseView.full:
        return flow.read(session, case=case, actor=actor, now=now, tz=tz)
    engine = flow.engine_of(case)
    brief = agency_read.read_for_agency(
        session,
        case=case,
        actor=actor,
        definition=engine.definition,
        now=now,
        tz=tz,
        task_id=task_id,
    )
    own = {task.id for task in brief.tasks}
    clocks = deadline_service.read_for_case(session, case_id=case.id, engine=engine, now=now, tz=tz)
    return brief.model_copy(update={"deadlines": [d for d in clocks if d.task_id in own]})


def fire(
    session: Session,
    actor: Actor,
    *,
    code: str,
    event: str,
    payload: EventPayload,
    origin: Origin,
    now: datetime,
    tz: ZoneInfo,
) -> ProtectionCase:
    """Lock the case, fire ``event`` with its payload and record who did it; 409 when the
    case changed since ``payload.expected_version`` or the workflow refuses."""
    case = flow.lock(session, code=code)
    flow.fire_event(session, actor, case=case, event=event, payload=payload, now=now, tz=tz)
    audit_service.append(
        session,
        actor,
        Record(AuditAction.event, "case", case.code, detail={"event": event}),
        origin=origin,
        now=now,
    )
    return case


def assign(
    session: Session,
    actor: Actor,
    *,
    code: str,
    body: AssignCase,
    origin: Origin,
    now: datetime,
    tz: ZoneInfo,
) -> ProtectionCase:
    """Lock the case, give it to ``body.caseworker_id`` and record who did it."""
    case = flow.lock(session, code=code)
    assignment.assign(
        session,
        actor,
        case=case,
        caseworker_id=body.caseworker_id,
        reason=body.reason,
        expected_version=body.expected_version,
        now=now,
        tz=tz,
    )
    _audit_owner(session, actor, case, "assign", origin=origin, now=now)
    return case


def take(
    session: Session,
    actor: Actor,
    *,
    code: str,
    expected_version: int | None,
    origin: Origin,
    now: datetime,
) -> ProtectionCase:
    """Lock the case and make the caller its caseworker (nobody had it)."""
    case = flow.lock(session, code=code)
    assignment.take(session, actor, case=case, expected_version=expected_version, now=now)
    _audit_owner(session, actor, case, "take", origin=origin, now=now)
    return case


def _audit_owner(
    session: Session,
    actor: Actor,
    case: ProtectionCase,
    verb: str,
    *,
    origin: Origin,
    now: datetime,
) -> None:
    detail = {"action": verb, "to_user_id": case.assigned_caseworker_id}
    record = Record(AuditAction.update, "case", case.code, detail=detail)
    audit_service.append(session, actor, record, origin=origin, now=now)
