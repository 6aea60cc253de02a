"""Drive a case through its workflow: apply an event's payload, ask the pure engine, persist
the step (status, history, deadlines, tasks, messages) in the caller's transaction.

Everything here flushes and never commits: a refused event or a failure later in the
request rolls the whole change back, so nothing is ever half-applied.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.actors import SYSTEM, Actor
from casework.cases import service as case_service
from casework.cases import workflow
from casework.cases.events import EventPayload, SubmitPlan
from casework.cases.models import CaseStatus, ProtectionCase, Task
from casework.cases.schemas import CaseRead, EventOptionRead, Reason
from casework.children.models import Child
from casework.communes.models import CommuneDayOff
from casework.deadlines import service as deadline_service
from casework.errors import Conflict, FieldError
from casework.intake.models import Report, ReportHarmForm
from casework.messages import render
from casework.messaging import service as messaging_service
from casework.tasks import service as task_service
from workflows.calendar import WorkingCalendar
from workflows.effects import (
    ActivatePlannedTasks,
    ArmDeadline,
    CancelDeadline,
    CreateTask,
    MeetDeadline,
    Step,
)
from workflows.engine import Context, Engine, EventOption, TransitionNotAllowed


class ConcurrentChange(Conflict):
    code = "concurrent_change"


class EventRefused(Conflict):
    """The state does not offer the event, or a guard said no; lists what is allowed."""

    code = "transition_not_allowed"

    def __init__(self, refused: TransitionNotAllowed, engine: Engine) -> None:
        state = engine.definition.states.get(refused.state)
        super().__init__(
            event=refused.event,
            state=refused.state,
            state_vi=state.vi if state else refused.state,
            state_en=state.en if state else refused.state,
            reasons=refused.reasons,
            allowed=", ".join(refused.allowed) or "—",
        )
        self.refused = refused

    def errors(self) -> list[FieldError]:
        if not self.refused.reasons:
            return [FieldError((), self.code, self.params)]
        return [FieldError((), reason, self.params) for reason in self.refused.reasons]


def calendar_for(session: Session, *, commune_id: int, tz: ZoneInfo) -> WorkingCalendar:
    days_off = session.exec(
        select(CommuneDayOff.day).where(CommuneDayOff.commune_id == commune_id)
    ).all()
    return WorkingCalendar(tz, extra_days_off=days_off)


def engine_of(case: ProtectionCase) -> Engine:
    return workflow.engine_for(case.workflow_name, case.workflow_version)


def _report_facts(session: Session, case_id: int) -> tuple[set[str], set[str], bool, datetime]:
    reports = session.exec(select(Report).where(Report.case_id == case_id)).all()
    forms = set(
        session.exec(
            select(ReportHarmForm.form).where(ReportHarmForm.report_id.in_([r.id for r in reports]))
        ).all()
    )
    settings = {r.setting for r in reports}
    caregiving = any(
        r.perpetrator_relation in case_service.CAREGIVING_PERPETRATORS for r in reports
    )
    first = min(r.first_received_at for r in reports)
    return forms, settings, caregiving, first


def facts_for(
    session: Session,
    *,
    case: ProtectionCase,
    actor: Actor,
    today: date,
    extra: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], datetime]:
    """The case's facts for the engine, and its first receipt (where legal clocks start)."""
    forms, settings, caregiving, first = _report_facts(session, case.id)
    child = session.get_one(Child, case.child_id)
    facts = workflow.case_facts(
        state=case.status,
        is_emergency=case.is_emergency,
        substantiated=case.substantiated,
        harm_forms=forms,
        settings=settings,
        perpetrator_caregiving=caregiving,
        school_name=child.school_name,
        birth_year=child.birth_year,
        date_of_birth=child.date_of_birth,
        today=today,
        separation_active=_separation_active(case),
        alternative_care_active=_alternative_care_active(case),
        review_stable=case.review_stable,
        plan_task_count=task_service.planned_count(session, case_id=case.id),
        actor_role=actor.role,
        extra=extra,
    )
    return facts, first


def _separation_active(case: ProtectionCase) -> bool:
    return case.separation_started_at is not None and case.separation_ended_at is None


def _alternative_care_active(case: ProtectionCase) -> bool:
    return case.alternative_care_started_at is not None and case.alternative_care_ended_at is None


def persist(
    session: Session,
    *,
    case: ProtectionCase,
    step: Step,
    engine: Engine,
    actor: Actor,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Apply the engine's effects: deadlines armed, met or cancelled; tasks routed."""
    for effect in step.effects:
        if isinstance(effect, ArmDeadline):
            spec = engine.definition.deadlines[effect.kind]
            deadline_service.arm(
                session,
                engine=engine,
                case_id=case.id,
                kind=effect.kind,
                clock=spec.clock,
                ladder=effect.ladder,
                starts_at=effect.starts_at,
                due_at=effect.due_at,
            )
        elif isinstance(effect, MeetDeadline | CancelDeadline):
            deadline_service.close(
                session,
                case_id=case.id,
                kind=effect.kind,
                now=now,
                met=isinstance(effect, MeetDeadline),
            )
        elif isinstance(effect, CreateTask):
            task_service.route(
                session, engine=engine, case=case, effect=effect, now=now, tz=tz, actor=actor
            )
        elif isinstance(effect, ActivatePlannedTasks):
            task_service.activate_planned(session, engine=engine, case=case, now=now, tz=tz)
    if engine.definition.states[step.dest].final:
        deadline_service.cancel_all(session, case_id=case.id, now=now)
    messaging_service.on_step(session, case=case, step=step, now=now, tz=tz)


def _context(
    session: Session,
    *,
    case: ProtectionCase,
    actor: Actor,
    now: datetime,
    tz: ZoneInfo,
    payload: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Context:
    """What the engine may read about the case for this event."""
    facts, first = facts_for(
        session, case=case, actor=actor, today=now.astimezone(tz).date(), extra=extra
    )
    return Context(
        facts=facts,
        now=now,
        calendar=calendar_for(session, commune_id=case.commune_id, tz=tz),
        first_received_at=first,
        payload=payload or {},
        history=deadline_service.history(session, case_id=case.id),
    )


def open_workflow(
    session: Session, *, case: ProtectionCase, actor: Actor, now: datetime, tz: ZoneInfo
) -> Step:
    """A new case enters its workflow: legal clocks start and agencies get their tasks."""
    engine = engine_of(case)
    step = engine.open(_context(session, case=case, actor=actor, now=now, tz=tz))
    persist(session, case=case, step=step, engine=engine, actor=actor, now=now, tz=tz)
    return step


def on_new_emergency(
    session: Session,
    *,
    case: ProtectionCase,
    report_received_at: datetime,
    actor: Actor,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """A later report made an open case an emergency: the definition says what that arms
    (the 12 hours run from that report's first receipt)."""
    engine = engine_of(case)
    ctx = _context(
        session,
        case=case,
        actor=actor,
        now=now,
        tz=tz,
        payload={"first_received_at": report_received_at},
    )
    step = engine.react("became_emergency", case.status, ctx)
    persist(session, case=case, step=step, engine=engine, actor=actor, now=now, tz=tz)


def fire_event(
    session: Session,
    actor: Actor,
    *,
    case: ProtectionCase,
    event: str,
    payload: EventPayload,
    now: datetime,
    tz: ZoneInfo,
) -> Step:
    """Apply ``event`` to a locked case and persist everything it causes."""
    if payload.expected_version is not None and payload.expected_version != case.version:
        raise ConcurrentChange(code=case.code)
    engine = engine_of(case)
    # Whether a separation or alternative care is under way is judged before this event's
    # own form changes it: "start" needs none running, "end" needs one.
    before = {
        "separation_active": _separation_active(case),
        "alternative_care_active": _alternative_care_active(case),
    }
    extra = before | payload.record_on(case)
    if isinstance(payload, SubmitPlan):
        task_service.replace_planned(
            session, case=case, tasks=payload.model_dump()["tasks"], now=now
        )
    session.flush()
    ctx = _context(
        session, case=case, actor=actor, now=now, tz=tz, payload=payload.model_dump(), extra=extra
    )
    try:
        step = engine.fire(case.status, event, ctx)
    except TransitionNotAllowed as refused:
        raise EventRefused(refused, engine) from None
    if step.dest != step.source:
        case.status = CaseStatus(step.dest)
    if engine.definition.states[step.dest].final:
        case.closed_at = now
    case.updated_at = now
    session.add(case)
    case_service.record_event(
        session,
        case=case,
        event=event,
        now=now,
        actor_id=actor.user_id,
        from_status=step.source,
        to_status=step.dest,
        payload=payload.model_dump(mode="json", exclude={"expected_version"}, exclude_none=True),
    )
    persist(session, case=case, step=step, engine=engine, actor=actor, now=now, tz=tz)
    session.flush()
    return step


def options(
    session: Session, *, case: ProtectionCase, actor: Actor, now: datetime, tz: ZoneInfo
) -> list[EventOption]:
    """The events this actor could fire now, and for blocked ones the guards' reasons."""
    facts, _ = facts_for(session, case=case, actor=actor, today=now.astimezone(tz).date())
    return engine_of(case).options(case.status, facts)


def lock(session: Session, *, code: str) -> ProtectionCase:
    """The case by code, row-locked until the transaction ends (a second writer waits)."""
    case = session.exec(
        select(ProtectionCase).where(ProtectionCase.code == code).with_for_update()
    ).first()
    if case is None:
        raise case_service.CaseNotFound(code=code)
    return case


def read(
    session: Session, *, case: ProtectionCase, actor: Actor | None, now: datetime, tz: ZoneInfo
) -> CaseRead:
    """The case with its clocks and the events this actor may fire now (and why not)."""
    engine = engine_of(case)
    base = case_service.read(session, case=case, tz=tz)
    offered = options(session, case=case, actor=actor or SYSTEM, now=now, tz=tz)
    return base.model_copy(
        update={
            "deadlines": deadline_service.read_for_case(
                session, case_id=case.id, engine=engine, tz=tz
            ),
            "allowed_events": [
                EventOptionRead(
                    event=option.event,
                    allowed=option.allowed,
                    reasons=[
                        Reason(
                            code=code,
                            msg_vi=render(code, "vi", label="", params={}),
                            msg_en=render(code, "en", label="", params={}),
                        )
                        for code in option.reasons
                    ],
                )
                for option in offered
            ],
        }
    )


def lock_case_of(session: Session, *, task_id: int) -> tuple[ProtectionCase, Task]:
    """A task and its case, both locked (case first, the order every writer uses)."""
    case_id = session.exec(select(Task.case_id).where(Task.id == task_id)).first()
    if case_id is None:
        raise task_service.TaskNotFound(task_id=task_id)
    case = session.exec(
        select(ProtectionCase).where(ProtectionCase.id == case_id).with_for_update()
    ).one()
    return case, task_service.get(session, task_id=task_id)
