"""POST /api/v1/tasks/{id}/accept|decline|complete: an agency answers its task."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import Session

from casework.api_docs import errors
from casework.cases.flow import lock_case_of
from casework.db import run_in_transaction
from casework.deps import ActorDep, ClockDep, SessionFactoryDep, SettingsDep
from casework.tasks import service as task_service
from casework.tasks.schemas import Complete, Decline, TaskActionResult

router = APIRouter(prefix="/api/v1/tasks", tags=["tasks"])


def _result(task, case) -> TaskActionResult:  # type: ignore[no-untyped-def]
    return TaskActionResult(task_id=task.id, status=task.status, case_code=case.code)


@router.post("/{task_id}/accept", response_model=TaskActionResult, responses=errors(404, 409))
def accept(
    task_id: int, actor: ActorDep, factory: SessionFactoryDep, clock: ClockDep
) -> TaskActionResult:
    """Nhận nhiệm vụ: the agency takes the task on."""

    def work(session: Session) -> TaskActionResult:
        case, task = lock_case_of(session, task_id=task_id)
        task_service.accept(session, actor, task=task, case=case, now=clock.now())
        return _result(task, case)

    return run_in_transaction(factory, work)


@router.post("/{task_id}/decline", response_model=TaskActionResult, responses=errors(404, 409, 422))
def decline(
    task_id: int,
    body: Decline,
    actor: ActorDep,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> TaskActionResult:
    """Không thực hiện được: the caseworker is told at once; the supervisor's queue gets it."""

    def work(session: Session) -> TaskActionResult:
        case, task = lock_case_of(session, task_id=task_id)
        task_service.decline(
            session,
            actor,
            task=task,
            case=case,
            reason=body.reason,
            now=clock.now(),
            tz=settings.tz,
        )
        return _result(task, case)

    return run_in_transaction(factory, work)


@router.post(
    "/{task_id}/complete", response_model=TaskActionResult, responses=errors(404, 409, 422)
)
def complete(
    task_id: int, body: Complete, actor: ActorDep, factory: SessionFactoryDep, clock: ClockDep
) -> TaskActionResult:
    """Hoàn thành: the task is done, with its outcome."""

    def work(session: Session) -> TaskActionResult:
        case, task = lock_case_of(session, task_id=task_id)
        task_service.complete(
            session, actor, task=task, case=case, outcome=body.outcome, now=clock.now()
        )
        return _result(task, case)

    return run_in_transaction(factory, work)
