"""Drive a case through its workflow: apply an event's payload, ask the pure engine, persist
the step (status, history, deadlines, tasks, messages) in the caller's transaction.

Everything here flushes and never commits: a refused event or a failure later in the
request rolls the whole change back, so nothing is ever half-applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from casework.actors import SYSTEM, Actor
from casework.agencies.directory import Directory
from casework.cases import facts as case_facts
from casework.cases import service as case_service
from casework.cases import workflow
from casework.cases.events import EventPayload, SubmitPlan
from casework.cases.models import CaseStatus, ProtectionCase, Task
from casework.cases.schemas import CaseRead, EventOptionRead, Reason
from casework.communes import service as commune_service
from casework.deadlines import service as deadline_service
from casework.errors import Conflict, FieldError, InvalidInput
from casework.messages import render
from casework.messaging import service as messaging_service
from casework.processes import service as instance_service
from casework.tasks import service as task_service
from casework.tasks.service import ChildPlace
from workflows.calendar import WorkingCalendar
from workflows.effects import ActivatePlannedTasks, CreateTask, Step
from workflows.engine import OPEN_EVENT, Context, Engine, EventOption, TransitionNotAllowed
from workflows.engine import ChosenDueOutOfRange as DateOutOfRange

BECAME_EMERGENCY = "became_emergency"
REPORT_ADDED = "report_added"


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


def _out_of_range(wrong: DateOutOfRange) -> FieldError:
    """A date chosen for a clock outside the definition's bounds, as a field error."""
    earliest = f"{wrong.earliest:%d/%m/%Y}"
    if wrong.latest is None:
        return FieldError((wrong.field,), "due_in_past", {"earliest": earliest})
    latest = f"{wrong.latest:%d/%m/%Y}"
    return FieldError((wrong.field,), "due_out_of_range", {"earliest": earliest, "latest": latest})


def engine_of(case: ProtectionCase) -> Engine:
    return workflow.engine_for(case.workflow_name, case.workflow_version)


def persist(
    session: Session,
    *,
    case: ProtectionCase,
    step: Step,
    engine: Engine,
    place: ChildPlace,
    actor: Actor,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Write the engine's effects set-based: the clocks met or cancelled first, then those
    armed (one met and armed again is a new clock; one still running is left as it is),
    then the routed tasks."""
    routed = [effect for effect in step.effects if isinstance(effect, CreateTask)]
    activate = any(isinstance(effect, ActivatePlannedTasks) for effect in step.effects)
    instance_service.persist_clocks(
        session, engine=engine, step=step, instance_id=case.instance_id, case_id=case.id, now=now
    )
    if routed or activate:
        directory = Directory.load(session, commune_ids=[case.commune_id])
        if routed:
            task_service.route(
                session,
                engine=engine,
                case=case,
                effects=routed,
                child=place,
                directory=directory,
                now=now,
                tz=tz,
                actor=actor,
            )
        if activate:
            task_service.activate_planned(
                session, engine=engine, case=case, directory=directory, now=now, tz=tz
            )
    if engine.definition.states[step.dest].final:
        instance_service.close(session, instance_id=case.instance_id, now=now)
    messaging_service.on_step(session, case=case, step=step, now=now, tz=tz)


_CASE = ProtectionCase.__table__


@lru_cache(maxsize=64)
def _case_update(columns: tuple[str, ...]) -> sa.Update:
    """The UPDATE for one shape of change (a few per event kind), built once."""
    return (
        _CASE.update()
        .where(_CASE.c.id == sa.bindparam("b_id"), _CASE.c.version == sa.bindparam("b_version"))
        .values({name: sa.bindparam(f"v_{name}") for name in columns})
    )


def _write_case(session: Session, *, case: ProtectionCase, changes: dict[str, Any]) -> None:
    """Save an event's changes to the locked case with its version bumped, in one UPDATE;
    the loaded case then shows them as saved (the ORM has nothing left to flush)."""
    changes = changes | {"version": case.version + 1}
    columns = tuple(sorted(changes))
    params = {f"v_{name}": changes[name] for name in columns}
    written = (
        session.connection()
        .execute(_case_update(columns), params | {"b_id": case.id, "b_version": case.version})
        .rowcount
    )
    if written != 1:
        raise ConcurrentChange(code=case.code)
    for key, value in changes.items():
        set_committed_value(case, key, value)


@dataclass(frozen=True)
class _Known:
    """What was read about the case for one event."""

    ctx: Context
    place: ChildPlace
    date_of_birth: date | None
    birth_year: int


def _read(
    session: Session,
    *,
    case: ProtectionCase,
    engine: Engine,
    event: str,
    actor: Actor,
    now: datetime,
    tz: ZoneInfo,
    payload: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    report_id: int | None = None,
) -> _Known:
    """What the engine may read about the case for this event: only what it can use (for
    a later report, ``report_id``: the forms of harm it is the first to name)."""
    known = case_facts.read(session, case=case)
    if report_id is not None:
        known = known.as_reported_in(report_id)
    history = (
        deadline_service.history(
            deadline_service.instance_clocks(session, instance_id=case.instance_id)
        )
        if engine.needs_history(event)
        else {}
    )
    calendar = (
        commune_service.working_calendar(session, commune_id=case.commune_id, tz=tz)
        if engine.needs_calendar(event)
        else WorkingCalendar(tz, extra_days_off=None)
    )
    ctx = Context(
        facts=case_facts.for_engine(
            case,
            known,
            actor=actor,
            today=now.astimezone(tz).date(),
            changes=changes,
            extra=extra,
        ),
        now=now,
        calendar=calendar,
        first_received_at=known.first_received_at,
        payload=payload or {},
        history=history,
        open_tasks=task_service.open_kinds(session, case_id=case.id) if report_id else frozenset(),
    )
    return _Known(ctx, known.place, known.date_of_birth, known.birth_year)


def open_workflow(
    session: Session, *, case: ProtectionCase, actor: Actor, now: datetime, tz: ZoneInfo
) -> Step:
    """A new case enters its workflow: legal clocks start and agencies get their tasks."""
    engine = engine_of(case)
    known = _read(session, case=case, engine=engine, event=OPEN_EVENT, actor=actor, now=now, tz=tz)
    step = engine.open(known.ctx)
    persist(
        session, case=case, step=step, engine=engine, place=known.place, actor=actor, now=now, tz=tz
    )
    return step


def react(
    session: Session,
    *,
    case: ProtectionCase,
    signal: str,
    received_at: datetime,
    actor: Actor,
    now: datetime,
    tz: ZoneInfo,
    report_id: int | None = None,
) -> None:
    """A later report (``report_id``, first received at ``received_at``) joined the open
    case: the definition says what the signal does, seeing only the forms of harm that
    report is the first to name. The shipped one: ``became_emergency`` arms the 12 hours
    from that receipt; ``report_added`` routes those forms' tasks, from that receipt, never
    a kind of task the case already has open. A signal the case's definition does not
    declare does nothing."""
    engine = engine_of(case)
    if signal not in engine.definition.signals:
        return
    known = _read(
        session,
        case=case,
        engine=engine,
        event=signal,
        actor=actor,
        now=now,
        tz=tz,
        payload={"first_received_at": received_at},
        report_id=report_id,
    )
    step = engine.react(signal, case.status, known.ctx)
    persist(
        session, case=case, step=step, engine=engine, place=known.place, actor=actor, now=now, tz=tz
    )


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
        "separation_active": case_facts.separation_active(case),
        "alternative_care_active": case_facts.alternative_care_active(case),
    }
    changes = payload.changes(case)
    extra = before | payload.guard_facts()
    dumped = payload.model_dump()
    if isinstance(payload, SubmitPlan):
        task_service.replace_planned(session, case=case, tasks=dumped["tasks"], now=now)
    known = _read(
        session,
        case=case,
        engine=engine,
        event=event,
        actor=actor,
        now=now,
        tz=tz,
        payload=dumped,
        changes=changes,
        extra=extra,
    )
    try:
        step = engine.fire(case.status, event, known.ctx)
    except TransitionNotAllowed as refused:
        raise EventRefused(refused, engine) from None
    except DateOutOfRange as wrong:
        raise InvalidInput([_out_of_range(wrong)]) from None
    payload.check(
        date_of_birth=known.date_of_birth,
        birth_year=known.birth_year,
        today=now.astimezone(tz).date(),
        now=now,
    )
    changes["updated_at"] = now
    if step.dest != step.source:
        changes["status"] = CaseStatus(step.dest)
    if engine.definition.states[step.dest].final:
        changes["closed_at"] = now
    _write_case(session, case=case, changes=changes)
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
    persist(
        session, case=case, step=step, engine=engine, place=known.place, actor=actor, now=now, tz=tz
    )
    return step


def options(
    session: Session, *, case: ProtectionCase, actor: Actor, now: datetime, tz: ZoneInfo
) -> list[EventOption]:
    """The events this actor could fire now, and for blocked ones the guards' reasons."""
    known = case_facts.read(session, case=case)
    facts = case_facts.for_engine(case, known, actor=actor, today=now.astimezone(tz).date())
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
                session, case_id=case.id, engine=engine, now=now, tz=tz
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
