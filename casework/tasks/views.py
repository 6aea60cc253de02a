"""POST /api/v1/tasks/{id}/accept|decline|complete: an agency answers its own task."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Request
from sqlmodel import Session

from casework.accounts.auth import origin_of
from casework.actors import Actor
from casework.api_docs import errors
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import TaskAccess, task_for
from casework.authz.policy import Action
from casework.cases.flow import lock_case_of
from casework.cases.models import ProtectionCase, Task
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.tasks import service as task_service
from casework.tasks.schemas import Complete, Decline, TaskActionResult

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])

TaskDep = Annotated[TaskAccess, task_for(Action.task_act)]
# What an answer does to the locked task and case (a service call).
Act = Callable[[Session, Actor, Task, ProtectionCase], None]


def answer(
    request: Request,
    factory: SessionFactoryDep,
    clock: ClockDep,
    access: TaskAccess,
    verb: str,
    act: Act,
) -> TaskActionResult:
    """Lock the case and the task, apply ``act``, record it in the audit log; one commit."""
    actor = access.case.actor

    def work(session: Session) -> TaskActionResult:
        case, task = lock_case_of(session, task_id=access.task_id)
        act(session, actor, task, case)
        audit_service.append(
            session,
            actor,
            Record(
                AuditAction.update, "task", str(task.id), detail={"case": case.code, "action": verb}
            ),
            origin=origin_of(request),
            now=clock.now(),
        )
        return TaskActionResult(task_id=task.id, status=task.status, case_code=case.code)

    return run_in_transaction(factory, work)


@router.post(
    "/{task_id}/accept", response_model=TaskActionResult, responses=errors(401, 403, 404, 409)
)
def accept(
    request: Request, access: TaskDep, factory: SessionFactoryDep, clock: ClockDep
) -> TaskActionResult:
    """Nhận nhiệm vụ: the agency takes the task on."""
    return answer(
        request,
        factory,
        clock,
        access,
        "accept",
        lambda s, actor, task, case: task_service.accept(
            s, actor, task=task, case=case, now=clock.now()
        ),
    )


@router.post(
    "/{task_id}/decline",
    response_model=TaskActionResult,
    responses=errors(401, 403, 404, 409, 422),
)
def decline(
    request: Request,
    access: TaskDep,
    body: Decline,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> TaskActionResult:
    """Không thực hiện được: the caseworker is told at once; the supervisor's queue gets it."""
    return answer(
        request,
        factory,
        clock,
        access,
        "decline",
        lambda s, actor, task, case: task_service.decline(
            s, actor, task=task, case=case, reason=body.reason, now=clock.now(), tz=settings.tz
        ),
    )


@router.post(
    "/{task_id}/complete",
    response_model=TaskActionResult,
    responses=errors(401, 403, 404, 409, 422),
)
def complete(
    request: Request, access: TaskDep, body: Complete, factory: SessionFactoryDep, clock: ClockDep
) -> TaskActionResult:
    """Hoàn thành: the task is done, with its outcome."""
    return answer(
        request,
        factory,
        clock,
        access,
        "complete",
        lambda s, actor, task, case: task_service.complete(
            s, actor, task=task, case=case, outcome=body.outcome, now=clock.now()
        ),
    )
