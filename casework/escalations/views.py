"""The supervisor's escalation queue over the API (caseworkers may read it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.api_docs import errors
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import scopes
from casework.authz.deps import Allowed, CaseAccess, escalation_for
from casework.authz.policy import Action
from casework.cases.models import ProtectionCase
from casework.db import run_in_transaction
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.escalations import actions, listing
from casework.escalations import service as escalation_service
from casework.escalations.models import Escalation
from casework.escalations.schemas import EscalationRead, Extend, Reassign, Resent, Settle

router = APIRouter(prefix="/api/v1/escalations", tags=["escalations"])

EscalationDep = Annotated[CaseAccess, escalation_for(Action.escalation_act)]
# What working an escalation does to it and its locked case (a service call).
Act = Callable[[Session, Escalation, ProtectionCase], object]


@router.get("", response_model=list[EscalationRead], responses=errors(401, 404))
def queue(
    request: Request,
    actor: Allowed(Action.escalation_list),
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    commune: Annotated[str | None, Query(description="Mã xã / commune code")] = None,
    include_acknowledged: Annotated[
        bool, Query(description="Cả việc đang xử lý / include those being handled")
    ] = True,
) -> list[EscalationRead]:
    """Việc cần lãnh đạo xử lý, every process's: emergencies first, then the most overdue,
    then by risk. A row of another process than a case (a late village review, a record
    waiting for the police) has no case code; ``about`` says what it is and where."""
    rows = listing.queue(
        session,
        commune_code=commune,
        include_acknowledged=include_acknowledged,
        now=clock.now(),
        tz=settings.tz,
        scope=scopes.escalations(actor),
    )
    cases = sorted({row.case_code for row in rows if row.case_code})
    others = sorted(row.id for row in rows if row.case_code is None)
    detail = {"cases": cases, "escalations_of_other_processes": others}
    record = Record(AuditAction.view, "escalation_queue", None, detail=detail)
    write_audit(request, actor, record, after=session)
    return rows


def act_on(
    request: Request,
    factory: SessionFactoryDep,
    clock: ClockDep,
    access: CaseAccess,
    escalation_id: int,
    verb: str,
    act: Act,
) -> object:
    """Lock the case and the escalation, apply ``act``, audit it; one commit. Returns what
    ``act`` returned."""

    def work(session: Session) -> object:
        escalation, case = escalation_service.lock_with_case(session, escalation_id=escalation_id)
        done = act(session, escalation, case)
        audit_service.append(
            session,
            access.actor,
            Record(
                AuditAction.update,
                "escalation",
                str(escalation_id),
                detail={"case": case.code, "action": verb},
            ),
            origin=origin_of(request),
            now=clock.now(),
        )
        return done

    return run_in_transaction(factory, work)


class Acting:
    """The escalation a request works on, with what ``act_on`` needs: each route passes only
    its verb and the service call."""

    def __init__(
        self,
        request: Request,
        escalation_id: int,
        access: EscalationDep,
        factory: SessionFactoryDep,
        clock: ClockDep,
    ) -> None:
        self.request, self.escalation_id, self.access = request, escalation_id, access
        self.factory, self.clock = factory, clock
        self.actor, self.now = access.actor, clock.now()

    def __call__(self, verb: str, act: Act) -> object:
        return act_on(
            self.request, self.factory, self.clock, self.access, self.escalation_id, verb, act
        )


ActingDep = Annotated[Acting, Depends(Acting)]


@router.post("/{escalation_id}/acknowledge", status_code=204, responses=errors(401, 403, 404, 409))
def acknowledge(acting: ActingDep) -> None:
    """Nhận xử lý: mark it as being handled by this supervisor."""
    acting(
        "acknowledge",
        lambda s, escalation, case: escalation_service.acknowledge(
            s, acting.actor, escalation=escalation, case=case, now=acting.now
        ),
    )


@router.post(
    "/{escalation_id}/reassign", status_code=204, responses=errors(401, 403, 404, 409, 422)
)
def reassign(acting: ActingDep, body: Reassign, settings: SettingsDep) -> None:
    """Giao lại: the task goes to another agency with fresh clocks."""
    acting(
        "reassign",
        lambda s, escalation, case: actions.reassign(
            s,
            acting.actor,
            escalation=escalation,
            case=case,
            agency_id=body.agency_id,
            reason=body.reason,
            now=acting.now,
            tz=settings.tz,
        ),
    )


@router.post("/{escalation_id}/extend", status_code=204, responses=errors(401, 403, 404, 409, 422))
def extend(acting: ActingDep, body: Extend, settings: SettingsDep) -> None:
    """Gia hạn: a new deadline, at most ``CASEWORK_EXTENSION_MAX_DAYS`` past the current one,
    with a reason (required), on the case's record."""
    acting(
        "extend",
        lambda s, escalation, case: actions.extend(
            s,
            acting.actor,
            escalation=escalation,
            case=case,
            due_at=body.due_at,
            reason=body.reason,
            now=acting.now,
            max_days=settings.extension_max_days,
            tz=settings.tz,
        ),
    )


@router.post("/{escalation_id}/resend", response_model=Resent, responses=errors(401, 403, 404, 409))
def resend(acting: ActingDep) -> Resent:
    """Gửi lại: for "thông báo không gửi được", send the case's undelivered messages again
    to the addresses people have now."""
    queued = acting(
        "resend",
        lambda s, escalation, case: actions.resend(
            s, acting.actor, escalation=escalation, case=case, now=acting.now
        ),
    )
    assert isinstance(queued, int)
    return Resent(queued=queued)


@router.post("/{escalation_id}/settle", status_code=204, responses=errors(401, 403, 404, 409, 422))
def settle(acting: ActingDep, body: Settle) -> None:
    """Đã báo bằng cách khác: the agency was told another way; how goes on the record."""
    acting(
        "settle",
        lambda s, escalation, case: actions.settle(
            s, acting.actor, escalation=escalation, case=case, reason=body.reason, now=acting.now
        ),
    )
