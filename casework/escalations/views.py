"""The supervisor's escalation queue over the API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import Session

from casework.api_docs import errors
from casework.db import run_in_transaction
from casework.deps import ActorDep, ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.escalations import actions
from casework.escalations import service as escalation_service
from casework.escalations.schemas import EscalationRead, Extend, Reassign

router = APIRouter(prefix="/api/v1/escalations", tags=["escalations"])


@router.get("", response_model=list[EscalationRead])
def queue(
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    commune: Annotated[str | None, Query(description="Mã xã / commune code")] = None,
    include_acknowledged: Annotated[bool, Query(description="Cả mục đang xử lý")] = True,
) -> list[EscalationRead]:
    """Hàng đợi leo thang: emergencies first, then the most overdue, then by risk."""
    return escalation_service.queue(
        session,
        commune_code=commune,
        include_acknowledged=include_acknowledged,
        now=clock.now(),
        tz=settings.tz,
    )


@router.post("/{escalation_id}/acknowledge", status_code=204, responses=errors(404, 409))
def acknowledge(
    escalation_id: int, actor: ActorDep, factory: SessionFactoryDep, clock: ClockDep
) -> None:
    """Nhận xử lý: mark it as being handled by this supervisor."""

    def work(session: Session) -> None:
        escalation, case = escalation_service.lock_with_case(session, escalation_id=escalation_id)
        escalation_service.acknowledge(
            session, actor, escalation=escalation, case=case, now=clock.now()
        )

    run_in_transaction(factory, work)


@router.post("/{escalation_id}/reassign", status_code=204, responses=errors(404, 409, 422))
def reassign(
    escalation_id: int,
    body: Reassign,
    actor: ActorDep,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> None:
    """Giao lại: the task goes to another agency with fresh clocks."""

    def work(session: Session) -> None:
        escalation, case = escalation_service.lock_with_case(session, escalation_id=escalation_id)
        actions.reassign(
            session,
            actor,
            escalation=escalation,
            case=case,
            agency_id=body.agency_id,
            reason=body.reason,
            now=clock.now(),
            tz=settings.tz,
        )

    run_in_transaction(factory, work)


@router.post("/{escalation_id}/extend", status_code=204, responses=errors(404, 409, 422))
def extend(
    escalation_id: int, body: Extend, actor: ActorDep, factory: SessionFactoryDep, clock: ClockDep
) -> None:
    """Gia hạn: a new deadline, with a reason (required), on the case's record."""

    def work(session: Session) -> None:
        escalation, case = escalation_service.lock_with_case(session, escalation_id=escalation_id)
        actions.extend(
            session,
            actor,
            escalation=escalation,
            case=case,
            due_at=body.due_at,
            reason=body.reason,
            now=clock.now(),
        )

    run_in_transaction(factory, work)
